"""Run a policy pack as `python -u -m pulumi.policy <engine> <pack-dir>` would, with cProfile around
the SDK's Analyze and AnalyzeStack handlers (they run in gRPC worker threads, which a plain
`python -m cProfile` would not see). On SIGTERM (PackProcess.stop) the profiles are written to
`<out>.analyze.prof` and `<out>.analyze_stack.prof`.

Usage (profile_pack.py builds the command):
    python -u profiled_pack.py <out> -u -m pulumi.policy <engine> <dir>
"""

from __future__ import annotations

import cProfile
import sys
import threading
from typing import Any

import pack_under_hooks  # a sibling: this script runs under the pack's interpreter


def main() -> None:
    out = sys.argv[1]
    # <out>.analyze.prof and <out>.analyze_stack.prof
    profiles = {key: cProfile.Profile() for key in pack_under_hooks.HANDLERS.values()}
    lock = threading.Lock()

    def profiled(handler: str, method: pack_under_hooks.Handler) -> pack_under_hooks.Handler:
        profile = profiles[handler]

        def call(self: Any, request: Any, context: Any) -> Any:
            with lock:  # one call at a time: a cProfile.Profile is not thread-safe
                return profile.runcall(method, self, request, context)

        return call

    def dump() -> None:
        with lock:
            for name, profile in profiles.items():
                profile.dump_stats(f"{out}.{name}.prof")

    pack_under_hooks.run(sys.argv[2:], profiled, dump)


if __name__ == "__main__":
    main()
