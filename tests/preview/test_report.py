"""Reports: the CLI-like text grouped by resource, JSON and SARIF valid against their schemas."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policy_preview.analyzer.client import PolicyInfo, Remediation
from policy_preview.evaluate import Evaluation, PackSummary, RemediationEvent
from policy_preview.model import Finding
from policy_preview.report.common import RunContext, display_type, exit_code
from policy_preview.report.json import report_json
from policy_preview.report.render import render
from policy_preview.report.sarif import report_sarif
from policy_preview.report.text import abbreviate_file_path
from policy_preview.urns import urn_name

from .engine_helpers import BILLING, ROOT_URN, root_stack, table

EVENTS, USERS = table("events", "PROVISIONED"), table("users")
POLICY = PolicyInfo(
    name=BILLING,
    description="Tables use on-demand capacity.",
    enforcement_level="mandatory",
    policy_type="resource",
    severity="medium",
    tags=("cost",),
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html",
    remediation_steps="Set billingMode to PAY_PER_REQUEST.",
    config_schema={"properties": {"exemptResources": {"type": "array", "default": []}}, "required": []},
)
STACK_POLICY = PolicyInfo(
    name="alarm-per-table",
    description="Every table has alarms.",
    enforcement_level="advisory",
    policy_type="stack",
)
PACK = PackSummary(
    name="guardrails",
    version="0.1.0",
    directory=Path("policies").resolve(),
    description="Guardrails.",
    policies=(POLICY, STACK_POLICY),
    log_lines=("policy x: internal error, policy skipped",),
    given_path="policies",
)
MANDATORY = Finding(
    policy_pack="guardrails",
    policy_pack_version="0.1.0",
    policy=POLICY.name,
    level="mandatory",
    message="Tables use on-demand capacity.\nTable 'events': billingMode is 'PROVISIONED'.",
    urn=EVENTS.urn,
    severity="medium",
    description=POLICY.description,
)
ADVISORY = Finding(
    policy_pack="guardrails",
    policy_pack_version="0.1.0",
    policy=STACK_POLICY.name,
    level="advisory",
    message="Every table has alarms.\nTable 'users' has no throttling alarm.",
    urn=ROOT_URN,
)
REMEDIATED = RemediationEvent(
    Remediation(
        "guardrails", "0.1.0", POLICY.name, POLICY.description, USERS.urn, {"billingMode": "PAY_PER_REQUEST"}
    ),
    added=(),
    changed=("billingMode",),
    removed=("readCapacity",),
)
CONTEXT = RunContext(
    kind="program", path=Path("infra/__main__.py").resolve(), mode="preview", stack="dev", project="demo"
)


def _evaluation(*findings: Finding, remediations: tuple[RemediationEvent, ...] = ()) -> Evaluation:
    return Evaluation(
        packs=(PACK,),
        resources=(root_stack(), EVENTS, USERS),
        findings=findings,
        remediations=remediations,
    )


def _schema(name: str) -> dict[str, Any]:
    return json.loads(
        resources.files("policy_preview.report").joinpath("schemas", name).read_text(encoding="utf-8")
    )


def test_exit_code_is_one_only_for_a_mandatory_finding() -> None:
    assert exit_code(_evaluation(MANDATORY, ADVISORY)) == 1
    assert exit_code(_evaluation(ADVISORY, remediations=(REMEDIATED,))) == 0
    assert exit_code(_evaluation()) == 0


# --- text: the CLI's layout, pinned by golden files ---------------------------------------------

GOLDEN = Path(__file__).parent / "golden"
AUDIT_PATH = "/home/ci/builds/organisation/platform-team/repositories/infrastructure/policy-packs/audit"
AUDIT = PackSummary(
    name="audit",
    version="2.0.0",
    directory=Path(AUDIT_PATH),
    description="Audit.",
    policies=(),
    given_path=AUDIT_PATH + "/",
)
TABLE_URN, ALARM_URN = EVENTS.urn, "urn:pulumi:dev::demo::aws:cloudwatch/metricAlarm:MetricAlarm::a1"
GIVEN_PACK = replace(PACK, given_path="./policies")


def _finding(policy: str, level: str, urn: str | None, severity: str | None = None, pack: str = "guardrails",
             message: str = "") -> Finding:  # fmt: skip
    return Finding(
        policy_pack=pack,
        policy_pack_version="2.0.0" if pack == "audit" else "0.1.0",
        policy=policy,
        level=level,  # type: ignore[arg-type]
        message=message or f"{policy} says so.\nDetail for {urn_name(urn) if urn else 'the stack'}.",
        urn=urn,
        severity=severity,
    )


def _remediation(policy: str, urn: str, applied: bool = True, **keys: tuple[str, ...]) -> RemediationEvent:
    return RemediationEvent(
        Remediation("guardrails", "0.1.0", policy, f"{policy}.", urn, {}), applied=applied, **keys
    )


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":  # regenerate after a deliberate layout change
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDEN=1 rewrites it"


def test_text_lists_findings_under_each_pack_in_the_cli_order() -> None:
    # Given in no particular order: the CLI sorts by level, severity, policy, then URN.
    findings = (
        _finding("zz-advisory", "advisory", TABLE_URN, "low"),
        _finding("tags", "mandatory", USERS.urn, "medium"),
        _finding("tags", "mandatory", TABLE_URN, "medium"),
        _finding("alarms", "advisory", ROOT_URN, message="Stack-wide.\nTable 'users' has no alarm."),
        _finding("encryption", "mandatory", TABLE_URN, "high"),
        _finding("billing", "mandatory", ALARM_URN),
        _finding("audit-trail", "advisory", TABLE_URN, pack="audit"),
        _finding("no-resource", "advisory", None),
    )
    remediations = (
        _remediation("billing", USERS.urn, changed=("billingMode",), removed=("readCapacity",)),
        _remediation("billing", TABLE_URN, added=("billingMode",)),
        _remediation("tags", TABLE_URN),
    )
    evaluation = Evaluation(
        packs=(GIVEN_PACK, AUDIT),
        resources=(root_stack(), replace(EVENTS, source_position="project:///infra/tables.py#12"), USERS),
        findings=findings,
        remediations=remediations,
        engine_log=("warning: logged through the engine",),
    )
    _golden("failing.txt", render(evaluation, CONTEXT, "text"))


def test_text_for_a_clean_run_is_the_cli_pack_line_and_our_summary() -> None:
    text = render(_evaluation(), CONTEXT, "text")
    _golden("clean.txt", text)
    assert text.splitlines()[:3] == ["Policies:", "    ✅ guardrails@v0.1.0 (local: policies)", ""]


def test_text_merges_packs_with_one_name_and_version_and_notes_unapplied_remediations() -> None:
    evaluation = Evaluation(
        packs=(GIVEN_PACK, replace(GIVEN_PACK, given_path="../other/policies")),
        resources=(root_stack(), EVENTS),
        findings=(_finding("alarms", "advisory", TABLE_URN),),
        remediations=(_remediation("billing", TABLE_URN, applied=False, changed=("billingMode",)),),
    )
    _golden("export.txt", render(evaluation, replace(CONTEXT, kind="stack-export"), "text"))


def test_text_puts_what_the_cli_does_not_print_after_its_sections() -> None:
    text = render(_evaluation(MANDATORY, ADVISORY, remediations=(REMEDIATED,)), CONTEXT, "text")
    lines = text.splitlines()
    # The CLI's sections first: Policies, then Diagnostics; URNs and key diffs only after them.
    first_urn = next(i for i, line in enumerate(lines) if "urn:pulumi:" in line)
    diff = next(i for i, line in enumerate(lines) if "[diff: -readCapacity~billingMode]" in line)
    assert lines.index("Policies:") < lines.index("Diagnostics:") < min(first_urn, diff)
    assert lines[lines.index("Diagnostics:") + 1 :][:2] == [
        "  pulumi:pulumi:Stack (demo-dev):",
        "    policy x: internal error, policy skipped",
    ]


def test_long_pack_paths_are_abbreviated_as_the_cli_does() -> None:
    assert abbreviate_file_path(AUDIT_PATH + "/") == "/home/.../policy-packs/audit"
    assert abbreviate_file_path("./policies/") == "policies"
    short = "/home/ci/policies"
    assert abbreviate_file_path(short) == short


@pytest.mark.parametrize("findings", [(), (MANDATORY, ADVISORY)])
def test_json_report_is_valid_against_its_schema(findings: tuple[Finding, ...]) -> None:
    report = json.loads(render(_evaluation(*findings, remediations=(REMEDIATED,)), CONTEXT, "json"))
    jsonschema.Draft7Validator(_schema("report.schema.json")).validate(report)
    assert report["summary"]["passed"] is (not findings)


def test_json_report_carries_findings_remediations_and_policies() -> None:
    report = report_json(_evaluation(ADVISORY, MANDATORY, remediations=(REMEDIATED,)), CONTEXT)
    assert [f["enforcementLevel"] for f in report["findings"]] == ["mandatory", "advisory"]  # mandatory first
    first = report["findings"][0]
    assert first["urn"] == EVENTS.urn and first["resourceType"] == "aws:dynamodb/table:Table"
    assert first["resourceName"] == "events" and first["policy"] == POLICY.name
    assert report["remediations"][0]["changed"] == ["billingMode"]
    assert "PAY_PER_REQUEST" not in json.dumps(report["remediations"])  # keys only, never values
    assert report["packs"][0]["policies"][0]["configSchema"]["properties"]["exemptResources"]["default"] == []
    assert report["source"] == {
        "kind": "program",
        "path": "infra/__main__.py",
        "mode": "preview",
        "stack": "dev",
        "project": "demo",
    }


def test_the_json_schema_rejects_a_report_that_breaks_it() -> None:
    report = report_json(_evaluation(MANDATORY), CONTEXT)
    report["findings"][0]["enforcementLevel"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(_schema("report.schema.json")).validate(report)


def test_sarif_is_valid_and_maps_levels_rules_and_locations() -> None:
    sarif = report_sarif(_evaluation(MANDATORY, ADVISORY, remediations=(REMEDIATED,)), CONTEXT)
    jsonschema.Draft7Validator(_schema("sarif-2.1.0-subset.schema.json")).validate(sarif)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "policy-preview"
    [pack] = run["tool"]["extensions"]
    rule = pack["rules"][0]
    assert rule["id"] == POLICY.name and rule["helpUri"] == POLICY.url
    assert rule["shortDescription"]["text"] == POLICY.description
    assert rule["properties"]["tags"] == ["cost"] and rule["defaultConfiguration"]["level"] == "error"
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert levels == {(POLICY.name, "error"), (STACK_POLICY.name, "warning"), (POLICY.name, "note")}
    mandatory = next(r for r in run["results"] if r["level"] == "error")
    assert mandatory["rule"] == {"id": POLICY.name, "index": 0, "toolComponent": {"index": 0}}
    [location] = mandatory["locations"]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "infra/__main__.py"
    assert location["logicalLocations"][0]["fullyQualifiedName"] == EVENTS.urn
    fingerprints = {r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]}
    assert len(fingerprints) == len(run["results"])  # GitHub would merge equal ones


OFFICIAL_SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"


def test_sarif_is_valid_against_the_official_sarif_2_1_0_schema() -> None:
    sarif = report_sarif(_evaluation(MANDATORY, ADVISORY, remediations=(REMEDIATED,)), CONTEXT)
    schema = json.loads(OFFICIAL_SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    broken = {**sarif, "runs": [{**sarif["runs"][0], "results": [{"level": "fatal"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)


def test_the_sarif_schema_rejects_a_result_without_a_location() -> None:
    sarif = report_sarif(_evaluation(MANDATORY), CONTEXT)
    del sarif["runs"][0]["results"][0]["locations"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(_schema("sarif-2.1.0-subset.schema.json")).validate(sarif)


def test_display_type_matches_the_cli_short_names() -> None:
    assert display_type("aws:dynamodb/table:Table") == "aws:dynamodb:Table"
    assert display_type("aws:cloudwatch/metricAlarm:MetricAlarm") == "aws:cloudwatch:MetricAlarm"
    assert display_type("pulumi:pulumi:Stack") == "pulumi:pulumi:Stack"
    assert display_type("aws:iam/getPolicyDocument:GetPolicyDocumentResult") == (
        "aws:iam/getPolicyDocument:GetPolicyDocumentResult"
    )
