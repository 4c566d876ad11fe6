"""Child process that runs one Pulumi Python program under the recording mock engine, the way
`pulumi-language-python-exec` runs it (config from PULUMI_CONFIG, cwd = project root,
`run_in_stack(runpy.run_path(main, run_name="__main__"))`), and writes the records as JSON.

Usage: python -m policy_preview.program.worker <request.json> <result.json>
The parent (runner.py) owns the process: it sets cwd and environment and enforces the timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import runpy
import sys
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

MAX_FRAMES = 6


def main(argv: list[str]) -> int:
    request_path, result_path = Path(argv[1]), Path(argv[2])
    request = json.loads(request_path.read_text(encoding="utf-8"))
    try:
        records = run(request)
        result: dict[str, Any] = {"ok": True, "records": records}
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises ProgramError
        result = {"ok": False, "error": describe_failure(exc, Path(request["project_root"]))}
    result_path.write_text(json.dumps(result), encoding="utf-8")
    return 0


def run(request: dict[str, Any]) -> list[dict[str, Any]]:
    # Imported here so a broken SDK install is reported like any other failure.
    import pulumi.runtime

    from policy_preview.program.inline_rpcs import InlineRuntimeCalls
    from policy_preview.program.mock_engine import RecordingMonitor
    from policy_preview.program.record_codec import record_to_json

    # As the language host: asyncio's complaints about abandoned futures are noise to users.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s: %(message)s")

    config = pulumi.runtime.get_config_env()
    secret_keys = pulumi.runtime.get_config_secret_keys_env()
    pulumi.runtime.set_all_config(config, secret_keys)

    preview = request["mode"] == "preview"
    monitor = RecordingMonitor(
        project=request["project"],
        stack=request["stack"],
        preview=preview,
        config=config,
        secret_keys=frozenset(secret_keys),
        project_root=Path(request["project_root"]),
    )
    try:
        run_program(
            monitor,
            request["project"],
            request["stack"],
            request["main"],
            dry_run=preview,
            executor=InlineRuntimeCalls(),
        )
    finally:
        sys.stdout.flush()
    return [record_to_json(record) for record in monitor.records]


def run_program(
    monitor: Any,
    project: str,
    stack_name: str,
    main_path: str,
    *,
    dry_run: bool,
    executor: ThreadPoolExecutor | None = None,
) -> None:
    """Run the program at `main_path` against `monitor` (a mock ResourceMonitor), as
    `pulumi-language-python-exec` does: `run_in_stack(runpy.run_path(main, run_name="__main__"))`.
    `executor` becomes the loop's default executor (None: asyncio's own thread pool, as the CLI)."""
    from pulumi.runtime import mocks, settings, stack

    settings.configure(
        mocks.MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
            engine=mocks.MockEngine(logging.getLogger("pulumi")),
            project=project,
            stack=stack_name,
            dry_run=dry_run,
            organization=None,
            callbacks=None,
        )
    )
    sys.argv = [main_path]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if executor is not None:
        loop.set_default_executor(executor)
    try:
        loop.run_until_complete(stack.run_in_stack(lambda: _run_main(main_path)))
    finally:
        loop.close()


def _run_main(main_path: str) -> None:
    runpy.run_path(main_path, run_name="__main__")


def describe_failure(exc: BaseException, project_root: Path) -> str:
    """The exception with the last frames of the user's program, not the runtime's or ours."""
    import pulumi

    if isinstance(exc, pulumi.RunError):
        # The language host prints RunError messages without a traceback; so do we.
        return str(exc)
    chosen, tb = _failure_with_program_frames(exc, project_root) or (exc, exc.__traceback__)
    frames = traceback.extract_tb(tb)
    program_indexes = [i for i, frame in enumerate(frames) if _is_inside(frame.filename, project_root)]
    if program_indexes:
        frames = traceback.StackSummary.from_list(frames[program_indexes[0] :])
    elif isinstance(chosen, SyntaxError):
        frames = traceback.StackSummary()  # its own message names the file and line
    shown = traceback.StackSummary.from_list(frames[-MAX_FRAMES:])
    lines = ["Traceback (most recent call last; program frames):\n"]
    if len(frames) > MAX_FRAMES:
        lines.append(f"  ... {len(frames) - MAX_FRAMES} earlier frames ...\n")
    lines.extend(shown.format())
    lines.extend(traceback.format_exception_only(type(chosen), chosen))
    return "".join(lines).rstrip()


def _failure_with_program_frames(
    exc: BaseException, project_root: Path
) -> tuple[BaseException, TracebackType | None] | None:
    """The first exception, with its traceback, that passed through the user's program."""
    for candidate, tb in _failures(exc):
        if any(_is_inside(f.filename, project_root) for f in traceback.extract_tb(tb)):
            return candidate, tb
    return None


def _failures(exc: BaseException) -> Iterator[tuple[BaseException, TracebackType | None]]:
    # Failures inside .apply() callbacks are re-raised by the runtime with the original as cause.
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current, current.__traceback__
        current = current.__cause__ or current.__context__
    # Depending on task timing the runtime may re-raise an .apply() failure without the callback's
    # frames; its RPC manager keeps the traceback of the first failed RPC, which has them.
    try:
        from pulumi.runtime.settings import _get_rpc_manager

        manager = _get_rpc_manager()
    except Exception:  # noqa: BLE001 - an SDK without it: the chain above is all there is
        return
    if manager.unhandled_exception is not None:
        yield manager.unhandled_exception, manager.exception_traceback


def _is_inside(filename: str, root: Path) -> bool:
    if filename.startswith("<"):  # <frozen runpy>, <string>: never the user's files
        return False
    try:
        path = Path(filename).resolve()
        return path.is_relative_to(root) and "site-packages" not in path.parts
    except (OSError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv))
