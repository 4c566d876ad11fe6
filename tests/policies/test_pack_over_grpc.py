"""The pack as the CLI sees it: started with `python -m pulumi.policy`, asked over gRPC.

Each rule module has its own tests; this file checks what only the running pack shows: which
policies it serves, with which levels and config schemas, and that each one judges real requests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import jsonschema
import pytest

from dynamodb_guardrails.rules import (
    alarm_actions,
    billing_mode,
    cloudformation_templates,
    encryption,
    iam_least_privilege,
    required_tags,
    table_alarms,
)
from policy_preview.analyzer import AnalyzerClient, running_pack
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.pack_config import reconcile_pack_config
from tests.preview.engine_helpers import OUR_PACK

pytestmark = pytest.mark.slow

# name -> (policy type, default level); one source: the rule modules' own metadata.
RULES = {
    billing_mode.META.name: ("resource", billing_mode.META),
    encryption.META.name: ("resource", encryption.META),
    required_tags.META.name: ("resource", required_tags.META),
    table_alarms.META.name: ("stack", table_alarms.META),
    alarm_actions.META.name: ("resource", alarm_actions.META),
    iam_least_privilege.META.name: ("resource", iam_least_privilege.META),
    cloudformation_templates.META.name: ("resource", cloudformation_templates.META),
}
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
    with running_pack(OUR_PACK) as client:
        assert client.info is not None
        client.configure(reconcile_pack_config(client.info))
        yield client


def test_the_pack_serves_exactly_our_policies_with_their_levels(pack: AnalyzerClient) -> None:
    assert pack.info is not None
    served = {p.name: (p.policy_type, p.enforcement_level) for p in pack.info.policies}
    assert served == {name: (kind, meta.enforcement_level) for name, (kind, meta) in RULES.items()}
    assert served["dynamodb-alarm-actions"][1] == "advisory"


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


@pytest.mark.parametrize(
    ("policy", "resource"),
    [
        (
            billing_mode.META.name,
            record("aws:dynamodb/table:Table", "t", **{**TABLE_OK, "billingMode": None}),
        ),
        (
            encryption.META.name,
            record("aws:dynamodb/table:Table", "t", **{**TABLE_OK, "serverSideEncryption": {}}),
        ),
        (
            required_tags.META.name,
            record("aws:dynamodb/table:Table", "t", **{**TABLE_OK, "tags": {"Team": "t"}}),
        ),
        (
            alarm_actions.META.name,
            record(
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "a",
                namespace="AWS/DynamoDB",
                metricName="ReadThrottleEvents",
                dimensions={"TableName": "t"},
                tags=TAGS,
            ),
        ),
        (
            iam_least_privilege.META.name,
            record(
                "aws:iam/rolePolicy:RolePolicy",
                "p",
                role="r",
                policy=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
                    }
                ),
            ),
        ),
        (
            cloudformation_templates.META.name,
            record(
                "aws:cloudformation/stack:Stack", "cfn", templateUrl="https://b.s3.amazonaws.com/t", tags=TAGS
            ),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_each_resource_policy_judges_a_real_analyze_request(
    pack: AnalyzerClient, policy: str, resource: ResourceRecord
) -> None:
    findings = pack.analyze(resource).findings
    assert {f.policy for f in findings} == {policy}
    assert all(f.urn == resource.urn for f in findings)


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


NATIVE_TAGS = [{"key": k, "value": v} for k, v in TAGS.items()]


def test_the_roads_to_a_table_are_judged_over_the_wire(pack: AnalyzerClient) -> None:
    """aws-native tables and tables in CloudFormation templates reach the same policies."""
    native = record(
        "aws-native:dynamodb:Table", "orders", tableName="orders", keySchema=[], tags=NATIVE_TAGS
    )  # no billingMode, no sseSpecification: PROVISIONED and an AWS-owned key
    assert {f.policy for f in pack.analyze(native).findings} == {billing_mode.META.name, encryption.META.name}
    body = json.dumps(
        {
            "Resources": {
                "Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PROVISIONED"}}
            }
        }
    )
    cfn = record("aws:cloudformation/stack:Stack", "cfn", templateBody=body, tags=TAGS, tagsAll=TAGS)
    findings = pack.analyze(cfn).findings
    # The table has no Tags of its own; the stack's propagate to it.
    assert {f.policy for f in findings} == {billing_mode.META.name, encryption.META.name}
    assert all("'Orders'" in f.message for f in findings)


def test_the_provider_sent_with_a_resource_reaches_the_rules(pack: AnalyzerClient) -> None:
    """aws-native merges its provider's defaultTags into tags; the pack reads them from the provider."""
    provider = ResourceRecord(
        urn=urn("pulumi:providers:aws-native", "default"),
        type="pulumi:providers:aws-native",
        name="default",
        custom=True,
        inputs={"region": "us-east-1", "defaultTags": json.dumps({"tags": TAGS})},
    )
    table = ResourceRecord(
        urn=urn("aws-native:dynamodb:Table", "orders"),
        type="aws-native:dynamodb:Table",
        name="orders",
        custom=True,
        inputs={"billingMode": "PAY_PER_REQUEST", "sseSpecification": {"sseEnabled": True}},
        provider=f"{provider.urn}::id",
    )
    assert pack.analyze(table).findings != ()  # no tags at all without the provider
    assert pack.analyze(table, {provider.urn: provider}).findings == ()
