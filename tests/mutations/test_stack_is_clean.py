"""Our stack (Pulumi.yaml at the repository root, main: infra/) passes every policy of our pack with
no finding at all - advisory included - both in a first preview and after an update, judged by the
`policy-preview` command itself (in-process, and once through its console script)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dynamodb_guardrails.rules import ALL_RULES
from tests.mutations.harness import REPO, REPORT_SCHEMA, run_cli

EVERY_POLICY = {rule.meta.name for rule in ALL_RULES}
CONSOLE_SCRIPT = Path(sys.executable).with_name("policy-preview")


def assert_clean(report: dict[str, Any], mode: str) -> None:
    assert report["source"]["kind"] == "program"
    assert report["source"]["mode"] == mode
    assert report["source"]["project"] == "dynamodb-guardrails"
    (pack,) = report["packs"]
    assert {policy["name"] for policy in pack["policies"]} == EVERY_POLICY
    assert report["findings"] == []
    assert report["remediations"] == []
    summary = report["summary"]
    assert (summary["mandatory"], summary["advisory"], summary["remediated"]) == (0, 0, 0)
    assert summary["passed"] is True
    assert summary["resources"] >= 30  # the three tables with roles, alarms and topic were judged


def test_a_preview_of_our_stack_has_no_finding(tmp_path: Path) -> None:
    code, report = run_cli(tmp_path, str(REPO), "--mode", "preview")
    assert code == 0
    assert_clean(report, "preview")


@pytest.mark.slow
def test_after_an_update_our_stack_has_no_finding_through_the_console_script() -> None:
    assert CONSOLE_SCRIPT.is_file(), f"the project's console script is not installed at {CONSOLE_SCRIPT}"
    run = subprocess.run(
        [str(CONSOLE_SCRIPT), "--mode", "update", "--format", "json"],
        cwd=REPO,  # no project argument: found from the working directory, as a user runs it
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    jsonschema.validate(report, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    assert_clean(report, "update")
