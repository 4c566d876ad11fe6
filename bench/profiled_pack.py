"""Run a policy pack as `python -u -m pulumi.policy <engine> <pack-dir>` would, with cProfile around
the SDK's Analyze and AnalyzeStack handlers (they run in gRPC worker threads, which a plain
`python -m cProfile` would not see). On SIGTERM (PackProcess.stop) the profiles are written to
`<out>.analyze.prof` and `<out>.analyze_stack.prof`.

Usage (profile_pack.py builds the command):
    python -u profiled_pack.py <out> -u -m pulumi.policy <engine> <dir>
"""

from __future__ import annotations

import cProfile
import os
import runpy
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any


def _wrap(method: Callable[..., Any], profile: cProfile.Profile, lock: threading.Lock) -> Callable[..., Any]:
    def profiled(self: Any, request: Any, context: Any) -> Any:
        with lock:  # one call at a time: a cProfile.Profile is not thread-safe
            return profile.runcall(method, self, request, context)

    return profiled


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]
    # Drop the interpreter flags the CLI passes (`-u -m pulumi.policy`): -u is given to us already.
    while rest and rest[0] in ("-u", "-m", "pulumi.policy"):
        rest.pop(0)
    from pulumi_policy import policy

    servicer = policy._PolicyAnalyzerServicer
    profiles = {"analyze": cProfile.Profile(), "analyze_stack": cProfile.Profile()}
    lock = threading.Lock()
    servicer.Analyze = _wrap(servicer.Analyze, profiles["analyze"], lock)  # type: ignore[method-assign]
    servicer.AnalyzeStack = _wrap(  # type: ignore[method-assign]
        servicer.AnalyzeStack, profiles["analyze_stack"], lock
    )

    def dump(signum: int, frame: Any) -> None:
        with lock:
            for name, profile in profiles.items():
                profile.dump_stats(f"{out}.{name}.prof")
        os._exit(0)

    signal.signal(signal.SIGTERM, dump)
    sys.argv = ["pulumi.policy", *rest]
    runpy.run_module("pulumi.policy", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
