"""Run a Pulumi program offline and return the resources it registers: Python programs here,
Node.js programs (TypeScript, JavaScript) in node_runner.py.

The program runs in a child process (worker.py), never in ours: a Pulumi program changes
process-wide state (the SDK's global settings and root stack, sys.path, sys.modules with the
program's own modules, os.environ, cwd, the event loop), and a fresh process is the only way to
undo all of it, to let every run import the program's modules anew, and to stop a hung or
interrupted program for sure (we kill its whole process group).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import policy_preview
from policy_preview.errors import ProgramError
from policy_preview.model import ResourceRecord
from policy_preview.program.child_process import ChildTimedOut, run_in_own_group
from policy_preview.program.project import (
    Project,
    StackConfig,
    apply_overrides,
    load_project,
    load_stack_config,
)
from policy_preview.program.record_codec import record_from_json

Mode = Literal["preview", "update"]
DEFAULT_TIMEOUT_SECONDS = 120.0
# ts-node type-checks a TypeScript program against its typings first (the @pulumi/aws ones alone
# take ~15 s of CPU), which a busy CI machine can stretch a lot.
NODE_TIMEOUT_SECONDS = 600.0
_STDERR_TAIL_CHARS = 4000


def run_program(
    project_dir: Path,
    *,
    stack: str,
    mode: Mode,
    config: dict[str, str],
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> list[ResourceRecord]:
    """Run the program in `project_dir` as `pulumi preview`/`pulumi up` would, against mocks
    (Python) or the fake engine over gRPC (Node.js).

    `config` holds `key=value` overrides from the command line (bare keys get the project's
    namespace); `env` is added to the program's environment (e.g. ENVIRONMENT_SUFFIX).
    `timeout` (seconds) defaults to DEFAULT_TIMEOUT_SECONDS, NODE_TIMEOUT_SECONDS for Node.js.
    Raises ProgramError for a missing/invalid project, a failing program, or a timeout.
    """
    if mode not in ("preview", "update"):
        raise ProgramError(f"Unknown mode {mode!r}: use 'preview' or 'update'.")
    project = load_project(project_dir)
    stack_name = stack.rsplit("/", 1)[-1]  # `org/project/dev` names the stack `dev`
    stack_config = apply_overrides(load_stack_config(project, stack_name), config, project.name)
    if project.runtime == "nodejs":
        from policy_preview.program.node_runner import run_node_program

        return run_node_program(
            project, stack=stack_name, preview=mode == "preview", stack_config=stack_config, env=env,
            timeout=NODE_TIMEOUT_SECONDS if timeout is None else timeout,
        )  # fmt: skip
    if timeout is None:
        timeout = DEFAULT_TIMEOUT_SECONDS
    with tempfile.TemporaryDirectory(prefix="policy-preview-") as scratch:
        request_path = Path(scratch) / "request.json"
        result_path = Path(scratch) / "result.json"
        request = {
            "project": project.name,
            "stack": stack_name,
            "mode": mode,
            "main": project.main,
            "project_root": str(project.root),
        }
        request_path.write_text(json.dumps(request), encoding="utf-8")
        output = _run_worker(project, stack_config, env, request_path, result_path, timeout)
        result = _read_result(result_path, output)
    if output.strip():
        # What the program printed is diagnostics (as in the CLI), never part of our report.
        sys.stderr.write(output if output.endswith("\n") else output + "\n")
    if not result.get("ok"):
        raise ProgramError(
            f"Pulumi program {project.main_path} (project {project.name}, stack {stack_name}, "
            f"{mode} mode) failed:\n{result.get('error', 'no details')}"
        )
    return [record_from_json(item) for item in result.get("records", [])]


def program_entry(project: Project) -> Path:
    """The file the program starts from, as its language host finds it (for reports)."""
    if project.runtime == "nodejs":
        from policy_preview.program.node_runner import entry_file

        return entry_file(project)
    main = project.main_path
    return main / "__main__.py" if main.is_dir() else main


def _run_worker(
    project: Project,
    stack_config: StackConfig,
    env: Mapping[str, str] | None,
    request_path: Path,
    result_path: Path,
    timeout: float,
) -> str:
    command = [
        sys.executable,
        "-P",
        "-m",
        "policy_preview.program.worker",
        str(request_path),
        str(result_path),
    ]
    try:
        _, output = run_in_own_group(
            command, cwd=project.root, env=_worker_environment(stack_config, env), timeout=timeout
        )
    except ChildTimedOut as stopped:
        raise ProgramError(
            f"Pulumi program {project.main_path} did not finish within {timeout:g} s and was stopped. "
            f"Last output:\n{_tail(stopped.output)}"
        ) from None
    return output


def _worker_environment(stack_config: StackConfig, env: Mapping[str, str] | None) -> dict[str, str]:
    # Config travels as the language host passes it; stray PULUMI_CONFIG* variables would override it.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_CONFIG")}
    environment.update(env or {})
    environment["PULUMI_CONFIG"] = json.dumps(stack_config.values)
    environment["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(sorted(stack_config.secret_keys))
    # The worker must import this package even when it is not installed (e.g. run from a checkout).
    package_parent = str(Path(policy_preview.__file__).resolve().parent.parent)
    python_path = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = package_parent + (os.pathsep + python_path if python_path else "")
    environment.setdefault("PYTHONUNBUFFERED", "1")
    return environment


def _read_result(result_path: Path, output: str) -> dict:
    try:
        result = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ProgramError(
            f"The program runner exited without a result. Its output:\n{_tail(output)}"
        ) from None
    return result if isinstance(result, dict) else {"ok": False, "error": "malformed runner result"}


def _tail(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _STDERR_TAIL_CHARS else "..." + text[-_STDERR_TAIL_CHARS:]
