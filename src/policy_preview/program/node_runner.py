"""Run a Pulumi Node.js program (TypeScript or JavaScript) offline, the way Pulumi's Node language
host runs it, against the preview's fake engine; return the resources it registers.

What the language host does (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go, `Run`,
`execRuntime`, `constructArguments`, `constructConfig`, `parseOptions`) and we do the same:
- `node` from PATH; the SDK's entry point is `require.resolve('@pulumi/pulumi/cmd/run')` from the
  program directory, so the project's own node_modules (never ours) provide the SDK, TypeScript and
  ts-node, and the SDK's own `cmd/run` handles `main`/package.json entry points, ts-node with the
  project's tsconfig.json, exports and uncaught errors (sdk/nodejs/cmd/run/run.ts).
- Command line: `node [nodeargs] <run> --monitor A --engine A --organization O --project P
  --root-directory R --stack S --pwd DIR [--dry-run] --parallel N <entry point>`; the program
  directory and entry point come from `main` as the CLI's getPwdMain computes them (a directory:
  pwd = it, entry "."; a file: pwd = its directory, entry = the file).
- Environment: ours, plus PULUMI_CONFIG (keys as `<namespace>:config:<name>`),
  PULUMI_CONFIG_SECRET_KEYS, PULUMI_NODEJS_TYPESCRIPT=true unless `runtime.options.typescript` is
  false, PULUMI_NODEJS_TSCONFIG_PATH from `runtime.options.tsconfig`.
- Exit code 32 means "the program already logged an actionable error" (through Engine.Log).

Not emulated: the synchronous-invoke pipes (`--sync`, only for the deprecated `{async: false}`
invokes), `nodeargs` debugger attachment, and the bun runtime.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_preview.errors import ProgramError
from policy_preview.model import ResourceRecord
from policy_preview.program.child_process import ChildTimedOut, run_in_own_group
from policy_preview.program.engine_server import FakeEngineServer, LogEntry
from policy_preview.program.mock_engine import RecordingMonitor
from policy_preview.program.project import Project, StackConfig

RUN_MODULE = "@pulumi/pulumi/cmd/run"
# The CLI's default for `--parallel` (pkg/cmd/pulumi: math.MaxInt32); the SDK only asks "is it 1?".
DEFAULT_PARALLEL = 2147483647
# Organization of a self-managed (DIY) backend, as the CLI passes it.
DEFAULT_ORGANIZATION = "organization"
# sdk/nodejs/cmd/run/index.ts: the program already told the user what went wrong.
EXIT_ALREADY_REPORTED = 32
MAX_FRAMES = 6
_OUTPUT_TAIL_CHARS = 4000
_LOCATE_TIMEOUT = 30.0
# Set by cmd/run from its arguments (runtime/state.ts); a stale inherited value would leak in.
_SDK_ARGUMENT_VARIABLES = (
    "PULUMI_NODEJS_ORGANIZATION",
    "PULUMI_NODEJS_PROJECT",
    "PULUMI_NODEJS_ROOT_DIRECTORY",
    "PULUMI_NODEJS_STACK",
    "PULUMI_NODEJS_DRY_RUN",
    "PULUMI_NODEJS_PARALLEL",
    "PULUMI_NODEJS_MONITOR",
    "PULUMI_NODEJS_ENGINE",
    "PULUMI_NODEJS_SYNC",
    "PULUMI_NODEJS_TYPESCRIPT",
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"^\s+at ")
_FRAME_FILE = re.compile(r"(?P<file>(?:/|file://)[^():]+):\d+:\d+\)?\s*$")


@dataclass(frozen=True)
class NodeOptions:
    """`runtime.options` of a nodejs project, as the language host's parseOptions reads them."""

    typescript: bool = True
    tsconfig: str = ""
    nodeargs: tuple[str, ...] = ()


def node_options(project: Project) -> NodeOptions:
    options = project.runtime_options
    where = f"{project.root / 'Pulumi.yaml'}: runtime.options"
    typescript = options.get("typescript", True)
    if not isinstance(typescript, bool):
        raise ProgramError(f"{where}.typescript must be true or false, not {typescript!r}.")
    tsconfig = options.get("tsconfig", "")
    if not isinstance(tsconfig, str):
        raise ProgramError(f"{where}.tsconfig must be a path (a string), not {tsconfig!r}.")
    nodeargs = options.get("nodeargs", "")
    if not isinstance(nodeargs, str):
        raise ProgramError(f"{where}.nodeargs must be a string of arguments, not {nodeargs!r}.")
    try:
        args = tuple(shlex.split(nodeargs))
    except ValueError as exc:
        raise ProgramError(f"{where}.nodeargs {nodeargs!r} cannot be split into arguments: {exc}.") from None
    return NodeOptions(typescript=typescript, tsconfig=tsconfig, nodeargs=args)


def program_directory_and_entry(project: Project) -> tuple[Path, str]:
    """(pwd, entry point) as the CLI's getPwdMain derives them from `main`."""
    main = project.main_path
    if project.main in ("", ".") or main.is_dir():
        return main, "."
    return main.parent, str(main)


def entry_file(project: Project) -> Path:
    """The file the program starts from (for reports), resolved as sdk/nodejs/cmd/run/run.ts does."""
    pwd, entry = program_directory_and_entry(project)
    if entry != ".":
        return Path(entry)
    package_root, package = _package_manifest(pwd)
    declared = package.get("exports")
    if isinstance(declared, dict):
        declared = declared.get(".")
    if isinstance(declared, dict):
        declared = declared.get("default") or declared.get("require") or declared.get("import")
    if not isinstance(declared, str):
        declared = package.get("main")
    if isinstance(declared, str) and (package_root / declared).exists():
        return (package_root / declared).resolve()
    for index in ("index.js", "index.ts"):  # Node tries .js before ts-node's .ts
        if (pwd / index).is_file():
            return pwd / index
    return pwd


def run_node_program(
    project: Project,
    *,
    stack: str,
    preview: bool,
    stack_config: StackConfig,
    env: Mapping[str, str] | None,
    timeout: float,
) -> list[ResourceRecord]:
    """Run the project's Node.js program against the fake engine; ProgramError says what failed."""
    options = node_options(project)
    environment = _environment(stack_config, options, env)
    node = shutil.which("node", path=environment.get("PATH", os.defpath))
    if node is None:
        raise ProgramError(
            f"Cannot run the Node.js program of {project.root}: `node` is not on PATH. Install Node.js "
            "(the version the project needs) or put its `bin` directory on PATH."
        )
    pwd, entry = program_directory_and_entry(project)
    run_module = _locate_run_module(node, pwd, project, environment)
    monitor = RecordingMonitor(
        project=project.name,
        stack=stack,
        preview=preview,
        config=stack_config.values,
        secret_keys=stack_config.secret_keys,
        project_root=project.root,
    )
    mode = "preview" if preview else "update"
    with FakeEngineServer(monitor) as engine:
        command = [
            node,
            *options.nodeargs,
            run_module,
            *("--monitor", engine.address, "--engine", engine.address),
            *("--organization", DEFAULT_ORGANIZATION, "--project", project.name),
            *("--root-directory", str(project.root), "--stack", stack, "--pwd", str(pwd)),
            *(["--dry-run"] if preview else []),
            *("--parallel", str(DEFAULT_PARALLEL)),
            entry,
        ]
        code, output = _run(command, pwd, environment, timeout, project)
        log = engine.log
    _show_diagnostics(output, log)
    errors = [item.message for item in log if item.severity == "error"]
    if code != 0 or errors:
        details = "\n".join(program_frames(_ANSI.sub("", message), project.root) for message in errors)
        if not details:
            details = f"node exited with code {code}. Its output:\n{_tail(output)}"
        raise ProgramError(
            f"Pulumi program {entry_file(project)} (project {project.name}, stack {stack}, {mode} mode) "
            f"failed:\n{details}"
        )
    return monitor.records


def program_frames(message: str, project_root: Path) -> str:
    """An error with its stack trace cut to the program's own frames (no SDK, no Node internals)."""
    lines = message.rstrip().splitlines()
    frames = [i for i, line in enumerate(lines) if _FRAME.match(line)]
    if not frames:
        return "\n".join(lines)
    own = [i for i in frames if _is_program_frame(lines[i], project_root)]
    kept = set(own[:MAX_FRAMES] if own else frames[:MAX_FRAMES])
    result = [line for i, line in enumerate(lines) if i not in frames or i in kept]
    hidden = len(frames) - len(kept)
    if hidden:
        after = result.index(lines[max(kept)]) + 1
        result.insert(after, f"    ... {hidden} more frames (SDK, Node.js) ...")
    return "\n".join(result)


def _is_program_frame(line: str, project_root: Path) -> bool:
    found = _FRAME_FILE.search(line)
    if found is None:  # `at async Promise.all (index 0)`, `at new Promise (<anonymous>)`
        return False
    path = Path(found.group("file").removeprefix("file://"))
    return path.is_relative_to(project_root) and "node_modules" not in path.parts


def _environment(
    stack_config: StackConfig, options: NodeOptions, env: Mapping[str, str] | None
) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PULUMI_CONFIG") and key not in _SDK_ARGUMENT_VARIABLES
    }
    environment.update(env or {})
    environment["PULUMI_CONFIG"] = json.dumps(legacy_config_keys(stack_config.values))
    environment["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(sorted(stack_config.secret_keys))
    if options.typescript:
        environment["PULUMI_NODEJS_TYPESCRIPT"] = "true"
    if options.tsconfig:
        environment["PULUMI_NODEJS_TSCONFIG_PATH"] = options.tsconfig
    return environment


def legacy_config_keys(values: Mapping[str, str]) -> dict[str, str]:
    """`ns:name` -> `ns:config:name`: the form the Node language host hands the SDK (which reads both)."""
    result: dict[str, str] = {}
    for key, value in values.items():
        namespace, _, name = key.partition(":")
        result[f"{namespace}:config:{name}" if name else key] = value
    return result


def _locate_run_module(node: str, pwd: Path, project: Project, environment: Mapping[str, str]) -> str:
    # Exactly the language host's locateModule: Node's own resolution from the program directory.
    script = f"console.log(require.resolve({json.dumps(RUN_MODULE)}))"
    try:
        found = subprocess.run(
            [node, "-e", script],
            cwd=pwd,
            env=dict(environment),
            capture_output=True,
            text=True,
            timeout=_LOCATE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProgramError(f"Cannot start `{node}` to locate the Pulumi SDK: {exc}") from None
    if found.returncode == 0 and found.stdout.strip():
        return found.stdout.strip()
    if "MODULE_NOT_FOUND" in found.stderr or "Cannot find module" in found.stderr:
        package_root, _ = _package_manifest(pwd)
        raise ProgramError(
            f"The Node.js program of {project.root} has no Pulumi SDK installed: {RUN_MODULE} is not in "
            f"any node_modules from {pwd} upwards. Run `npm install` (or `npm ci` with a lockfile) "
            f"in {package_root} first."
        )
    raise ProgramError(f"`node` could not locate {RUN_MODULE} from {pwd}:\n{_tail(found.stderr)}")


def _package_manifest(start: Path) -> tuple[Path, dict[str, Any]]:
    """The nearest package.json from `start` upwards (searchupPackageManifest), parsed; or `start`, {}."""
    for directory in (start, *start.parents):
        manifest = directory / "package.json"
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            return directory, data if isinstance(data, dict) else {}
    return start, {}


def _run(
    command: list[str], pwd: Path, environment: dict[str, str], timeout: float, project: Project
) -> tuple[int, str]:
    try:
        return run_in_own_group(command, cwd=pwd, env=environment, timeout=timeout)
    except ChildTimedOut as stopped:
        raise ProgramError(
            f"Pulumi program {entry_file(project)} did not finish within {timeout:g} s and was stopped. "
            f"Last output:\n{_tail(stopped.output)}"
        ) from None


def _show_diagnostics(output: str, log: list[LogEntry]) -> None:
    # What the program printed and logged is diagnostics (as in the CLI), never part of our report.
    lines = [output.rstrip("\n")] if output.strip() else []
    for entry in log:
        if entry.severity != "error":
            lines.append(f"{entry.severity}: {_ANSI.sub('', entry.message).rstrip()}")
    if lines:
        sys.stderr.write("\n".join(lines) + "\n")


def _tail(text: str) -> str:
    text = _ANSI.sub("", text).strip()
    return text if len(text) <= _OUTPUT_TAIL_CHARS else "..." + text[-_OUTPUT_TAIL_CHARS:]
