"""required-tags without `tagsAll`: pulumi-aws adds `tagsAll` before Analyze only for SDKv2
resources, so for a Plugin Framework resource the rule merges the provider's `defaultTags` (which
the policy SDK hands a resource policy) with `tags`, and names that source in its message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import required_tags
from policy_preview.analyzer.client import AnalyzerClient
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.wire import secret
from tests.preview.engine_helpers import configured_pack

CONFIG = defaults(required_tags.META.config_schema)
FULL = {"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"}
# A Plugin Framework resource in pulumi-aws 7.51.1 (it has a `timeouts` input), taggable.
PF_TYPE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
PROVIDER_TYPE = "pulumi:providers:aws"


def rule(props: dict[str, Any], provider: dict[str, Any] | None) -> list[str]:
    resource = Resource(
        type=PF_TYPE,
        name="rule",
        urn=f"urn:pulumi:dev::p::{PF_TYPE}::rule",
        props=props,
        provider_props=provider,
    )
    return [v.message for v in required_tags.check(resource, CONFIG)]


def default_tags(tags: Any) -> str:
    return json.dumps({"tags": tags})  # as the engine sends a provider's object inputs


@pytest.mark.parametrize(
    "provider",
    [
        {"defaultTags": default_tags(FULL)},
        {"defaultTags": {"tags": FULL}},
        {"defaultTags": default_tags({**FULL, "Team": ""})},  # own tags win over defaults
    ],
    ids=["json-encoded", "object", "own tags win"],
)
def test_provider_default_tags_count_when_tags_all_is_absent(provider: dict[str, Any]) -> None:
    assert rule({"tags": {"Team": "data"}}, provider) == []


def test_a_missing_tag_names_tags_and_provider_default_tags_as_the_source() -> None:
    [message] = rule({"tags": {"Team": "data"}}, {"defaultTags": default_tags({"Environment": "dev"})})
    assert "'Repository', 'CostCenter'" in message
    assert "tags + provider defaultTags" in message
    [message] = rule({"tags": {}}, {"region": "us-east-1"})  # a provider without defaultTags
    assert "tags + provider defaultTags" in message


def test_tags_all_still_wins_when_present_and_is_named() -> None:
    [message] = rule({"tags": {}, "tagsAll": {"Team": "data"}}, {"defaultTags": default_tags(FULL)})
    assert "in tagsAll" in message


@pytest.mark.parametrize(
    ("props", "provider"),
    [
        ({"tags": {}}, {"defaultTags": UNKNOWN}),
        ({"tags": {}}, {"defaultTags": {"tags": UNKNOWN}}),
        ({"tags": UNKNOWN}, {"defaultTags": default_tags({})}),
    ],
    ids=["defaultTags unknown", "defaultTags.tags unknown", "own tags unknown"],
)
def test_unknown_defaults_or_tags_are_never_violations(
    props: dict[str, Any], provider: dict[str, Any]
) -> None:
    assert rule(props, provider) == []


def test_an_unknown_default_value_counts_as_present_and_known_own_values_are_judged() -> None:
    assert rule({"tags": {}}, {"defaultTags": {"tags": {**FULL, "Team": UNKNOWN}}}) == []
    [message] = rule({"tags": {"Team": " "}}, {"defaultTags": UNKNOWN})
    assert "'Team'" in message


@pytest.mark.parametrize("junk", ["not json", "[1, 2]", 42, None, {"tags": ["Team"]}, '{"tags": "x"}'])
def test_junk_default_tags_are_no_tags(junk: Any) -> None:
    [message] = rule({"tags": {}}, {"defaultTags": junk})
    assert "'Environment'" in message


# --- over gRPC, as the CLI sends a Plugin Framework resource with its provider ---------------


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with configured_pack() as client:
        yield client


def provider_record(**inputs: Any) -> ResourceRecord:
    urn = f"urn:pulumi:dev::p::{PROVIDER_TYPE}::default_7_51_1"
    return ResourceRecord(urn=urn, type=PROVIDER_TYPE, name="default_7_51_1", custom=True, inputs=inputs)


def analyzed(pack: AnalyzerClient, provider: ResourceRecord, tags: Any) -> list[str]:
    record = ResourceRecord(
        urn=f"urn:pulumi:dev::p::{PF_TYPE}::rule",
        type=PF_TYPE,
        name="rule",
        custom=True,
        inputs={"securityGroupId": "sg-1", "ipProtocol": "tcp", "tags": tags},  # no tagsAll
        provider=f"{provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    )
    result = pack.analyze(record, {provider.urn: provider})
    return [f.message for f in result.findings if f.policy == required_tags.META.name]


@pytest.mark.slow
def test_over_grpc_a_resource_tagged_only_by_provider_default_tags_passes(pack: AnalyzerClient) -> None:
    tagged = provider_record(region="us-east-1", defaultTags=default_tags(FULL))
    assert analyzed(pack, tagged, {}) == []
    secret_defaults = provider_record(region="us-east-1", defaultTags=secret(default_tags(FULL)))
    assert analyzed(pack, secret_defaults, {}) == []
    unknown = provider_record(region="us-east-1", defaultTags=UNKNOWN_WIRE)
    assert analyzed(pack, unknown, {}) == []
    [message] = analyzed(pack, provider_record(region="us-east-1"), {"Team": secret("s3cr3t")})
    assert "tags + provider defaultTags" in message and "s3cr3t" not in message
