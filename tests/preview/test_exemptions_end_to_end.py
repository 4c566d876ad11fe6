"""Reviewed exemptions through the real pack process and the Analyzer protocol, and how every
report shows them. Expiry dates are far in the past or future: no test depends on today's date."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from dynamodb_guardrails.rules import table_alarms
from policy_preview import cli
from policy_preview.analyzer.client import AnalyzerClient, running_pack
from policy_preview.analyzer.pack_config import reconcile_pack_config
from policy_preview.evaluate import Evaluation, evaluate
from policy_preview.model import ResourceRecord
from policy_preview.urns import urn_name

from .engine_helpers import BILLING, OUR_PACK, root_stack, table, wait_for

ALARMS = table_alarms.META.name
ACTIVE = {
    "resources": ["events"],
    "reason": "load test until the Q3 migration",
    "owner": "data-team",
    "expires": "2999-12-31",
}
EXPIRED = {"resources": ["legacy-*"], "reason": "was a pilot", "owner": "pilot-team", "expires": "2000-01-01"}
TAG = f"policy-exemption:{BILLING}"


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with running_pack(OUR_PACK) as client:
        yield client


def run(pack: AnalyzerClient, config: dict[str, Any], *records: ResourceRecord) -> Evaluation:
    assert pack.info is not None
    everything_off = {p.name: "disabled" for p in pack.info.policies}
    pack.configure(reconcile_pack_config(pack.info, {**everything_off, **config}))
    return evaluate([root_stack(), *records], [pack])


def billing_findings(evaluation: Evaluation) -> dict[str, str]:
    return {urn_name(f.urn): f.message for f in evaluation.findings if f.urn and f.policy == BILLING}


def test_an_active_exemption_suppresses_the_finding_and_the_report_keeps_it(pack: AnalyzerClient) -> None:
    evaluation = run(
        pack,
        {BILLING: {"exemptions": [ACTIVE]}},
        table("events", "PROVISIONED"),
        table("users", "PROVISIONED"),
    )
    assert set(billing_findings(evaluation)) == {"users"}  # only the resource without an exemption fails
    [hidden] = evaluation.suppressed
    assert hidden.finding.urn == table("events").urn and hidden.finding.level == "mandatory"
    assert hidden.finding.message.startswith(pack.info.policy(BILLING).description + "\n")  # type: ignore[union-attr]
    assert "billingMode is 'PROVISIONED'" in hidden.finding.message
    assert (hidden.exemption.reason, hidden.exemption.owner, hidden.exemption.expires) == (
        ACTIVE["reason"],
        "data-team",
        "2999-12-31",
    )
    assert evaluation.not_applicable == ()  # the suppression is not shown as a plain not-applicable
    # What the Pulumi CLI shows: the pack's log line among its diagnostics.
    assert wait_for(
        lambda: any("finding on 'events' suppressed by exemption" in line for line in pack.pack.log_lines)
    )


def test_an_expired_exemption_stops_suppressing_and_says_so(pack: AnalyzerClient) -> None:
    evaluation = run(pack, {BILLING: {"exemptions": [EXPIRED]}}, table("legacy-orders", "PROVISIONED"))
    message = billing_findings(evaluation)["legacy-orders"]
    assert "An exemption for this resource (owner: pilot-team) expired on 2000-01-01" in message
    assert evaluation.suppressed == () and evaluation.has_mandatory


def test_tag_exemptions_only_when_the_policy_allows_them(pack: AnalyzerClient) -> None:
    tagged = table("scratch", "PROVISIONED", tags={TAG: "throw-away load test table"})
    allowed = run(pack, {BILLING: {"allowTagExemptions": True}}, tagged)
    [hidden] = allowed.suppressed
    assert (hidden.exemption.source, hidden.exemption.matched, hidden.exemption.reason) == (
        "tag",
        TAG,
        "throw-away load test table",
    )
    not_allowed = run(pack, {BILLING: "mandatory"}, tagged)
    assert "tag exemptions are not enabled for this policy" in billing_findings(not_allowed)["scratch"]


def test_a_stack_policy_finding_is_suppressed_on_the_resource_it_names(pack: AnalyzerClient) -> None:
    evaluation = run(
        pack, {ALARMS: {"exemptions": [{**ACTIVE, "resources": ["ev*"]}]}}, table("events"), table("users")
    )
    assert [f.urn for f in evaluation.findings if f.policy == ALARMS] == [table("users").urn]
    assert [s.finding.urn for s in evaluation.suppressed] == [table("events").urn]


def test_an_exempt_resource_is_not_remediated(pack: AnalyzerClient) -> None:
    config = {BILLING: {"enforcementLevel": "remediate", "exemptions": [ACTIVE]}}
    evaluation = run(pack, config, table("events", "PROVISIONED"), table("users", "PROVISIONED"))
    assert [e.remediation.urn for e in evaluation.remediations] == [table("users").urn]
    [hidden] = evaluation.suppressed
    assert hidden.finding.urn == table("events").urn and hidden.finding.level == "mandatory"


def test_exempt_resources_keeps_working_as_before(pack: AnalyzerClient) -> None:
    evaluation = run(pack, {BILLING: {"exemptResources": ["events"]}}, table("events", "PROVISIONED"))
    assert billing_findings(evaluation) == {} and evaluation.suppressed == ()


# --- the reports ---------------------------------------------------------------------------------


def _schema(name: str) -> dict[str, Any]:
    return json.loads(
        resources.files("policy_preview.report").joinpath("schemas", name).read_text(encoding="utf-8")
    )


@pytest.mark.slow
def test_every_report_lists_suppressed_findings_and_the_run_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: demo\nruntime: python\n")
    (project / "__main__.py").write_text("# records are injected\n")
    records = [root_stack(), table("events", "PROVISIONED")]
    monkeypatch.setattr(cli, "load_records", lambda plan, stack, mode: list(records))
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"all": "disabled", BILLING: {"enforcementLevel": "mandatory", "exemptions": [ACTIVE]}})
    )
    args = [str(project), "--policy-pack", str(OUR_PACK), "--policy-pack-config", str(config)]

    assert cli.main(args) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    start = lines.index("Suppressed by reviewed exemptions (not failing the run):")
    assert lines[start + 1] == f"    - [mandatory]  {BILLING}  (aws:dynamodb:Table: events)"
    assert lines[start + 2] == (
        f"      reason: {ACTIVE['reason']} (owner: data-team, expires: 2999-12-31, matched events)"
    )
    assert "0 mandatory" in text and text.rstrip().endswith("- passed.")

    assert cli.main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    jsonschema.Draft7Validator(_schema("report.schema.json")).validate(report)
    [entry] = report["suppressed"]
    assert entry["resourceName"] == "events" and entry["exemption"]["reason"] == ACTIVE["reason"]
    assert report["findings"] == [] and report["summary"]["suppressed"] == 1 and report["summary"]["passed"]

    assert cli.main([*args, "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    jsonschema.Draft7Validator(_schema("sarif-2.1.0-subset.schema.json")).validate(sarif)
    official = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"
    jsonschema.Draft4Validator(json.loads(official.read_text())).validate(sarif)
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == BILLING and result["level"] == "error"
    assert result["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": f"{ACTIVE['reason']} (owner: data-team, expires: 2999-12-31, matched events)",
        }
    ]
    # The same fingerprint as the JSON report: code scanning tracks the finding while it is suppressed.
    assert result["partialFingerprints"]["policyFinding/v1"] == entry["fingerprint"]
