"""Write a benchmark result (a JSON-ready dict, see run.py) as results.json, results.md and, when
matplotlib is installed (the `bench` extra), results.png: time against stack size."""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

JSON_NAME = "results.json"
MARKDOWN_NAME = "results.md"
PLOT_NAME = "results.png"


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.2f}"


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.3f}"


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _met(value: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "n/a"}[value]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _scaling_table(points: Sequence[Mapping[str, Any]]) -> list[str]:
    """One row per stack size and pack, for every generated stack (classic and aws-native)."""
    header = ["Tables", "Resources", "Pack", "AnalyzeStack s", "Analyze total s", "Peak RSS MiB", "Findings"]
    rows = [
        [
            str(p["tables"]),
            str(p["resources"]),
            p["pack"],
            _s(p["analyze_stack_seconds"]),
            _s(p["analyze_total_seconds"]),
            _number(p["peak_rss_mib"], 1),
            str(p["findings"]),
        ]
        for p in points
    ]
    return _table(header, rows)


def markdown(result: Mapping[str, Any], plot: str | None) -> str:
    machine = result["machine"]
    startup, latency = result["startup"], result["analyze_latency"]
    lines = [
        "# Policy pack benchmark",
        "",
        f"{machine['date']} · {machine['cpu_count']} CPUs · Python {machine['python']} · "
        f"{machine['platform']} · `{result['command']}` · whole run {result['wall_seconds']:.0f} s",
        "",
        f"Packs: ours = `{result['packs']['ours']}`, no-op = `{result['packs']['noop']}` (one resource "
        "policy that does nothing). All calls go through the Analyzer gRPC protocol as the Pulumi CLI "
        "makes them.",
        "",
        "## Goals",
        "",
        *_table(
            ["Goal", "Measured", "Target", "Met"],
            [[g["name"], _number(g["value"]), f"<= {g['target']}", _met(g["met"])] for g in result["goals"]],
        ),
        "",
        f"## 1. Start-up: spawn to port printed ({startup['starts']} cold starts each, alternating)",
        "",
        "Each pack's bytecode cache (`__pycache__`) is written before timing, as a pack's first run "
        "writes it: the figures are what users see from the second run on.",
        "",
        *_table(
            ["Pack", "median ms", "min ms", "max ms"],
            [
                [name, _ms(startup[name]["median"]), _ms(startup[name]["min"]), _ms(startup[name]["max"])]
                for name in ("ours", "noop")
            ],
        ),
        "",
        f"## 2. Analyze latency per resource ({latency['resources']} resources of our stack x "
        f"{latency['rounds']} rounds)",
        "",
        *_table(
            ["Pack", "p50 ms", "p95 ms", "findings"],
            [
                [name, _ms(latency[name]["p50"]), _ms(latency[name]["p95"]), str(latency[name]["findings"])]
                for name in ("ours", "noop")
            ],
        ),
        "",
        *_table(
            ["Resource type", "count", "ours p50 ms", "no-op p50 ms"],
            [
                [f"`{rtype}`", str(row["count"]), _ms(row["ours_p50"]), _ms(row["noop_p50"])]
                for rtype, row in sorted(latency["by_type"].items())
            ],
        ),
        "",
        "## 3. Scaling: generated stacks (each table with its alarms, roles and role policies)",
        "",
        "Per size and pack, a fresh pack process: Analyze of every resource (stacks of at most "
        f"{result['analyze_up_to_tables']} tables; Analyze judges one resource at a time, so its cost per "
        "resource does not depend on the stack), then AnalyzeStack; peak memory is the pack process's "
        "VmHWM after both.",
        "",
        *_scaling_table(result["scaling"]),
        "",
        "### aws-native stack",
        "",
        "aws-native dynamodb Tables, each with an aws-native SystemErrors (Metrics Insights) and a "
        "read-throttle alarm, read by the same policies (bench/stacks.py `native_stack`).",
        "",
        *_scaling_table(result.get("scaling_native", [])),
        "",
        f"## 4. The program stage: ours beside the Pulumi SDK's own mocks ({result['program_mode']} mode)",
        "",
        "Wall time of the generated program from process start until the resources are back: ours "
        "(`run_program`: recording, transforms, provider checks, records to the parent) and the same "
        "program under `pulumi.runtime.mocks.MockMonitor` with mocks that echo inputs "
        "(`bench/sdk_mocks_worker.py`), back to back per round, alternating which goes first. Ratio: "
        "median of the per-round ratios.",
        "",
        *_table(
            ["Tables", "Resources", "Ours s (each round)", "SDK mocks s (each round)", "Ours / SDK"],
            [
                [
                    str(p["tables"]),
                    str(p["resources"]),
                    ", ".join(_s(v) for v in p["ours_seconds"]),
                    ", ".join(_s(v) for v in p["sdk_seconds"]),
                    _number(p["ratio"]),
                ]
                for p in result["program"]
            ],
        ),
        "",
        "## 5. The preview end to end from a stack export, beside the pack's own time",
        "",
        "Preview: `python -m policy_preview.cli --stack-export FILE --policy-pack policies` from process "
        "start to exit (Analyze calls a few at a time, as the preview makes them). Pack: the same stack "
        "in a fresh pack process, one call at a time with the requests built beforehand: the sum of its "
        "Analyze latencies plus its AnalyzeStack latency; of which in handlers: the time its Analyze and "
        "AnalyzeStack handlers take inside the pack process (`bench/timed_pack.py`), without transport; "
        "the pack's start-up (spawn to port), which the preview waits for as the CLI does, is not in "
        "the pack's time. Added: median over the rounds of preview / pack - 1.",
        "",
        *_table(
            [
                "Tables",
                "Resources",
                "Pack s (each round)",
                "of which in handlers s",
                "Pack start-up s",
                "Preview s",
                "Added",
            ],
            [
                [
                    str(p["tables"]),
                    str(p["resources"]),
                    ", ".join(_s(v) for v in p["pack_seconds"]),
                    ", ".join(_s(v) for v in p["handler_seconds"]),
                    ", ".join(_s(v) for v in p["startup_seconds"]),
                    ", ".join(_s(v) for v in p["preview_seconds"]),
                    f"{p['overhead']:.0%}",
                ]
                for p in result.get("export_preview", [])
            ],
        ),
        "",
    ]
    if plot:
        lines += [f"![time against stack size]({plot})", ""]
    else:
        lines += ["(No plot: matplotlib is not installed; install the `bench` extra.)", ""]
    return "\n".join(lines)


def plot(result: Mapping[str, Any], path: Path) -> bool:
    """Time against stack size, log-log; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, no display
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for pack, style in (("ours", "-"), ("noop", "--")):
        points = [p for p in result["scaling"] if p["pack"] == pack]
        tables = [p["tables"] for p in points]
        stack_seconds = [p["analyze_stack_seconds"] for p in points]
        axes.plot(tables, stack_seconds, style, marker="o", label=f"AnalyzeStack, {pack}")
        analyzed = [p for p in points if p["analyze_total_seconds"] is not None]
        analyze_tables = [p["tables"] for p in analyzed]
        analyze_seconds = [p["analyze_total_seconds"] for p in analyzed]
        axes.plot(
            analyze_tables, analyze_seconds, style, marker="s", label=f"Analyze, sum over resources, {pack}"
        )
    program = result["program"]
    program_tables = [p["tables"] for p in program]
    program_seconds = [statistics.median(p["ours_seconds"]) for p in program]
    axes.plot(program_tables, program_seconds, ":", marker="^", label="stack program under mocks (wall)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("tables in the stack")
    axes.set_ylabel("seconds")
    axes.set_title(f"Policy pack benchmark ({result['machine']['cpu_count']} CPUs)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return True


def write(result: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the result files into `out_dir`; returns them by kind."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"json": out_dir / JSON_NAME, "markdown": out_dir / MARKDOWN_NAME}
    if plot(result, out_dir / PLOT_NAME):
        files["plot"] = out_dir / PLOT_NAME
    else:
        (out_dir / PLOT_NAME).unlink(missing_ok=True)  # never leave an older run's plot beside the new table
    result["plot"] = PLOT_NAME if "plot" in files else None
    files["json"].write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    files["markdown"].write_text(markdown(result, result["plot"]), encoding="utf-8")
    return files
