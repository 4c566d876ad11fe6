"""Run a policy pack in this process as `python -u -m pulumi.policy <engine> <pack-dir>` would, with
the SDK's Analyze and AnalyzeStack handlers wrapped, and a hook for SIGTERM (PackProcess.stop).
What timed_pack.py and profiled_pack.py share; each wraps the handlers its own way.

It runs under the pack's interpreter as a sibling of those scripts (their folder is on sys.path).
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
from collections.abc import Callable
from typing import Any

Handler = Callable[..., Any]
# The handlers wrapped, and the key each one's results are written under.
HANDLERS = {"Analyze": "analyze", "AnalyzeStack": "analyze_stack"}


def run(args: list[str], wrap: Callable[[str, Handler], Handler], on_stop: Callable[[], None]) -> None:
    """`args`: the command the CLI would run (`-u -m pulumi.policy <engine> <dir>`); `wrap(key,
    method)` replaces each handler (`key`: its HANDLERS value); `on_stop()` writes the results
    before the process exits."""
    rest = list(args)
    # Drop the interpreter flags the CLI passes (`-u -m pulumi.policy`): -u is given to us already.
    while rest and rest[0] in ("-u", "-m", "pulumi.policy"):
        rest.pop(0)
    from pulumi_policy import policy

    servicer = policy._PolicyAnalyzerServicer
    for name, key in HANDLERS.items():
        setattr(servicer, name, wrap(key, getattr(servicer, name)))

    def stop(signum: int, frame: Any) -> None:
        on_stop()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    sys.argv = ["pulumi.policy", *rest]
    runpy.run_module("pulumi.policy", run_name="__main__", alter_sys=True)
