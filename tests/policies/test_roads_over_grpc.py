"""The roads to a table over the wire: aws-native tables and CloudFormation templates reach the same
policies in a running pack, and the provider the engine sends with a resource reaches the rules."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from dynamodb_guardrails.rules import billing_mode, encryption
from policy_preview.analyzer.client import AnalyzerClient
from policy_preview.model import ResourceRecord
from tests.preview.engine_helpers import configured_pack

pytestmark = pytest.mark.slow

TAGS = {"Environment": "dev", "Repository": "r", "Team": "t", "CostCenter": "c"}


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::dynamodb-guardrails::{type_}::{name}"


def record(type_: str, logical_name: str, **inputs: object) -> ResourceRecord:
    return ResourceRecord(
        urn=urn(type_, logical_name),
        type=type_,
        name=logical_name,
        custom=True,
        inputs=dict(inputs),
        outputs=dict(inputs),
    )


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with configured_pack() as client:
        yield client


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
