"""`policy-preview`: judge a Pulumi program (Python, TypeScript, JavaScript; run offline) or a
`pulumi stack export` file with CrossGuard policy packs, as `pulumi preview --policy-pack` would.

Exit codes: 0 nothing mandatory violated, 1 a mandatory policy is violated (with --baseline: a
mandatory finding not in the baseline), 2 bad input or a failed pack/program (one paragraph on
stderr saying what and where).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

# Light imports only: the packs are spawned before the SDK's protos (`pulumi`, about 0.4 s) and the
# pack client are imported, so a pack boots while we import (see run()).
from policy_preview.analyzer.pack_process import (
    DEFAULT_PACK_TIMEOUT,
    EngineLogServer,
    PackProcess,
    StackSettings,
)
from policy_preview.errors import EXIT_BAD_INPUT, ConfigError, PreviewError
from policy_preview.model import ResourceRecord
from policy_preview.report.baseline import load_baseline
from policy_preview.report.common import RunContext, exit_code
from policy_preview.report.finding_details import repository_root
from policy_preview.report.render import FORMATS, render

if TYPE_CHECKING:
    from policy_preview.evaluate import Evaluation

DEFAULT_PACK_DIR = "policies"
PROJECT_FILE = "Pulumi.yaml"
_PROGRESS_DELAY = 0.5  # seconds before progress appears: quick runs stay quiet


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-preview",
        description="Evaluate CrossGuard policy packs against a Pulumi Python or Node.js program "
        "(run offline against a fake engine) or a `pulumi stack export` file, "
        "as `pulumi preview --policy-pack` would. "
        "Exit 0: no mandatory violation; 1: mandatory violation; 2: bad input or failed pack.",
    )
    add = parser.add_argument
    add(
        "project_dir",
        nargs="?",
        type=Path,
        metavar="PROJECT_DIR",
        help="Pulumi project directory (default: the nearest one from the current directory upwards)",
    )
    add("--project", type=Path, dest="project_opt", metavar="DIR", help="same as PROJECT_DIR")
    add("--stack", default="dev", help="stack name; selects Pulumi.<stack>.yaml (default: dev)")
    add(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="config value for the program; repeatable; bare keys get the project's namespace",
    )
    add(
        "--mode",
        choices=("preview", "update"),
        default="preview",
        help="preview: outputs of other resources are unknown, as in a first `pulumi preview`; "
        "update: plausible computed outputs (default: preview)",
    )
    add("--stack-export", type=Path, metavar="FILE", help="judge a `pulumi stack export` file instead")
    add(
        "--policy-pack",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="policy pack directory (holds PulumiPolicy.yaml); repeatable "
        "(default: the nearest `policies/` from the project directory upwards)",
    )
    add(
        "--policy-pack-config",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="JSON config for the --policy-pack at the same position, in the CLI's format; repeatable",
    )
    add("--format", choices=tuple(FORMATS), default="text", help="report format (default: text)")
    add("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    add(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="a JSON report (from --write-baseline or --format json) of findings accepted for now: "
        "only mandatory findings not in it fail the run (exit 1)",
    )
    add(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="also write this run's JSON report to FILE, for use as --baseline later",
    )
    add(
        "--pack-timeout",
        type=float,
        default=DEFAULT_PACK_TIMEOUT,
        metavar="SECONDS",
        help=f"bound on a pack's start-up and on each call to it (default: {DEFAULT_PACK_TIMEOUT:g})",
    )
    return parser


# --- inputs ------------------------------------------------------------------------------------


def parse_config_pairs(pairs: Sequence[str]) -> dict[str, str]:
    config: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--config {pair!r}: expected KEY=VALUE, e.g. --config environmentSuffix=dev.")
        config[key.strip()] = value
    return config


def find_project_dir(start: Path) -> Path:
    """`start` if it holds Pulumi.yaml, else the nearest parent that does (as the CLI searches)."""
    start = start.resolve()
    if not start.is_dir():
        raise ConfigError(f"project directory {start} does not exist.")
    for candidate in (start, *start.parents):
        if (candidate / PROJECT_FILE).is_file():
            return candidate
    raise ConfigError(
        f"no {PROJECT_FILE} in {start} or any parent directory: pass the Pulumi project's directory "
        "(e.g. `policy-preview infra`) or judge a stack export with --stack-export FILE."
    )


def default_pack_dir(start: Path) -> Path:
    """The nearest `policies/` with a PulumiPolicy.yaml, from `start` upwards."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / DEFAULT_PACK_DIR / "PulumiPolicy.yaml").is_file():
            return candidate / DEFAULT_PACK_DIR
    raise ConfigError(
        f"no policy pack given and no `{DEFAULT_PACK_DIR}/PulumiPolicy.yaml` found from {start} upwards; "
        "pass one with --policy-pack DIR."
    )


def as_typed(path: Path) -> Path:
    """A found path the way a user would pass it: relative to the working directory when below it
    (the report shows packs as given, as the CLI does)."""
    cwd = Path.cwd().resolve()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def pair_pack_configs(packs: Sequence[Path], configs: Sequence[Path], defaulted: bool) -> list[Path | None]:
    """One config per pack, by position, as the CLI requires (`--policy-pack-config` needs a
    matching `--policy-pack`; we also accept one config for the default pack)."""
    if not configs:
        return [None] * len(packs)
    if defaulted and len(configs) == 1:
        return [configs[0]] * len(packs)
    if defaulted:
        raise ConfigError(
            '"--policy-pack-config" must be specified with "--policy-pack" when there are several configs.'
        )
    if len(configs) != len(packs):
        raise ConfigError(
            'the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags.'
        )
    return list(configs)


@dataclass(frozen=True)
class Plan:
    """What to run, decided from the arguments before anything starts."""

    project_dir: Path | None  # the program to run, or None when judging an export
    export_file: Path | None
    packs: list[Path]
    pack_configs: list[Path | None]
    settings: StackSettings
    context: RunContext
    config: dict[str, str]


def make_plan(args: argparse.Namespace) -> Plan:
    if args.project_dir and args.project_opt and args.project_dir.resolve() != args.project_opt.resolve():
        raise ConfigError(
            f"two project directories given: {args.project_dir} and --project {args.project_opt}."
        )
    if not args.pack_timeout > 0:
        raise ConfigError(f"--pack-timeout must be a positive number of seconds, not {args.pack_timeout:g}.")
    config = parse_config_pairs(args.config)
    if not args.policy_pack:  # flag errors first, before looking for the default pack
        pair_pack_configs([], args.policy_pack_config, defaulted=True)
    given_dir = args.project_opt or args.project_dir
    if args.stack_export is not None:
        export = args.stack_export.resolve()
        if not export.is_file():
            raise ConfigError(f"--stack-export {args.stack_export}: no such file.")
        search_from = given_dir or Path.cwd()
        packs = args.policy_pack or [as_typed(default_pack_dir(search_from))]
        settings = StackSettings(stack=args.stack, dry_run=False)
        # Positions in an export are relative to its project's root: the given directory, else the
        # nearest Pulumi.yaml from here, else here.
        try:
            project_root = find_project_dir(search_from)
        except ConfigError:
            project_root = search_from.resolve()
        context = RunContext(
            kind="stack-export",
            path=export,
            stack=None,
            project_root=project_root,
            repo_root=repository_root(project_root),
        )
        project_dir = None
    else:
        from policy_preview.program.project import apply_overrides, load_project, load_stack_config
        from policy_preview.program.runner import program_entry

        project_dir = find_project_dir(given_dir or Path.cwd())
        loaded = load_project(project_dir)
        stack_config = apply_overrides(load_stack_config(loaded, args.stack), config, loaded.name)
        packs = args.policy_pack or [as_typed(default_pack_dir(project_dir))]
        tags = {"pulumi:project": loaded.name, "pulumi:runtime": loaded.runtime}
        settings = StackSettings(
            project=loaded.name,
            stack=args.stack,
            dry_run=args.mode == "preview",
            config=stack_config.values,
            config_secret_keys=tuple(sorted(stack_config.secret_keys)),
            tags=tags,
        )
        context = RunContext(
            kind="program",
            path=program_entry(loaded),
            mode=args.mode,
            stack=args.stack,
            project=loaded.name,
            project_root=project_dir,
            repo_root=repository_root(project_dir),
        )
    if args.baseline is not None:
        context = replace(context, baseline=load_baseline(args.baseline))
    pack_configs = pair_pack_configs(packs, args.policy_pack_config, defaulted=not args.policy_pack)
    for path in pack_configs:
        if path is not None and not path.is_file():
            raise ConfigError(f"--policy-pack-config {path}: no such file.")
    return Plan(
        project_dir=project_dir,
        export_file=args.stack_export.resolve() if args.stack_export else None,
        packs=packs,
        pack_configs=pack_configs,
        settings=settings,
        context=context,
        config=config,
    )


def load_records(plan: Plan, stack: str, mode: str) -> list[ResourceRecord]:
    """The resources to judge: from the program (run under mocks) or the export file."""
    if plan.export_file is not None:
        from policy_preview.program.stack_export import read_stack_export

        return read_stack_export(plan.export_file)
    from policy_preview.program.runner import run_program

    assert plan.project_dir is not None
    return run_program(plan.project_dir, stack=stack, mode=mode, config=plan.config)  # type: ignore[arg-type]


# --- progress and signals ------------------------------------------------------------------------


class Progress:
    """Stage messages on stderr, only for a terminal and only once the run has taken a moment."""

    def __init__(self, stream: TextIO, delay: float = _PROGRESS_DELAY) -> None:
        self._stream = stream
        self._enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._visible = False
        self._current = ""
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if self._enabled:
            self._timer = threading.Timer(delay, self._show)
            self._timer.daemon = True
            self._timer.start()

    def _show(self) -> None:
        with self._lock:
            self._visible = True
            if self._current:
                self._stream.write(self._current + "\n")
                self._stream.flush()

    def __call__(self, message: str) -> None:
        with self._lock:
            self._current = message
            if self._visible:
                self._stream.write(message + "\n")
                self._stream.flush()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class _Terminated(BaseException):
    """SIGTERM/SIGHUP, raised in the main thread so every `finally` stops what it started."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# --- main ----------------------------------------------------------------------------------------


def run(plan: Plan, args: argparse.Namespace, progress: Progress) -> tuple[Evaluation, int]:
    with contextlib.ExitStack() as stack:
        engine = stack.enter_context(EngineLogServer())
        packs = []
        for pack_dir in plan.packs:
            pack = PackProcess(
                pack_dir, settings=plan.settings, engine_address=engine.address, timeout=args.pack_timeout
            )
            stack.callback(pack.stop)
            # Packs boot (~0.5 s each) while we import the client and the program runs (or the
            # export is read).
            packs.append(pack.spawn())
        from policy_preview.evaluate import configure_pack, evaluate

        progress("running program..." if plan.export_file is None else "reading stack export...")
        records = load_records(plan, args.stack, args.mode)
        clients = []
        for pack, config_file in zip(packs, plan.pack_configs, strict=True):
            progress(f"starting policy pack {pack.directory}...")
            clients.append(configure_pack(pack, config_file=config_file, settings=plan.settings))
        evaluation = evaluate(
            records, clients, apply_remediations=plan.export_file is None, progress=progress
        )
        evaluation = replace(evaluation, engine_log=tuple(engine.lines))
    return evaluation, exit_code(evaluation, plan.context)


def _write(text: str, output: Path | None, option: str = "--output") -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{option} {output}: cannot write the report: {exc.strerror or exc}") from exc


def _error(message: str) -> None:
    sys.stderr.write(f"policy-preview: error: {message}\n")
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    progress = Progress(sys.stderr)
    started = time.perf_counter()
    try:
        with _signals_raise():
            plan = make_plan(args)
            evaluation, code = run(plan, args, progress)
            _write(render(evaluation, plan.context, args.format), args.output)
            if args.write_baseline is not None:
                _write(render(evaluation, plan.context, "json"), args.write_baseline, "--write-baseline")
            return code
    except PreviewError as exc:
        _error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted; every policy pack and program process was stopped.")
        return 130
    except _Terminated as exc:
        _error(f"terminated by signal {exc.signum}; every policy pack and program process was stopped.")
        return 128 + exc.signum
    except Exception:  # noqa: BLE001 - a bug of ours: show it, but never as "policy violated" (1)
        _error(
            "internal error after "
            f"{time.perf_counter() - started:.1f} s (please report it):\n{traceback.format_exc()}"
        )
        return EXIT_BAD_INPUT
    finally:
        progress.close()


def console_main() -> Any:  # pragma: no cover - thin wrapper for `python -m`
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    console_main()
