"""`--format junit`: valid against a JUnit schema, one case per resource x policy, failures exactly
for what fails the run."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema

from policy_preview.analyzer.client import NotApplicable, PolicyInfo, Remediation
from policy_preview.analyzer.suppressions import Exemption, SuppressedFinding
from policy_preview.evaluate import Evaluation, NotApplicableEvent, PackSummary, RemediationEvent
from policy_preview.model import Finding
from policy_preview.report.baseline import Baseline
from policy_preview.report.common import RunContext, details, exit_code
from policy_preview.report.render import render

from .engine_helpers import ROOT_URN, root_stack, table

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "junit-10.xsd")
BILLING = PolicyInfo("billing", "Tables are on-demand.", "mandatory", "resource", "medium")
TAGS = PolicyInfo("tags", "Resources are tagged.", "advisory", "resource")
ALARMS = PolicyInfo("alarms", "Tables have alarms.", "mandatory", "stack")
OFF = PolicyInfo("off", "Disabled.", "disabled", "resource")
PACK = PackSummary("guardrails", "0.1.0", Path("policies"), "", (ALARMS, BILLING, OFF, TAGS))
EVENTS, USERS, ORDERS = table("events", "PROVISIONED"), table("users"), table("orders", "PROVISIONED")
CONTEXT = RunContext(kind="program", path=Path("__main__.py"), mode="preview", stack="dev", project="demo")


def finding(policy: PolicyInfo, urn: str, text: str) -> Finding:
    level = "mandatory" if policy.enforcement_level == "mandatory" else "advisory"
    return Finding(
        "guardrails",
        "0.1.0",
        policy.name,
        level,
        f"{policy.description}\n{text}",
        urn,
        None,
        policy.description,
    )


FAIL_EVENTS = finding(BILLING, EVENTS.urn, "Table 'events' is PROVISIONED <&> \x01.")
FAIL_ALARMS = finding(ALARMS, EVENTS.urn, "Table 'events' has no alarm.")
WARN_USERS = finding(TAGS, USERS.urn, "Resource 'users' lacks Team.")
SUPPRESSED = SuppressedFinding(
    finding(BILLING, ORDERS.urn, "Table 'orders' is PROVISIONED."),
    Exemption("load test", owner="data-team", expires="2999-12-31", matched="orders"),
)


def evaluation() -> Evaluation:
    return Evaluation(
        packs=(PACK,),
        resources=(root_stack(), EVENTS, USERS, ORDERS),
        findings=(FAIL_EVENTS, FAIL_ALARMS, WARN_USERS),
        suppressed=(SUPPRESSED,),
        remediations=(
            RemediationEvent(Remediation("guardrails", "0.1.0", "tags", "", USERS.urn, {}), added=("tags",)),
        ),
        not_applicable=(
            NotApplicableEvent("guardrails", ROOT_URN, NotApplicable("billing", "internal error in x")),
        ),
    )


def cases(xml: str) -> dict[tuple[str, str], ET.Element]:
    root = ET.fromstring(xml)
    return {(c.get("classname", ""), c.get("name", "")): c for c in root.iter("testcase")}


def test_junit_is_valid_and_has_one_case_per_resource_and_enabled_policy() -> None:
    xml = render(evaluation(), CONTEXT, "junit")
    SCHEMA.validate(xml)
    root = ET.fromstring(xml)
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "guardrails@v0.1.0"
    # 4 resources x 3 enabled policies (the disabled one is not evaluated).
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "12",
        "2",
        "0",
        "2",
    )
    assert (root.get("tests"), root.get("failures")) == ("12", "2")
    assert not any(name.startswith("guardrails.off") for name, _ in cases(xml))


def test_mandatory_findings_fail_and_everything_else_says_why_it_passed() -> None:
    run = evaluation()
    found = cases(render(run, CONTEXT, "junit"))
    failure = found[("guardrails.billing", "aws:dynamodb:Table events")].find("failure")
    assert failure is not None and failure.get("type") == "mandatory"
    assert failure.get("message") == "Table 'events' is PROVISIONED <&> ?."  # control character replaced
    assert "source: unknown (not recorded)" in (failure.text or "")
    assert f"fingerprint: {fingerprint_of(run, FAIL_EVENTS)}" in (failure.text or "")
    # A stack policy's finding is on the resource it names.
    assert found[("guardrails.alarms", "aws:dynamodb:Table events")].find("failure") is not None
    assert found[("guardrails.alarms", "aws:dynamodb:Table users")].find("failure") is None
    # Advisory and remediation: a passing case with the details in system-out.
    users_tags = found[("guardrails.tags", "aws:dynamodb:Table users")]
    assert users_tags.find("failure") is None and users_tags.find("skipped") is None
    out = users_tags.findtext("system-out") or ""
    assert (
        "advisory: Resources are tagged.\nResource 'users' lacks Team." in out
        and "remediated (keys: tags)" in out
    )
    # Suppressed and not applicable: skipped, with the reason.
    skipped = found[("guardrails.billing", "aws:dynamodb:Table orders")].find("skipped")
    assert skipped is not None
    assert (
        skipped.get("message")
        == "suppressed by exemption: load test (owner: data-team, expires: 2999-12-31, matched orders)"
    )
    stack_na = found[("guardrails.billing", "pulumi:pulumi:Stack demo-dev")].find("skipped")
    assert stack_na is not None and stack_na.get("message") == "not applicable: internal error in x"


def test_with_a_baseline_only_new_mandatory_findings_fail_as_the_exit_code_does() -> None:
    known = evaluation()
    events_print = fingerprint_of(known, FAIL_EVENTS)
    context = replace(CONTEXT, baseline=Baseline(Path("baseline.json"), frozenset({events_print})))
    xml = render(known, context, "junit")
    SCHEMA.validate(xml)
    found = cases(xml)
    existing = found[("guardrails.billing", "aws:dynamodb:Table events")]
    assert existing.find("failure") is None
    assert existing.find("skipped") is not None and "in the baseline" in (
        existing.findtext("system-out") or ""
    )
    assert found[("guardrails.alarms", "aws:dynamodb:Table events")].find("failure") is not None  # new
    assert exit_code(known, context) == 1


def fingerprint_of(run: Evaluation, wanted: Finding) -> str:
    [detail] = [d for d in details(run).findings if d.finding is wanted]
    return detail.fingerprint


def test_an_empty_run_is_still_valid_junit() -> None:
    empty = Evaluation(packs=(PACK,), resources=(), findings=())
    xml = render(empty, CONTEXT, "junit")
    SCHEMA.validate(xml)
    assert ET.fromstring(xml).get("tests") == "0"


def test_the_schema_rejects_what_we_must_not_emit() -> None:
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        SCHEMA.validate('<testsuites><testsuite name="x" tests="1"><testcase/></testsuite></testsuites>')
