"""The event loop's default executor for a Python program run in the preview: the Pulumi runtime's
own calls to the resource monitor run inline, on the loop; everything else (a program's own
`loop.run_in_executor(None, ...)`) still runs on a thread pool.

Why: the SDK sends every monitor call (RegisterResource, Invoke, ...) through `run_in_executor`
because the real monitor is a gRPC server in another process. The preview's monitor is an object in
this process that answers without I/O, so its threads only fight the loop for the GIL. Worse, the
SDK's `wait_for_rpcs` re-subscribes to every pending Output each time one of them completes: calls
that finish one at a time on threads made a 1000-table program take 90 s in some runs and 200-300 s
in others, depending on thread scheduling. Inline, each call is answered in the step that makes it,
and the run time no longer depends on scheduling.

A call that needs the loop while it runs (a resource's transform is a coroutine on the program's
loop) gets it through the SDK's own re-entrant `_sync_await` (see transforms.py `_run_on`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

# Modules whose callables handed to the executor are RPCs to the monitor (pulumi.runtime.resource,
# .invoke, .settings, .stack; pulumi.runtime._context wraps them with the caller's context).
_RUNTIME_PREFIX = "pulumi.runtime."


class InlineRuntimeCalls(ThreadPoolExecutor):
    """A ThreadPoolExecutor (asyncio's `set_default_executor` requires one) that runs the Pulumi
    runtime's monitor calls in the calling thread and gives everything else to its threads."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if not is_runtime_call(fn):
            return super().submit(fn, *args, **kwargs)
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - the awaiting coroutine gets it, as from a thread
            future.set_exception(exc)
        # KeyboardInterrupt and SystemExit go on up: on the loop's thread they stop the program, as
        # Ctrl-C stops it while the SDK's threads are busy.
        return future


def is_runtime_call(fn: Callable[..., Any]) -> bool:
    """True for a callable the Pulumi runtime itself defined (its RPCs to the monitor)."""
    return str(getattr(fn, "__module__", None) or "").startswith(_RUNTIME_PREFIX)
