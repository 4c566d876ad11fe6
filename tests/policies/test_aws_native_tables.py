"""aws-native tables (dynamodb:Table, dynamodb:GlobalTable) through billing, encryption and tags:
CloudFormation semantics, `[{key, value}]` tags, the provider's defaultTags, the AWS-managed key
by alias, and the pack's guarantees (junk, unknowns, exemptions, free text)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults, resolve_config
from dynamodb_guardrails.edits import apply_edits
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import billing_mode, encryption, required_tags
from tests.policies.roads import (
    CMK,
    NATIVE_GLOBAL_TABLE,
    NATIVE_TABLE,
    TAG_LIST,
    TAGS,
    native_global_table,
    native_table,
    provider,
    resource,
)
from tests.policies.strategies import junk_trees
from tests.policies.strategies_tags import resolve_unknowns

BILLING = defaults(billing_mode.META.config_schema)
ENCRYPTION = defaults(encryption.META.config_schema)
TAGGING = defaults(required_tags.META.config_schema)
CMK_REQUIRED = resolve_config(encryption.META.config_schema, {"minimumKeyLevel": "customer-managed"})
ALIAS_ARN = "arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb"


# --- billing ------------------------------------------------------------------------------------


def test_native_table_on_demand_is_compliant() -> None:
    assert billing_mode.check(native_table(), BILLING) == []


def test_native_table_without_billing_mode_is_provisioned_as_cloudformation_says() -> None:
    [violation] = billing_mode.check(native_table(billingMode=None), BILLING)
    assert "orders-table" in violation.message and "default PROVISIONED" in violation.message
    assert "provisionedThroughput" in violation.message  # the aws-native property to drop


def test_global_table_billing_is_judged_too() -> None:
    assert billing_mode.check(native_global_table(), BILLING) == []
    [violation] = billing_mode.check(native_global_table(billingMode="PROVISIONED"), BILLING)
    assert "Global table 'orders-global'" in violation.message and "'PROVISIONED'" in violation.message


def test_native_table_remediation_drops_provisioned_throughput() -> None:
    bad = native_table(
        billingMode="PROVISIONED",
        provisionedThroughput={"readCapacityUnits": 5, "writeCapacityUnits": 5},
        globalSecondaryIndexes=[{"indexName": "i", "provisionedThroughput": {"readCapacityUnits": 1}}],
    )
    edits = billing_mode.remediate(bad, BILLING)
    assert edits is not None
    fixed = apply_edits(bad.props, edits)
    assert fixed["billingMode"] == "PAY_PER_REQUEST"
    assert "provisionedThroughput" not in fixed
    assert fixed["globalSecondaryIndexes"] == [{"indexName": "i"}]
    assert fixed["tags"] is bad.props["tags"]  # everything else handed back as it came
    assert billing_mode.check(resource(NATIVE_TABLE, "orders-table", **fixed), BILLING) == []


def test_global_table_is_reported_but_not_remediated() -> None:
    # Its capacity lives in several nested settings; rewriting them is left to the user.
    assert billing_mode.remediate(native_global_table(billingMode="PROVISIONED"), BILLING) is None


def test_native_billing_free_text_and_exemptions() -> None:
    [violation] = billing_mode.check(native_table(billingMode="s3cr3t"), BILLING)
    assert "s3cr3t" not in violation.message
    exempt = {**BILLING, "exemptResources": ["orders-table"]}
    assert billing_mode.check(native_table(billingMode=None), exempt) == []
    assert billing_mode.check(native_table(billingMode=UNKNOWN), BILLING) == []


# --- encryption -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sse", "level"),
    [
        (None, "aws-owned"),  # no sseSpecification: an AWS-owned key
        ({}, "aws-owned"),
        ({"sseEnabled": False}, "aws-owned"),
        ({"sseEnabled": False, "kmsMasterKeyId": CMK}, "aws-owned"),
        ({"sseEnabled": True}, "aws-managed"),
        ({"sseEnabled": True, "sseType": "KMS", "kmsMasterKeyId": "alias/aws/dynamodb"}, "aws-managed"),
        ({"sseEnabled": True, "kmsMasterKeyId": ALIAS_ARN}, "aws-managed"),
        ({"sseEnabled": True, "kmsMasterKeyId": CMK}, "customer-managed"),
        ({"sseEnabled": True, "kmsMasterKeyId": "alias/team-key"}, "customer-managed"),
    ],
)
def test_native_table_key_level(sse: Any, level: str) -> None:
    table = native_table(sseSpecification=sse)
    for required in encryption.KEY_LEVELS:
        config = resolve_config(encryption.META.config_schema, {"minimumKeyLevel": required})
        below = encryption.KEY_LEVELS.index(level) < encryption.KEY_LEVELS.index(required)
        violations = encryption.check(table, config)
        assert bool(violations) == below, (required, [v.message for v in violations])
        assert all(level in v.message and "sseSpecification" in v.message for v in violations)


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        ("aws:dynamodb/table:Table", {"serverSideEncryption": {"enabled": True, "kmsKeyArn": ALIAS_ARN}}),
        ("aws:dynamodb/tableReplica:TableReplica", {"kmsKeyArn": ALIAS_ARN}),
        (
            "aws:dynamodb/table:Table",
            {
                "serverSideEncryption": {"enabled": True},
                "replicas": [
                    {
                        "regionName": "eu-west-1",
                        "kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb",
                    }
                ],
            },
        ),
    ],
)
def test_the_aws_managed_key_by_alias_is_not_customer_managed(kind: str, props: dict[str, Any]) -> None:
    named = resource(kind, "events", **props)
    [violation] = encryption.check(named, CMK_REQUIRED)
    assert "aws-managed" in violation.message
    assert encryption.check(named, ENCRYPTION) == []
    # Naming the AWS-managed key is no customer-managed key to check against the allow-list.
    allow_list = resolve_config(encryption.META.config_schema, {"allowedKmsKeyArns": [CMK]})
    assert encryption.check(named, allow_list) == []


def test_global_table_is_customer_managed_only_when_every_replica_names_a_key() -> None:
    keyed = [
        {"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": CMK}},
        {
            "region": "eu-west-1",
            "sseSpecification": {"kmsMasterKeyId": CMK.replace("us-east-1", "eu-west-1")},
        },
    ]
    assert encryption.check(native_global_table(replicas=keyed), CMK_REQUIRED) == []
    partly = [keyed[0], {"region": "eu-west-1"}]
    [violation] = encryption.check(native_global_table(replicas=partly), CMK_REQUIRED)
    assert "aws-managed" in violation.message and "kmsMasterKeyId on every replica" in violation.message
    # Without sseEnabled every replica uses an AWS-owned key, whatever keys they name.
    [owned] = encryption.check(native_global_table(sseSpecification=None, replicas=keyed), ENCRYPTION)
    assert "aws-owned" in owned.message


def test_global_table_replica_keys_are_checked_against_the_allow_list() -> None:
    config = resolve_config(encryption.META.config_schema, {"allowedKmsKeyArns": [CMK]})
    other = CMK.replace("1111aaaa", "9999ffff")
    replicas = [
        {"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": CMK}},
        {"region": "eu-west-1", "sseSpecification": {"kmsMasterKeyId": other}},
    ]
    [violation] = encryption.check(native_global_table(replicas=replicas), config)
    assert "replica in eu-west-1" in violation.message and other in violation.message


def test_unknown_native_encryption_is_not_judged() -> None:
    for table in (
        native_table(sseSpecification=UNKNOWN),
        native_table(sseSpecification={"sseEnabled": UNKNOWN}),
        native_global_table(sseSpecification={"sseEnabled": True}, replicas=UNKNOWN),
        native_global_table(replicas=[{"region": "us-east-1", "sseSpecification": UNKNOWN}]),
    ):
        assert encryption.check(table, CMK_REQUIRED) == [], table.props


# --- tags -------------------------------------------------------------------------------------------


def test_native_tags_are_a_key_value_list() -> None:
    assert required_tags.check(native_table(), TAGGING) == []
    partial = [t for t in TAG_LIST if t["key"] != "CostCenter"] + [{"key": "Team", "value": " "}]
    [violation] = required_tags.check(native_table(tags=partial), TAGGING)
    assert "'CostCenter'" in violation.message and "'Team'" in violation.message
    assert NATIVE_TABLE in violation.message


def test_native_provider_default_tags_count_and_resource_tags_win() -> None:
    defaults_json = json.dumps({"tags": TAGS})
    with_defaults = provider("aws-native", defaultTags=defaults_json)
    assert required_tags.check(native_table(tags=None, provider_=with_defaults), TAGGING) == []
    blank_own = native_table(tags=[{"key": "Team", "value": ""}], provider_=with_defaults)
    [violation] = required_tags.check(blank_own, TAGGING)
    assert "'Team'" in violation.message
    unknown_defaults = provider("aws-native", defaultTags=UNKNOWN)
    assert required_tags.check(native_table(tags=None, provider_=unknown_defaults), TAGGING) == []


def test_native_types_with_map_tags_and_global_table_replicas() -> None:
    # aws-native:apigatewayv2:Api takes `tags` as a map (generated from the pinned SDK).
    graphql = resource("aws-native:apigatewayv2:Api", "api", tags={"Team": "t"})
    [violation] = required_tags.check(graphql, TAGGING)
    assert "'Environment'" in violation.message
    replicas = [{"region": "us-east-1", "tags": TAG_LIST}, {"region": "eu-west-1", "tags": TAG_LIST[:1]}]
    [replica] = required_tags.check(native_global_table(replicas=replicas), TAGGING)
    assert "replica in eu-west-1" in replica.message


def test_native_tag_values_are_never_echoed() -> None:
    secret = [*TAG_LIST, {"key": "Environment", "value": "hunter2"}]
    config = resolve_config(required_tags.META.config_schema, {"allowedValues": {"Environment": ["dev"]}})
    [violation] = required_tags.check(native_table(tags=secret), config)
    assert "hunter2" not in violation.message


# --- never raises, unknowns never violate --------------------------------------------------------

NATIVE_TYPES = st.sampled_from([NATIVE_TABLE, NATIVE_GLOBAL_TABLE])
RULES = [(billing_mode, BILLING), (encryption, CMK_REQUIRED), (required_tags, TAGGING)]


@given(NATIVE_TYPES, junk_trees, junk_trees)
def test_never_raises_on_junk(kind: str, props: Any, provider_props: Any) -> None:
    junk_provider = provider("aws-native", **provider_props) if isinstance(provider_props, dict) else None
    table = resource(kind, "t", junk_provider, **(props if isinstance(props, dict) else {}))
    for rule, config in RULES:
        rule.check(table, config)
    billing_mode.remediate(table, BILLING)


def _maybe(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from([*values, UNKNOWN])


_tag_lists = st.one_of(
    st.just(UNKNOWN),
    st.lists(
        st.one_of(
            st.just(UNKNOWN),
            st.fixed_dictionaries({"key": _maybe([*TAGS, "Other"]), "value": _maybe(["v", "", None])}),
        ),
        max_size=5,
    ),
)
_sse = st.one_of(
    st.none(),
    st.just(UNKNOWN),
    st.fixed_dictionaries(
        {
            "sseEnabled": _maybe([True, False, None]),
            "kmsMasterKeyId": _maybe([None, CMK, "alias/aws/dynamodb"]),
        }
    ),
)
_replicas = st.one_of(
    st.just(UNKNOWN),
    st.lists(
        st.one_of(
            st.just(UNKNOWN),
            st.fixed_dictionaries(
                {
                    "region": _maybe(["us-east-1", "eu-west-1"]),
                    "sseSpecification": st.one_of(
                        st.just(UNKNOWN), st.fixed_dictionaries({"kmsMasterKeyId": _maybe([None, CMK])})
                    ),
                    "tags": _tag_lists,
                }
            ),
        ),
        max_size=3,
    ),
)
native_tables = st.builds(
    lambda kind, billing, sse, tags, replicas: resource(
        kind, "t", billingMode=billing, sseSpecification=sse, tags=tags, replicas=replicas
    ),
    NATIVE_TYPES,
    _maybe([None, "PROVISIONED", "PAY_PER_REQUEST"]),
    _sse,
    _tag_lists,
    _replicas,
)


@given(native_tables, st.data())
def test_unknowns_never_add_violations(table: Resource, data: st.DataObject) -> None:
    """Every resolution of the unknowns has at least the violations found while they were unknown."""
    resolved = Resource(table.type, table.name, table.urn, resolve_unknowns(dict(table.props), data.draw))
    for rule, config in RULES:
        assert len(rule.check(table, config)) <= len(rule.check(resolved, config)), rule.META.name


def test_tags_over_provider_default_tags_name_both_sources_and_report_only_what_is_known_missing() -> None:
    no_cost_center = provider(
        "aws-native", defaultTags=json.dumps({"tags": {k: v for k, v in TAGS.items() if k != "CostCenter"}})
    )
    own = [{"key": "Team", "value": "t"}]
    [violation] = required_tags.check(native_table(tags=own, provider_=no_cost_center), TAGGING)
    assert violation.message == (
        "Resource 'orders-table' (aws-native:dynamodb:Table) is missing required tag(s) 'CostCenter' "
        "(absent or empty in tags list + provider defaultTags). Add them to the resource's tags or to the "
        "aws-native provider's defaultTags, with non-empty values."
    )
    # Own tags with a key not known yet: CostCenter may be it, so nothing is reported.
    unknown_key = [*own, {"key": UNKNOWN, "value": "x"}]
    assert required_tags.check(native_table(tags=unknown_key, provider_=no_cost_center), TAGGING) == []
    # Defaults not known yet: whatever own tags lack may come from them.
    unknown = provider("aws-native", defaultTags=UNKNOWN)
    assert required_tags.check(native_table(tags=own, provider_=unknown), TAGGING) == []
    # ... but an own tag that is blank stays blank (own tags win): reported, with where it is.
    [blank_own] = required_tags.check(
        native_table(tags=[{"key": "Team", "value": ""}], provider_=unknown), TAGGING
    )
    assert "'Team' (absent or empty in tags list + provider defaultTags)" in blank_own.message
    # Known defaults with every tag, own tags with a blank one: own tags win, and it is reported.
    [blank] = required_tags.check(
        native_table(
            tags=[{"key": "Team", "value": ""}],
            provider_=provider("aws-native", defaultTags=json.dumps({"tags": TAGS})),
        ),
        TAGGING,
    )
    assert "'Team' (absent or empty in tags list + provider defaultTags)" in blank.message
