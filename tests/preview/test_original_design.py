"""The original TypeScript design (fixtures/node/tap: lib/tap-stack.ts and bin/tap.ts verbatim from
the seed document), judged by `policy-preview` with our pack as a user would run it, type-checked
by the project's own ts-node as under the CLI.

It is run once, in update mode, so the pack sees complete documents (its IAM policies are built
with `table.arn.apply(...)`, unknown in a first preview); the findings are the same in preview mode.
ts-node compiles it without type-checking (PULUMI_NODEJS_TRANSPILE_ONLY, Pulumi's own switch):
checking it against the @pulumi/aws typings costs ~15 s of CPU and changes no record; type errors
are test_node_program.py's business.
A user should see exactly what it gets wrong: alarms that can never fire, tables without working
alarms, alarms that notify nobody; and nothing about what it does right (on-demand billing, SSE,
tags, scoped read/write roles).
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from policy_preview import cli

from .engine_helpers import OUR_PACK, REPO

pytestmark = pytest.mark.slow

PREFIX = "urn:pulumi:dev::TapStack::tap:stack:TapStack$"
TABLES = ("events", "sessions", "users")


@pytest.fixture(scope="module")
def report(node_fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any]]:
    output = tmp_path_factory.mktemp("tap") / "report.json"
    argv = [str(node_fixtures / "tap"), "--policy-pack", str(OUR_PACK), "--mode", "update"]
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.setenv("PULUMI_NODEJS_TRANSPILE_ONLY", "true")
        code = cli.main([*argv, "--format", "json", "--output", str(output)])
    if code not in (0, 1):
        pytest.fail(f"policy-preview failed (exit {code}):\n{stderr.getvalue()}")
    return code, json.loads(output.read_text(encoding="utf-8"))


def findings(report: dict[str, Any], policy: str) -> dict[str, str]:
    """URN -> message of the policy's findings."""
    return {f["urn"]: f["message"] for f in report["findings"] if f["policy"] == policy}


def test_the_whole_design_ran_and_fails_on_mandatory_policies(report: tuple[int, dict[str, Any]]) -> None:
    code, data = report
    assert code == 1
    assert data["source"]["path"].endswith("tap/bin/tap.ts")
    # Stack, component, default provider, 3 x (table, 2 alarms, 2 roles, 2 policies), insights.
    assert data["summary"]["resources"] == 25
    assert data["notApplicable"] == []


def test_its_per_table_alarms_can_never_fire(report: tuple[int, dict[str, Any]]) -> None:
    dead = {
        urn: message
        for urn, message in findings(report[1], "dynamodb-table-alarms").items()
        if "MetricAlarm" in urn
    }
    expected = {
        f"{PREFIX}aws:cloudwatch/metricAlarm:MetricAlarm::{table}-{metric}-dev"
        for table in TABLES
        for metric in ("user-errors", "system-errors")
    }
    assert dead.keys() == expected
    for urn, message in dead.items():
        assert "can never fire" in message
        if "user-errors" in urn:
            assert "UserErrors with no dimensions (per account and region)" in message
        else:
            assert "SystemErrors with Operation+TableName" in message


def test_so_no_table_has_a_working_alarm(report: tuple[int, dict[str, Any]]) -> None:
    tables = {
        urn: message
        for urn, message in findings(report[1], "dynamodb-table-alarms").items()
        if "dynamodb/table:Table" in urn
    }
    assert tables.keys() == {f"{PREFIX}aws:dynamodb/table:Table::{table}-dev" for table in TABLES}
    for message in tables.values():
        assert "has no working CloudWatch alarm" in message
        assert "SystemErrors; ReadThrottleEvents or WriteThrottleEvents or ThrottledRequests" in message


def test_its_alarms_notify_nobody(report: tuple[int, dict[str, Any]]) -> None:
    silent = findings(report[1], "dynamodb-alarm-actions")
    assert silent.keys() == {
        f"{PREFIX}aws:cloudwatch/metricAlarm:MetricAlarm::{table}-{metric}-dev"
        for table in TABLES
        for metric in ("user-errors", "system-errors")
    }
    assert all("notifies nobody" in message for message in silent.values())
    levels = {f["enforcementLevel"] for f in report[1]["findings"] if f["policy"] == "dynamodb-alarm-actions"}
    assert levels == {"advisory"}


def test_nothing_on_what_it_does_right(report: tuple[int, dict[str, Any]]) -> None:
    # On-demand billing, SSE with the AWS-managed key, the four tags, read roles that only read.
    by_policy = collections.Counter(f["policy"] for f in report[1]["findings"])
    assert by_policy == {"dynamodb-table-alarms": 9, "dynamodb-alarm-actions": 6}
    assert report[1]["summary"]["mandatory"] == 9 and report[1]["summary"]["advisory"] == 6


def test_the_readme_shows_this_report(report: tuple[int, dict[str, Any]]) -> None:
    # The README's copy (text format, preview mode) must say what the pack says today.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- original-design-report -->", 1)[1].split("</details>", 1)[0]
    for finding in report[1]["findings"]:
        for line in finding["message"].splitlines():
            assert line in shown, f"README's original-design report is stale: {line!r}"
    summary = report[1]["summary"]
    assert f"Summary: {summary['mandatory']} mandatory, {summary['advisory']} advisory" in shown
