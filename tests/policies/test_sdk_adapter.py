"""The adapter between pulumi_policy and the pure rules: plain data in, no exception out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pulumi_policy
import pytest
from hypothesis import given
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import unknown_checking_proxy

from dynamodb_guardrails.model import UNKNOWN, PolicyMeta, Resource, Violation
from dynamodb_guardrails.rule import ResourceRule, Rule, StackRule
from dynamodb_guardrails.rules import ALL_RULES
from dynamodb_guardrails.sdk_adapter import policy_for, resource_policy, stack_policy, to_plain
from tests.policies.strategies import junk_trees

UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}


def sdk_props(wire: dict[str, Any], keep_secrets: bool = False) -> Any:
    """Properties exactly as pulumi_policy hands them to a policy."""
    return unknown_checking_proxy(deserialize_properties(wire, keep_secrets))


def test_to_plain_turns_proxies_into_dicts_and_lists_with_unknowns() -> None:
    props = sdk_props(
        {
            "billingMode": "PAY_PER_REQUEST",
            "tags": {"Team": UNKNOWN_STRING, "Env": "dev"},
            "replicas": [{"regionName": "eu-west-1"}, UNKNOWN_STRING],
            "policy": UNKNOWN_STRING,
        }
    )
    plain = to_plain(props)
    assert type(plain) is dict and type(plain["tags"]) is dict and type(plain["replicas"]) is list
    assert plain == {
        "billingMode": "PAY_PER_REQUEST",
        "tags": {"Team": UNKNOWN, "Env": "dev"},
        "replicas": [{"regionName": "eu-west-1"}, UNKNOWN],
        "policy": UNKNOWN,
    }


def test_to_plain_unwraps_secrets() -> None:
    props = sdk_props({"name": {**SECRET_SIG, "value": "hidden"}}, keep_secrets=True)
    assert to_plain(props) == {"name": "hidden"}


def test_to_plain_bounds_depth() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(95):  # protobuf refuses to nest deeper than 100, so the engine cannot send more
        node["x"] = {}
        node = node["x"]
    plain = to_plain(sdk_props(deep))
    for _ in range(64):
        plain = plain["x"]
    assert plain == {"x": None}  # cut below the bound instead of walking on


@given(junk_trees)
def test_to_plain_never_raises(tree: Any) -> None:
    to_plain(tree)


def _args(props: dict[str, Any], config: dict[str, Any] | None = None) -> Any:
    return pulumi_policy.ResourceValidationArgs(
        "aws:dynamodb/table:Table",
        sdk_props(props),
        "urn:pulumi:dev::p::aws:dynamodb/table:Table::t",
        "t",
        None,
        None,
        config,
        {},
    )


META = PolicyMeta(
    name="test-policy",
    description="d",
    severity="low",
    enforcement_level="advisory",
    remediation_steps="r",
    url="https://example.com",
    config_schema={"limit": {"type": "integer", "default": 3}},
    resource_types=frozenset({"aws:dynamodb/table:Table"}),
)


def test_resource_policy_passes_plain_props_and_merged_config() -> None:
    seen: list[tuple[Resource, Mapping[str, Any]]] = []

    def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
        seen.append((resource, config))
        return [Violation("bad")]

    policy = resource_policy(ResourceRule(meta=META, check=check))
    reported: list[str] = []
    policy.validate(_args({"name": UNKNOWN_STRING}, {"limit": 7.0}), lambda m, u=None: reported.append(m))
    [(resource, config)] = seen
    assert resource.props == {"name": UNKNOWN} and config == {"limit": 7}
    assert reported == ["bad"]


def test_a_crashing_rule_never_escapes_the_policy() -> None:
    def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
        raise ZeroDivisionError("boom")

    policy = resource_policy(ResourceRule(meta=META, check=check))
    # The SDK turns _NotApplicableError into "not applicable"; any other exception would fail
    # the deployment.
    with pytest.raises(_NotApplicableError) as raised:
        policy.validate(_args({}), lambda m, u=None: None)
    assert "boom" in str(raised.value.reason)


def test_stack_policy_sees_graph_edges() -> None:
    seen: list[list[Resource]] = []

    def check_stack(resources: Sequence[Resource], config: Mapping[str, Any]) -> list[Violation]:
        seen.append(list(resources))
        return []

    table = pulumi_policy.PolicyResource(
        "aws:dynamodb/table:Table", sdk_props({}), "urn:t", "t", None, None, None, [], {}
    )
    alarm = pulumi_policy.PolicyResource(
        "aws:cloudwatch/metricAlarm:MetricAlarm", sdk_props({}), "urn:a", "a", None, None, table, [table], {}
    )
    alarm.property_dependencies["dimensions"] = [table]
    args = pulumi_policy.StackValidationArgs([table, alarm], None, {})
    meta = replace(META, resource_types=frozenset({table.resource_type, alarm.resource_type}))
    policy = stack_policy(StackRule(meta=meta, check_stack=check_stack))
    policy.validate(args, lambda m, u=None: None)
    [[_, plain_alarm]] = seen
    assert plain_alarm.parent == "urn:t"
    assert plain_alarm.dependencies == ("urn:t",)
    assert plain_alarm.property_dependencies == {"dimensions": ("urn:t",)}


def test_a_stack_policy_sees_only_the_resources_of_its_types() -> None:
    seen: list[list[str]] = []

    def check_stack(resources: Sequence[Resource], config: Mapping[str, Any]) -> list[Violation]:
        seen.append([r.urn for r in resources])
        return [Violation("t is bad", urn="urn:t")]

    table = pulumi_policy.PolicyResource(
        "aws:dynamodb/table:Table", sdk_props({}), "urn:t", "t", None, None, None, [], {}
    )
    role = pulumi_policy.PolicyResource(
        "aws:iam/role:Role", sdk_props({}), "urn:r", "r", None, None, None, [], {}
    )
    args = pulumi_policy.StackValidationArgs([role, table], None, {})
    reported: list[tuple[str, str | None]] = []
    stack_policy(StackRule(meta=META, check_stack=check_stack)).validate(
        args, lambda message, urn=None: reported.append((message, urn))
    )
    assert seen == [["urn:t"]]
    assert reported == [("t is bad", "urn:t")]
    everything: list[list[str]] = []
    every_type = StackRule(
        meta=replace(META, resource_types=None),
        check_stack=lambda resources, config: everything.append([r.urn for r in resources]) or [],
    )
    stack_policy(every_type).validate(args, lambda m, u=None: None)
    assert everything == [["urn:r", "urn:t"]]


def test_each_kind_of_rule_becomes_its_kind_of_sdk_policy() -> None:
    def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
        return []

    def check_stack(resources: Sequence[Resource], config: Mapping[str, Any]) -> list[Violation]:
        return []

    assert isinstance(
        policy_for(ResourceRule(meta=META, check=check)), pulumi_policy.ResourceValidationPolicy
    )
    assert isinstance(
        policy_for(StackRule(meta=META, check_stack=check_stack)), pulumi_policy.StackValidationPolicy
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)
def test_every_rule_of_the_catalogue_becomes_a_policy_with_its_metadata(rule: Rule) -> None:
    policy = policy_for(rule)
    assert (policy.name, policy.description, policy.url) == (
        rule.meta.name,
        rule.meta.description,
        rule.meta.url,
    )
    assert isinstance(policy, pulumi_policy.StackValidationPolicy) == isinstance(rule, StackRule)
