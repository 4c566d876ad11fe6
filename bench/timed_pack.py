"""Run a policy pack as `python -u -m pulumi.policy <engine> <pack-dir>` would, timing the SDK's
Analyze and AnalyzeStack handlers inside the pack process: the time the pack itself spends on them,
without the transport or the client. On SIGTERM (PackProcess.stop) the totals are written to
`<out>` as JSON: {"analyze": seconds, "analyze_calls": n, "analyze_stack": seconds}.

Usage (measure.py builds the command):
    python -u timed_pack.py <out> -u -m pulumi.policy <engine> <dir>
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

_totals = {"analyze": 0.0, "analyze_calls": 0, "analyze_stack": 0.0}
_lock = threading.Lock()


def _timed(method: Callable[..., Any], key: str) -> Callable[..., Any]:
    def timed(self: Any, request: Any, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return method(self, request, context)
        finally:
            elapsed = time.perf_counter() - started
            with _lock:
                _totals[key] += elapsed
                if key == "analyze":
                    _totals["analyze_calls"] += 1

    return timed


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]
    # Drop the interpreter flags the CLI passes (`-u -m pulumi.policy`): -u is given to us already.
    while rest and rest[0] in ("-u", "-m", "pulumi.policy"):
        rest.pop(0)
    from pulumi_policy import policy

    servicer = policy._PolicyAnalyzerServicer
    servicer.Analyze = _timed(servicer.Analyze, "analyze")  # type: ignore[method-assign]
    servicer.AnalyzeStack = _timed(servicer.AnalyzeStack, "analyze_stack")  # type: ignore[method-assign]

    def dump(signum: int, frame: Any) -> None:
        with _lock, open(out, "w", encoding="utf-8") as file:
            json.dump(_totals, file)
        os._exit(0)

    signal.signal(signal.SIGTERM, dump)
    sys.argv = ["pulumi.policy", *rest]
    runpy.run_module("pulumi.policy", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
