"""The benchmark harness end to end at tiny sizes: it runs and writes its results in the documented
shape. Never a timing assertion: timings belong to `nox -s bench`, not to the test run."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from bench import run
from bench.report import JSON_NAME, MARKDOWN_NAME, PLOT_NAME

pytestmark = pytest.mark.slow

GOALS = [
    "start-up median, ours / no-op",
    "Analyze p50 per resource, ours / no-op",
    "AnalyzeStack of 1000 tables, ours (s)",
    "AnalyzeStack time(3000) / time(1000), ours",
    "program stage of 100 tables, ours / SDK mocks",
    "program stage of 1000 tables, ours / SDK mocks",
    "preview of a 100-table stack export, added over the pack",
    "preview of a 1000-table stack export, added over the pack",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    assert run.main(["--quick", "--out", str(out)]) == 0
    return out


def test_quick_run_writes_json_with_every_section(results: Path) -> None:
    data = json.loads((results / JSON_NAME).read_text(encoding="utf-8"))
    sections = {"machine", "goals", "startup", "analyze_latency", "scaling", "program", "export_preview"}
    sections.add("wall_seconds")
    assert sections <= set(data)
    assert isinstance(data["machine"]["cpu_count"], int) and data["machine"]["python"].count(".") == 2
    assert [goal["name"] for goal in data["goals"]] == GOALS
    # The goals at 100 tables and more need those sizes, which a quick run does not measure.
    assert [goal["met"] for goal in data["goals"][2:]] == [None] * 6
    for pack in ("ours", "noop"):
        assert len(data["startup"]["samples"][pack]) == 2
        assert {"p50", "p95", "findings"} <= set(data["analyze_latency"][pack])
    assert {p["pack"] for p in data["scaling"]} == {"ours", "noop"}
    assert all(p["peak_rss_mib"] is None or p["peak_rss_mib"] > 0 for p in data["scaling"])
    [program] = data["program"]
    assert program["tables"] == 1 and program["ratio"] > 0
    assert len(program["ours_seconds"]) == len(program["sdk_seconds"]) == 1
    [export] = data["export_preview"]
    # The same generated stack as the scaling table's.
    assert export["tables"] == 2 and export["resources"] == data["scaling"][0]["resources"]
    assert [len(export[key]) for key in ("pack_seconds", "handler_seconds", "preview_seconds")] == [1] * 3
    # Inside the pack its handlers take less than the client waits for them.
    assert 0 < export["handler_seconds"][0] < export["pack_seconds"][0]
    assert export["overhead"] > -1


def test_our_pack_passes_the_stacks_it_is_measured_on(results: Path) -> None:
    # A generated stack that our pack rejects would measure error paths, not the normal case.
    data = json.loads((results / JSON_NAME).read_text(encoding="utf-8"))
    assert data["analyze_latency"]["ours"]["findings"] == 0
    assert [p["findings"] for p in data["scaling"] if p["pack"] == "ours"] == [0]
    assert [p["findings"] for p in data["scaling_native"] if p["pack"] == "ours"] == [0]
    # 2 aws-native tables with 2 alarms each, a root stack and the provider.
    assert {p["resources"] for p in data["scaling_native"]} == {8}


def test_markdown_has_a_row_per_goal_pack_and_size(results: Path) -> None:
    text = (results / MARKDOWN_NAME).read_text(encoding="utf-8")
    for goal in GOALS:
        assert f"| {goal} |" in text
    assert "| ours |" in text and "| noop |" in text
    # 2 tables: events (11 resources: its stream-consumer role and policy too) + sessions (10) + 5
    # the stack has once.
    assert "| 2 | 26 | ours |" in text and "| 2 | 26 | noop |" in text
    assert "`aws:dynamodb/table:Table`" in text


def test_plot_is_written_when_matplotlib_is_installed(results: Path) -> None:
    data = json.loads((results / JSON_NAME).read_text(encoding="utf-8"))
    if importlib.util.find_spec("matplotlib") is None:
        assert data["plot"] is None and not (results / PLOT_NAME).exists()
    else:
        assert data["plot"] == PLOT_NAME
        assert (results / PLOT_NAME).read_bytes().startswith(b"\x89PNG")
