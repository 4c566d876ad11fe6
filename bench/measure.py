"""The measurements, all through the Analyzer protocol as the Pulumi CLI drives a pack: the pack is
spawned as the CLI spawns it (PackProcess), configured as the CLI configures it (configure_pack),
and judged resource by resource, then as a stack (evaluate). Two packs are always measured side by
side, alternating which goes first, so that a busy machine slows both alike.
"""

from __future__ import annotations

import compileall
import json
import math
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.stacks import REPO_ROOT, StackTemplate, generate_stack
from policy_preview.analyzer.client import AnalyzerClient, PackProcess, StackSettings
from policy_preview.evaluate import configure_pack, evaluate
from policy_preview.model import ResourceRecord
from policy_preview.program.stack_export import read_stack_export
from tests.mutations.stack_export_writer import stack_export

# What the CLI tells the pack for `pulumi up` of our stack.
SETTINGS = StackSettings(project="dynamodb-guardrails", stack="dev", dry_run=False)
Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def _alternating(names: Sequence[str], round_index: int) -> list[str]:
    return list(names) if round_index % 2 == 0 else list(reversed(names))


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def peak_rss_mib(pid: int) -> float | None:
    """The process's resident-set high-water mark (VmHWM), or None where /proc has no such line."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


@contextmanager
def running(pack_dir: Path, python: str | None = None) -> Iterator[AnalyzerClient]:
    """A fresh pack process, configured as the CLI does; always stopped."""
    # The benchmark's interpreter for both packs, whatever virtualenv PulumiPolicy.yaml names.
    with PackProcess(pack_dir, settings=SETTINGS, python=python or sys.executable) as pack:
        yield configure_pack(pack, config_file=None, settings=SETTINGS)


def wrapper_python(scratch: Path, script: Path, out: Path) -> str:
    """An executable that PackProcess can use as the pack's interpreter: it runs the pack under
    `script` (profiled_pack.py, timed_pack.py), which writes its results to `out` when stopped."""
    wrapper = scratch / f"python-{script.stem}"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -u "{script}" "{out}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return str(wrapper)


# --- 1. start-up ---------------------------------------------------------------------------------


def startup(packs: Mapping[str, Path], starts: int) -> dict[str, list[float]]:
    """Seconds from spawn to the port line, `starts` cold starts of each pack, alternating.

    Each pack's bytecode cache is written first, as the pack's first run writes it: start-up is
    timed as users see it from the second run on. Without it, on a machine that sets
    PYTHONDONTWRITEBYTECODE=1 (some CI images, this bench's own machine), every start would
    compile our pack's ~36 modules from source (~30 ms) while the no-op pack's one small file and
    the SDK both packs load (compiled by pip at install) would not: the ratio would time the
    machine's setting, not the pack."""
    for directory in packs.values():
        compileall.compile_dir(directory, quiet=1)
    samples: dict[str, list[float]] = {name: [] for name in packs}
    for index in range(starts):
        for name in _alternating(list(packs), index):
            with PackProcess(packs[name], settings=SETTINGS, python=sys.executable) as pack:
                assert pack.startup_seconds is not None
                samples[name].append(pack.startup_seconds)
    return samples


# --- 2. Analyze latency per resource -------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    samples: list[float]  # one per resource per round
    by_type: dict[str, list[float]]
    findings: int  # per round; our stack is meant to pass


def latency(
    packs: Mapping[str, Path],
    records: Sequence[ResourceRecord],
    rounds: int,
) -> dict[str, Latency]:
    """Analyze latency of every resource of `records`, `rounds` times per pack (after one warm-up
    round, so lazily built caches in the SDK and gRPC are not counted)."""
    samples: dict[str, list[float]] = {name: [] for name in packs}
    by_type: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in packs}
    findings: dict[str, int] = {}
    with ExitStack() as stack:
        clients = {name: stack.enter_context(running(path)) for name, path in packs.items()}
        for index in range(rounds + 1):
            for name in _alternating(list(packs), index):
                evaluation = evaluate(records, [clients[name]], concurrency=1)
                findings[name] = len(evaluation.findings)
                if index == 0:
                    continue
                samples[name] += evaluation.analyze_seconds
                for record, seconds in zip(records, evaluation.analyze_seconds, strict=True):
                    by_type[name][record.type].append(seconds)
    return {name: Latency(samples[name], dict(by_type[name]), findings[name]) for name in packs}


# --- 3. scaling ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScalePoint:
    tables: int
    resources: int
    analyze_stack_seconds: float
    analyze_total_seconds: float | None  # sum of the Analyze calls' latencies; None: not measured
    peak_rss_mib: float | None
    findings: int


def scaling(
    packs: Mapping[str, Path],
    template: StackTemplate,
    sizes: Sequence[int],
    analyze_up_to: int,
    progress: Progress = _quiet,
) -> dict[str, list[ScalePoint]]:
    """Per stack size and pack, in a fresh pack process: every resource's Analyze (for stacks of at
    most `analyze_up_to` tables), then AnalyzeStack (the engine's order), and the pack's peak memory.

    Analyze judges one resource at a time, so its cost per resource does not depend on the stack's
    size; above `analyze_up_to` tables only AnalyzeStack is measured, which keeps the benchmark
    within its time budget (27,000 Analyze calls per pack at 3000 tables take minutes)."""
    return scaling_of(packs, lambda tables: generate_stack(template, tables), sizes, analyze_up_to, progress)


def scaling_of(
    packs: Mapping[str, Path],
    make_stack: Callable[[int], list[ResourceRecord]],
    sizes: Sequence[int],
    analyze_up_to: int,
    progress: Progress = _quiet,
    label: str = "scaling",
) -> dict[str, list[ScalePoint]]:
    """`scaling` over the stacks `make_stack(tables)` builds (e.g. an aws-native stack)."""
    points: dict[str, list[ScalePoint]] = {name: [] for name in packs}
    for index, tables in enumerate(sizes):
        records = make_stack(tables)
        for name in _alternating(list(packs), index):
            started = time.perf_counter()
            with running(packs[name]) as client:
                if tables <= analyze_up_to:
                    evaluation = evaluate(records, [client], concurrency=1)
                    analyze_total: float | None = sum(evaluation.analyze_seconds)
                    stack_result = evaluation.analyze_stack_seconds[0]
                    findings = len(evaluation.findings)
                else:
                    result = client.analyze_stack(records)
                    analyze_total, stack_result, findings = None, result.seconds, len(result.findings)
                assert client.pack.pid is not None
                rss = peak_rss_mib(client.pack.pid)
            points[name].append(
                ScalePoint(
                    tables=tables,
                    resources=len(records),
                    analyze_stack_seconds=stack_result,
                    analyze_total_seconds=analyze_total,
                    peak_rss_mib=rss,
                    findings=findings,
                )
            )
            progress(
                f"{label}: {name} {tables} tables ({len(records)} resources) "
                f"in {time.perf_counter() - started:.1f} s"
            )
    return points


# --- 4. the preview end to end from a stack export -------------------------------------------------


@dataclass(frozen=True)
class ExportPreview:
    """`policy-preview --stack-export` end to end beside the time the pack takes for the same stack
    in a fresh pack process, one call at a time with the requests built beforehand:
    `pack_seconds`, the sum of its Analyze latencies plus its AnalyzeStack latency as a client sees
    them (the measure of the bench's scaling table, and of issue 9's "today about 45 %"), and
    `handler_seconds`, the part of it spent in the pack's handlers (bench/timed_pack.py). The
    preview also waits for the pack to start (`startup_seconds`, spawn to port, measured on the
    reference pack), which the Pulumi CLI waits for as well: at 100 tables it is most of what the
    preview adds."""

    tables: int
    resources: int
    pack_seconds: list[float]
    handler_seconds: list[float]
    startup_seconds: list[float]
    preview_seconds: list[float]

    @property
    def overhead(self) -> float:
        """Median over the rounds of what the preview adds on top of the pack: preview / pack - 1."""
        pairs = zip(self.preview_seconds, self.pack_seconds, strict=True)
        return statistics.median(preview / pack - 1 for preview, pack in pairs)


_TIMED_PACK = Path(__file__).resolve().with_name("timed_pack.py")


def _pack_seconds(pack_dir: Path, export: Path, scratch: Path) -> tuple[float, float, float]:
    """(sum of the latencies, time inside the pack's handlers) of Analyze + AnalyzeStack, and the
    pack's start-up."""
    records = read_stack_export(export)
    totals = scratch / "pack-times.json"
    with running(pack_dir, python=wrapper_python(scratch, _TIMED_PACK, totals)) as client:
        evaluation = evaluate(records, [client], apply_remediations=False, concurrency=1)
        startup = client.pack.startup_seconds or 0.0
    inside = json.loads(totals.read_text(encoding="utf-8"))
    if inside["analyze_calls"] != len(records):
        raise RuntimeError(f"timed {inside['analyze_calls']} Analyze calls, expected {len(records)}")
    latencies = sum(evaluation.analyze_seconds) + sum(evaluation.analyze_stack_seconds)
    return latencies, inside["analyze"] + inside["analyze_stack"], startup


def _preview_seconds(pack_dir: Path, export: Path, report: Path) -> float:
    command = [sys.executable, "-m", "policy_preview.cli", "--stack-export", str(export)]
    command += ["--policy-pack", str(pack_dir), "--output", str(report)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: a mandatory finding, still a full run
        raise RuntimeError(f"policy-preview failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def export_preview(
    pack_dir: Path,
    template: StackTemplate,
    sizes: Sequence[int],
    rounds: int,
    progress: Progress = _quiet,
) -> list[ExportPreview]:
    """Per stack size: the stack as a `pulumi stack export` file, then `rounds` rounds of the pack
    alone and the preview end to end, alternating which goes first."""
    results = []
    for tables in sizes:
        records = generate_stack(template, tables)
        pack: list[float] = []
        handlers: list[float] = []
        startups: list[float] = []
        preview: list[float] = []
        with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
            export = Path(scratch) / "stack.json"
            export.write_text(json.dumps(stack_export(records)), encoding="utf-8")
            for index in range(rounds):
                for which in _alternating(["pack", "preview"], index):
                    if which == "pack":
                        latencies, inside, startup = _pack_seconds(pack_dir, export, Path(scratch))
                        pack.append(latencies)
                        handlers.append(inside)
                        startups.append(startup)
                    else:
                        preview.append(_preview_seconds(pack_dir, export, Path(scratch) / "report.txt"))
                progress(
                    f"export preview: {tables} tables, round {index + 1}: pack {pack[-1]:.2f} s, "
                    f"preview {preview[-1]:.2f} s"
                )
        results.append(ExportPreview(tables, len(records), pack, handlers, startups, preview))
    return results


def summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "median": statistics.median(samples),
        "p50": percentile(samples, 0.50),
        "p95": percentile(samples, 0.95),
        "min": min(samples),
        "max": max(samples),
    }
