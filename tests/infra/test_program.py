"""The program as Pulumi runs it: a fresh interpreter, cwd = project root, runpy on infra/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "dynamodb-guardrails"


def run_program(config: dict[str, str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("ENVIRONMENT_SUFFIX", "PYTHONPATH")}
    # The language host hands config over the same way: one JSON object of namespaced keys.
    env["PULUMI_CONFIG"] = json.dumps({"aws:region": "us-east-1", **config})
    completed = subprocess.run(
        [sys.executable, "-m", "tests.infra.run_program"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def test_the_program_runs_as_the_language_host_runs_it_and_exports_the_outputs() -> None:
    result = run_program({f"{PREFIX}:env": "qa", f"{PREFIX}:protectTables": "false"})
    assert "error" not in result, result.get("error")
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/{}"
    assert result["outputs"] == {
        "tableNames": ["events-qa", "sessions-qa", "users-qa"],
        "tableArns": [arn.format(f"{t}-qa") for t in ("events", "sessions", "users")],
        "streamArns": [arn.format("events-qa") + "/stream/2024-01-01T00:00:00.000"],
    }
    assert result["registered"][0] == "tap:stack:DynamoDbStack"
    assert result["registered"].count("aws:dynamodb/table:Table") == 3


def test_bad_config_stops_the_program_before_any_resource_is_registered() -> None:
    result = run_program({f"{PREFIX}:alarmPeriod": "45"})
    assert f"{PREFIX}:alarmPeriod" in result["error"]
    assert "multiple of 60" in result["error"]
    assert result["registered"] == []
