"""`--write-baseline` then `--baseline`: a team adopting the guardrails fails only on what is new."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policy_preview import cli
from policy_preview.model import ResourceRecord

from .engine_helpers import BILLING, OUR_PACK, root_stack, table

pytestmark = pytest.mark.slow


@pytest.fixture
def args(tmp_path: Path) -> list[str]:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: demo\nruntime: python\n")
    (project / "__main__.py").write_text("# records are injected\n")
    config = tmp_path / "only-billing.json"
    config.write_text(json.dumps({"all": "disabled", BILLING: "mandatory"}))
    return [str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(config)]


def _schema(name: str) -> dict[str, Any]:
    schema = resources.files("policy_preview.report").joinpath("schemas", name)
    return json.loads(schema.read_text(encoding="utf-8"))


def test_a_baseline_round_trip_fails_only_on_new_findings(
    tmp_path: Path, records: list[ResourceRecord], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "policy-baseline.json"
    records += [table("events", "PROVISIONED"), table("users", "PROVISIONED")]
    # Adoption: record what the stack violates today (the run itself still fails as usual).
    assert cli.main([*args, "--write-baseline", str(baseline)]) == 1
    capsys.readouterr()
    written = json.loads(baseline.read_text())
    jsonschema.Draft7Validator(_schema("report.schema.json")).validate(written)
    assert len(written["findings"]) == 2

    # Nothing new: exit 0, both shown as existing.
    assert cli.main([*args, "--baseline", str(baseline)]) == 0
    text = capsys.readouterr().out
    assert text.count("source: unknown (not recorded) - in the baseline") == 2
    summary, baseline_line = text.rstrip().splitlines()[-2:]
    # The summary and the exit code agree: findings the baseline holds do not fail the run.
    assert summary.endswith(" - passed: every mandatory finding is in the baseline.")
    assert baseline_line == (
        f"Baseline {baseline}: 0 new, 2 existing, 0 no longer found - passed: no new mandatory finding."
    )

    # One fixed, one new: exit 1 for the new one only.
    records[:] = [
        root_stack(),
        table("events", "PROVISIONED"),
        table("users"),
        table("orders", "PROVISIONED"),
    ]
    assert cli.main([*args, "--baseline", str(baseline)]) == 1
    assert " - FAILED: new mandatory finding." in capsys.readouterr().out.rstrip().splitlines()[-2]
    assert cli.main([*args, "--baseline", str(baseline), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.Draft7Validator(_schema("report.schema.json")).validate(report)
    states = {f["resourceName"]: f["baseline"] for f in report["findings"]}
    assert states == {"events": "existing", "orders": "new"}
    assert report["summary"]["baseline"] == {"path": str(baseline), "new": 1, "existing": 1, "absent": 1}
    assert report["summary"]["passed"] is False

    assert cli.main([*args, "--baseline", str(baseline), "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.Draft7Validator(_schema("sarif-2.1.0-subset.schema.json")).validate(sarif)
    by_name = {
        r["locations"][0]["logicalLocations"][0]["name"]: r["baselineState"]
        for r in sarif["runs"][0]["results"]
    }
    assert by_name == {"events": "unchanged", "orders": "new"}


def test_without_a_baseline_every_mandatory_finding_fails(
    records: list[ResourceRecord], args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    records.append(table("events", "PROVISIONED"))
    assert cli.main([*args, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["findings"][0]["baseline"] is None and report["summary"]["baseline"] is None


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON at line 1"),
        ('{"version": 3, "deployment": {}}', "expected a policy-preview JSON report"),
        ('{"findings": [{"policy": "x"}]}', "finding #0 has no `fingerprint`"),
    ],
)
def test_a_bad_baseline_is_exit_2_naming_the_file(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str], content: str, says: str
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content)
    assert cli.main([*args, "--baseline", str(baseline)]) == 2
    err = capsys.readouterr().err
    assert f"--baseline {baseline}" in err and says in err
    assert cli.main([*args, "--baseline", str(tmp_path / "missing.json")]) == 2
    assert "cannot read the baseline" in capsys.readouterr().err
