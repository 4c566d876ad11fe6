"""The pack as the CLI sees it: started with `python -m pulumi.policy`, asked over gRPC.

Each rule module has its own tests; this file checks what only the running pack shows: which
policies it serves, with which levels and config schemas, and that every good and bad case of
every rule (tests/policies/cases/) gets the rule's own messages over the wire.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc

from dynamodb_guardrails.docs import pack_readme
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.pack_identity import PACK_DESCRIPTION, PACK_NAME
from dynamodb_guardrails.rule import ResourceRule, Rule, StackRule
from dynamodb_guardrails.rules import ALL_RULES, alarm_actions, billing_mode, table_alarms
from policy_preview.analyzer.client import AnalyzerClient
from policy_preview.analyzer.pack_config import reconcile_pack_config
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from tests.policies.cases import CASES_BY_POLICY
from tests.policies.kit import config, violations
from tests.policies.kit.cases import Case
from tests.preview.engine_helpers import configured_pack

pytestmark = pytest.mark.slow

POLICY_TYPE = {ResourceRule: "resource", StackRule: "stack"}
TAGS = {"Environment": "dev", "Repository": "r", "Team": "t", "CostCenter": "c"}


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::dynamodb-guardrails::{type_}::{name}"


def record(type_: str, logical_name: str, **inputs: object) -> ResourceRecord:
    name = logical_name
    return ResourceRecord(
        urn=urn(type_, name), type=type_, name=name, custom=True, inputs=dict(inputs), outputs=dict(inputs)
    )


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with configured_pack() as client:
        yield client


def test_the_pack_serves_exactly_our_policies_with_their_levels(pack: AnalyzerClient) -> None:
    assert pack.info is not None
    served = {p.name: (p.policy_type, p.enforcement_level) for p in pack.info.policies}
    assert served == {
        rule.meta.name: (POLICY_TYPE[type(rule)], rule.meta.enforcement_level) for rule in ALL_RULES
    }
    assert served[alarm_actions.META.name][1] == "advisory"


def test_the_pack_reports_its_readme_generated_from_the_rules(pack: AnalyzerClient) -> None:
    assert pack.pack.channel is not None
    response = analyzer_pb2_grpc.AnalyzerStub(pack.pack.channel).GetAnalyzerInfo(
        empty_pb2.Empty(), timeout=30
    )
    assert response.readme == pack_readme(PACK_NAME, PACK_DESCRIPTION, ALL_RULES)
    assert response.description == PACK_DESCRIPTION
    for rule in ALL_RULES:
        assert f"`{rule.meta.name}`" in response.readme


def test_every_policy_has_a_valid_config_schema_with_documented_defaults(pack: AnalyzerClient) -> None:
    assert pack.info is not None
    for policy in pack.info.policies:
        schema = policy.config_schema
        assert schema is not None and schema["properties"], policy.name
        jsonschema.Draft7Validator.check_schema({"type": "object", **schema})
        defaults = {}
        for key, prop in schema["properties"].items():
            assert "default" in prop and prop.get("description"), f"{policy.name}.{key}"
            defaults[key] = prop["default"]
        jsonschema.validate(defaults, {"type": "object", **schema})
        assert policy.description and policy.remediation_steps and policy.url, policy.name


TABLE_OK = dict(billingMode="PAY_PER_REQUEST", serverSideEncryption={"enabled": True}, tags=TAGS, name="t")


def wire(value: Any) -> Any:
    """A plain property tree as the engine sends it: UNKNOWN becomes Pulumi's wire sentinel."""
    if value is UNKNOWN:
        return UNKNOWN_WIRE
    if isinstance(value, Mapping):
        return {k: wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    return value


def as_record(resource: Resource) -> ResourceRecord:
    props = wire(dict(resource.props))
    return ResourceRecord(
        urn=resource.urn,
        type=resource.type,
        name=resource.name,
        custom=True,
        inputs=props,
        outputs=props,
        dependencies=resource.dependencies,
        property_dependencies=dict(resource.property_dependencies),
    )


CASE_PARAMS = [
    pytest.param(rule, case, id=f"{rule.meta.name}: {case.name}")
    for rule in ALL_RULES
    for case in CASES_BY_POLICY.get(rule.meta.name, ())
]


@pytest.mark.parametrize(("rule", "case"), CASE_PARAMS)
def test_over_the_wire_each_case_gets_exactly_the_rules_own_messages(
    pack: AnalyzerClient, rule: Rule, case: Case
) -> None:
    assert pack.info is not None
    expected = [
        (f"{rule.meta.description}\n{v.message}", v.urn)
        for v in violations(rule, case.resources, config(rule, **case.config))
    ]
    records = [as_record(resource) for resource in case.resources]
    pack.configure(
        reconcile_pack_config(pack.info, {rule.meta.name: dict(case.config)} if case.config else None)
    )
    try:
        if isinstance(rule, StackRule):
            findings = list(pack.analyze_stack(records).findings)
        else:
            findings = [f for record in records for f in pack.analyze(record).findings]
    finally:
        pack.configure(reconcile_pack_config(pack.info))
    assert [(f.message, f.urn) for f in findings if f.policy == rule.meta.name] == expected


def test_unknown_values_are_never_violations_over_the_wire(pack: AnalyzerClient) -> None:
    unknown_everything = record(
        "aws:dynamodb/table:Table",
        "t",
        billingMode=UNKNOWN_WIRE,
        serverSideEncryption=UNKNOWN_WIRE,
        tags=UNKNOWN_WIRE,
        tagsAll=UNKNOWN_WIRE,
    )
    policy = record(
        "aws:iam/rolePolicy:RolePolicy", "dynamodb-t-read-policy-dev", role=UNKNOWN_WIRE, policy=UNKNOWN_WIRE
    )
    assert pack.analyze(unknown_everything).findings == ()
    assert pack.analyze(policy).findings == ()


def test_the_stack_policy_reports_a_table_without_alarms_on_the_table(pack: AnalyzerClient) -> None:
    table = record("aws:dynamodb/table:Table", "t", **TABLE_OK)
    stack = ResourceRecord(
        urn=urn("pulumi:pulumi:Stack", "p-dev"),
        type="pulumi:pulumi:Stack",
        name="p-dev",
        custom=False,
        inputs={},
    )
    findings = pack.analyze_stack([stack, table]).findings
    assert [(f.policy, f.urn) for f in findings] == [(table_alarms.META.name, table.urn)]


def test_remediation_to_on_demand_over_the_wire(pack: AnalyzerClient) -> None:
    assert pack.info is not None
    pack.configure(reconcile_pack_config(pack.info, {billing_mode.META.name: "remediate"}))
    try:
        bad = record(
            "aws:dynamodb/table:Table",
            "t",
            **{**TABLE_OK, "billingMode": "PROVISIONED"},
            readCapacity=5,
            writeCapacity=5,
        )
        [fix] = pack.remediate(bad).remediations
        assert fix.properties is not None and fix.properties["billingMode"] == "PAY_PER_REQUEST"
        assert pack.analyze(bad, properties=fix.properties).findings == ()
    finally:
        pack.configure(reconcile_pack_config(pack.info))
