"""Run a policy pack as `python -u -m pulumi.policy <engine> <pack-dir>` would, timing the SDK's
Analyze and AnalyzeStack handlers inside the pack process: the time the pack itself spends on them,
without the transport or the client. On SIGTERM (PackProcess.stop) the totals are written to
`<out>` as JSON: {"analyze": seconds, "analyze_calls": n, "analyze_stack": seconds}.

Usage (measure.py builds the command):
    python -u timed_pack.py <out> -u -m pulumi.policy <engine> <dir>
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pack_under_hooks  # a sibling: this script runs under the pack's interpreter

_totals = {"analyze": 0.0, "analyze_calls": 0, "analyze_stack": 0.0}
_lock = threading.Lock()


def _timed(key: str, method: Callable[..., Any]) -> Callable[..., Any]:
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
    out = sys.argv[1]

    def dump() -> None:
        with _lock, open(out, "w", encoding="utf-8") as file:
            json.dump(_totals, file)

    pack_under_hooks.run(sys.argv[2:], _timed, dump)


if __name__ == "__main__":
    main()
