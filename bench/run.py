"""Benchmark the policy pack against a no-op pack; `nox -s bench` runs it.

    python -m bench.run            # the full benchmark, results in bench/results/
    python -m bench.run --quick    # tiny sizes, 2 starts: checks the harness, not the pack

Measures start-up, Analyze latency per resource of our stack, AnalyzeStack / Analyze / memory on
generated stacks of 10 to 3000 tables and on an aws-native stack of 1000 tables, the program stage
side by side with the Pulumi SDK's own mocks, and the preview end to end from a stack export beside
the pack's own time, then writes results.json, results.md and results.png.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import measure, report
from bench.mock_program import compare_program
from bench.stacks import REPO_ROOT, make_template, native_stack, real_stack_records
from policy_preview.program.runner import Mode

PACKS = {"ours": REPO_ROOT / "policies", "noop": Path(__file__).resolve().with_name("noop_pack")}
RESULTS_DIR = Path(__file__).resolve().with_name("results")
PROGRAM_MODE: Mode = "preview"

# The goals the pack is measured against.
STARTUP_RATIO_GOAL = 1.3
LATENCY_P50_RATIO_GOAL = 1.5
STACK_1000_SECONDS_GOAL = 2.0
STACK_3000_OVER_1000_GOAL = 3.5
# Issue 9's goals.
PROGRAM_OVER_SDK_MOCKS_GOAL = 1.2
EXPORT_PREVIEW_OVERHEAD_GOAL = 0.25


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of table counts") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("table counts must be positive")
    return sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes and 2 starts (smoke test)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where to write the results")
    parser.add_argument("--starts", type=int, help="cold starts per pack (default 12; quick 2)")
    parser.add_argument("--rounds", type=int, help="Analyze rounds over our stack (default 20; quick 1)")
    parser.add_argument("--sizes", type=_sizes, help="tables per generated stack (default 10,100,1000,3000)")
    parser.add_argument(
        "--analyze-up-to",
        type=int,
        default=1000,
        help="Analyze every resource only in stacks of at most this many tables (default 1000)",
    )
    parser.add_argument(
        "--program-tables", type=_sizes, help="tables per program comparison (default 100,1000)"
    )
    parser.add_argument(
        "--program-rounds",
        type=int,
        help="program comparison rounds (default 3, so one slow round cannot decide the median; quick 1)",
    )
    parser.add_argument(
        "--export-tables", type=_sizes, help="tables per stack-export preview (default 100,1000)"
    )
    parser.add_argument("--export-rounds", type=int, help="stack-export preview rounds (default 3; quick 1)")
    parser.add_argument(
        "--native-sizes", type=_sizes, help="tables per aws-native stack (default 1000; quick 2)"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.starts = args.starts or (2 if quick else 12)
    args.rounds = args.rounds or (1 if quick else 20)
    args.sizes = args.sizes or ((2,) if quick else (10, 100, 1000, 3000))
    args.program_tables = args.program_tables or ((1,) if quick else (100, 1000))
    args.program_rounds = args.program_rounds or (1 if quick else 3)
    args.export_tables = args.export_tables or ((2,) if quick else (100, 1000))
    args.export_rounds = args.export_rounds or (1 if quick else 3)
    args.native_sizes = args.native_sizes or ((2,) if quick else (1000,))
    return args


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _machine() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
    }


def _ratio(ours: float | None, baseline: float | None) -> float | None:
    return ours / baseline if ours is not None and baseline else None


def _goal(name: str, value: float | None, target: float) -> dict[str, Any]:
    return {"name": name, "value": value, "target": target, "met": None if value is None else value <= target}


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    _progress("running our stack program (update mode) for its resources...")
    records = real_stack_records()
    template = make_template(records)

    _progress(f"start-up: {args.starts} cold starts of each pack...")
    startup = measure.startup(PACKS, args.starts)
    _progress(f"latency: {args.rounds} rounds over {len(records)} resources...")
    latency = measure.latency(PACKS, records, args.rounds)
    scaling = measure.scaling(PACKS, template, args.sizes, args.analyze_up_to, _progress)
    native = measure.scaling_of(
        PACKS, native_stack, args.native_sizes, args.analyze_up_to, _progress, label="aws-native"
    )
    program = []
    for tables in args.program_tables:
        _progress(
            f"program: {tables} tables, ours and the SDK's own mocks, {args.program_rounds} round(s)..."
        )
        comparison = compare_program(tables, args.program_rounds, mode=PROGRAM_MODE)
        _progress(f"program: {tables} tables: ours / SDK mocks = {comparison.ratio:.2f}")
        program.append({**asdict(comparison), "ratio": comparison.ratio})
    export = [
        {**asdict(point), "overhead": point.overhead}
        for point in measure.export_preview(
            PACKS["ours"], template, args.export_tables, args.export_rounds, _progress
        )
    ]

    startup_summary = {name: measure.summary(samples) for name, samples in startup.items()}
    latency_summary: dict[str, Any] = {
        name: {**measure.summary(result.samples), "findings": result.findings}
        for name, result in latency.items()
    }
    by_type = {
        rtype: {
            "count": len(samples) // args.rounds,
            "ours_p50": measure.percentile(samples, 0.5),
            "noop_p50": measure.percentile(latency["noop"].by_type[rtype], 0.5),
        }
        for rtype, samples in latency["ours"].by_type.items()
    }
    points = [{"pack": name, **asdict(point)} for name, series in scaling.items() for point in series]
    native_points = [{"pack": name, **asdict(point)} for name, series in native.items() for point in series]
    stack_seconds = {p.tables: p.analyze_stack_seconds for p in scaling["ours"]}

    goals = [
        _goal(
            "start-up median, ours / no-op",
            _ratio(startup_summary["ours"]["median"], startup_summary["noop"]["median"]),
            STARTUP_RATIO_GOAL,
        ),
        _goal(
            "Analyze p50 per resource, ours / no-op",
            _ratio(latency_summary["ours"]["p50"], latency_summary["noop"]["p50"]),
            LATENCY_P50_RATIO_GOAL,
        ),
        _goal("AnalyzeStack of 1000 tables, ours (s)", stack_seconds.get(1000), STACK_1000_SECONDS_GOAL),
        _goal(
            "AnalyzeStack time(3000) / time(1000), ours",
            _ratio(stack_seconds.get(3000), stack_seconds.get(1000)),
            STACK_3000_OVER_1000_GOAL,
        ),
        *(
            _goal(
                f"program stage of {tables} tables, ours / SDK mocks",
                next((p["ratio"] for p in program if p["tables"] == tables), None),
                PROGRAM_OVER_SDK_MOCKS_GOAL,
            )
            for tables in (100, 1000)
        ),
        *(
            _goal(
                f"preview of a {tables}-table stack export, added over the pack",
                next((p["overhead"] for p in export if p["tables"] == tables), None),
                EXPORT_PREVIEW_OVERHEAD_GOAL,
            )
            for tables in (100, 1000)
        ),
    ]
    return {
        "machine": _machine(),
        "command": "python -m bench.run" + (" --quick" if args.quick else ""),
        "quick": args.quick,
        "packs": {name: str(path.relative_to(REPO_ROOT)) for name, path in PACKS.items()},
        "goals": goals,
        "startup": {"starts": args.starts, **startup_summary, "samples": startup},
        "analyze_latency": {
            "resources": len(records),
            "rounds": args.rounds,
            **latency_summary,
            "by_type": by_type,
        },
        "scaling": points,
        "scaling_native": native_points,
        "analyze_up_to_tables": args.analyze_up_to,
        "program_mode": PROGRAM_MODE,
        "program": program,
        "export_preview": export,
        "wall_seconds": time.perf_counter() - started,
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    files = report.write(result, args.out)
    for goal in result["goals"]:
        value = "n/a" if goal["value"] is None else f"{goal['value']:.2f}"
        verdict = {True: "met", False: "MISSED", None: "not measured"}[goal["met"]]
        _progress(f"goal: {goal['name']}: {value} (target <= {goal['target']}): {verdict}")
    _progress(f"wrote {', '.join(str(path) for path in files.values())} in {result['wall_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
