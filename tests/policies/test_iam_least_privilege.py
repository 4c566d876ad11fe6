"""iam-least-privilege: good and bad documents, read-only intent, managed policies, junk input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import iam_least_privilege as rule
from tests.policies.strategies import junk_trees
from tests.policies.strategies_iam import (
    TABLE_ARN,
    any_action,
    documents,
    junk_documents,
    non_read_actions,
    random_case,
    read_actions,
    read_only_statements,
    statements,
    wildcard_actions,
)

CONFIG = defaults(rule.META.config_schema)
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"

# The stack's documents, as table.arn.apply(...) produces them once the ARN is known.
STACK_READ_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "dynamodb:GetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:BatchGetItem",
                "dynamodb:DescribeTable",
            ],
            "Resource": [TABLE_ARN, f"{TABLE_ARN}/index/*"],
        }
    ],
}
STACK_WRITE_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
            ],
            "Resource": TABLE_ARN,
        }
    ],
}


def role_policy(document: Any, name: str = "app-policy", role: Any = "app-role", **props: Any) -> Resource:
    return Resource(
        type=ROLE_POLICY,
        name=name,
        urn=f"urn:pulumi:dev::p::{ROLE_POLICY}::{name}",
        props={"policy": document, "role": role, **props},
    )


def read_policy(document: Any) -> Resource:
    return role_policy(document, name="dynamodb-events-read-policy-dev", role="dynamodb-events-read-role-dev")


def kinds(resource: Resource, config: dict[str, Any] | None = None) -> list[str]:
    return sorted(p.kind for p in rule.problems(resource, config or CONFIG))


def allow(*actions: str, resource: Any = TABLE_ARN, **extra: Any) -> dict[str, Any]:
    return {"Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": resource, **extra}]}


# --- the stack's own documents pass -------------------------------------------------------


def test_the_stacks_read_and_write_policies_pass() -> None:
    assert rule.check(read_policy(json.dumps(STACK_READ_DOCUMENT)), CONFIG) == []
    write = role_policy(
        json.dumps(STACK_WRITE_DOCUMENT),
        name="dynamodb-events-write-policy-dev",
        role="dynamodb-events-write-role-dev",
    )
    assert rule.check(write, CONFIG) == []


def test_unknown_documents_during_preview_pass() -> None:
    assert rule.check(read_policy(UNKNOWN), CONFIG) == []
    assert rule.check(read_policy(allow("dynamodb:GetItem", resource=[UNKNOWN])), CONFIG) == []


# --- each finding ----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["*", "dynamodb:*", "dynamodb:Put*", "dynamodb:?etItem", "DYNAMODB:get*"])
def test_wildcard_actions_are_flagged_with_what_they_grant(action: str) -> None:
    problems = rule.problems(role_policy(allow(action)), CONFIG)
    [wildcard] = [p for p in problems if p.kind == "wildcard-action"]
    assert "DynamoDB actions" in wildcard.message and "app-policy" in wildcard.message


def test_put_star_names_the_permissions_action_it_also_grants() -> None:
    [wildcard] = [
        p for p in rule.problems(role_policy(allow("dynamodb:Put*")), CONFIG) if p.kind == "wildcard-action"
    ]
    assert "PutResourcePolicy" in wildcard.message


def test_other_services_wildcards_are_broad() -> None:
    assert kinds(role_policy(allow("s3:Get*", resource="*"))) == ["wildcard-action"]
    assert kinds(role_policy(allow("s3:GetObject", resource="*"))) == []


def test_not_action_with_allow_is_flagged() -> None:
    doc = {"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}
    assert "not-action" in kinds(role_policy(doc))


@pytest.mark.parametrize("resource", ["*", ["arn:aws:dynamodb:*:*:table/*"]])
def test_every_table_resource_on_scopable_actions_is_flagged(resource: Any) -> None:
    assert kinds(role_policy(allow("dynamodb:GetItem", resource=resource))) == ["every-resource"]


def test_not_resource_counts_as_every_resource() -> None:
    doc = {"Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem", "NotResource": TABLE_ARN}}
    assert kinds(role_policy(doc)) == ["every-resource"]


def test_actions_that_cannot_be_scoped_may_use_star() -> None:
    assert kinds(role_policy(allow("dynamodb:ListTables", "dynamodb:DescribeLimits", resource="*"))) == []


def test_admin_actions_are_flagged_unless_allowed() -> None:
    resource = role_policy(allow("dynamodb:DeleteTable", "dynamodb:UpdateTable"))
    [problem] = rule.problems(resource, CONFIG)
    assert problem.kind == "admin-action" and "DeleteTable" in problem.message
    allowed = {**CONFIG, "allowedAdminActions": ["dynamodb:deletetable", "UpdateTable"]}
    assert rule.problems(resource, allowed) == []


def test_write_in_read_only_document_is_flagged() -> None:
    problems = rule.problems(read_policy(allow("dynamodb:GetItem", "dynamodb:PutItem")), CONFIG)
    assert [p.kind for p in problems] == ["write-in-read-only"]
    assert "PutItem" in problems[0].message


@pytest.mark.parametrize(
    ("name", "read_only"),
    [
        ("dynamodb-events-read-role-dev", True),
        ("events_readonly", True),
        ("events-read-only-7f3a2b1", True),
        ("dynamodb-events-read-write-role-dev", False),
        ("events_read_write", False),
        ("events-reader", False),
        ("thread-pool", False),
        # The stack's write policy in an environment called "read": says write, so not read-only.
        ("dynamodb-events-write-policy-read", False),
        ("dynamodb-events-write-role-read", False),
        ("dynamodb-events-read-role-read", True),
    ],
)
def test_read_only_name_pattern(name: str, read_only: bool) -> None:
    role = Resource(
        type="aws:iam/role:Role",
        name="r",
        urn="urn:r",
        props={
            "name": name,
            "inlinePolicies": [{"name": "p", "policy": json.dumps(allow("dynamodb:PutItem"))}],
        },
    )
    assert (kinds(role) == ["write-in-read-only"]) is read_only


def test_read_only_by_tag_and_by_owning_role() -> None:
    tagged = Resource(
        type="aws:iam/policy:Policy",
        name="p",
        urn="urn:p",
        props={"policy": allow("dynamodb:PutItem"), "tags": {"AccessLevel": "Read-Only"}},
    )
    assert kinds(tagged) == ["write-in-read-only"]
    by_role = role_policy(allow("dynamodb:PutItem"), name="p", role="events-read-role")
    assert kinds(by_role) == ["write-in-read-only"]


def test_an_explicit_access_level_tag_wins_over_the_name() -> None:
    # A role named like a read role but tagged read-write was meant to write.
    role = Resource(
        type="aws:iam/role:Role",
        name="r",
        urn="urn:r",
        props={
            "name": "dynamodb-events-read-role-dev",
            "tags": {"AccessLevel": "read-write"},
            "inlinePolicies": [{"name": "p", "policy": json.dumps(allow("dynamodb:PutItem"))}],
        },
    )
    assert kinds(role) == []


def test_invalid_regex_in_config_falls_back_to_default() -> None:
    config = {**CONFIG, "readOnlyNamePattern": "([unclosed"}
    assert kinds(read_policy(allow("dynamodb:PutItem")), config) == ["write-in-read-only"]


@pytest.mark.parametrize(
    ("props", "type_"),
    [
        ({"policyArn": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"}, "RolePolicyAttachment"),
        ({"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, "UserPolicyAttachment"),
        ({"policyArn": "arn:aws-us-gov:iam::aws:policy/PowerUserAccess"}, "GroupPolicyAttachment"),
        (
            {"policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole"},
            "PolicyAttachment",
        ),
    ],
)
def test_broad_managed_policy_attachments(props: dict[str, Any], type_: str) -> None:
    token = f"aws:iam/{type_[0].lower()}{type_[1:]}:{type_}"
    resource = Resource(type=token, name="attach", urn="urn:a", props=props)
    assert kinds(resource) == ["broad-managed-policy"]
    allowed = {**CONFIG, "allowedManagedPolicies": [props["policyArn"]]}
    assert kinds(resource, allowed) == []


def test_customer_policies_and_unknown_arns_are_not_judged_by_attachment() -> None:
    for arn in ("arn:aws:iam::123456789012:policy/AmazonDynamoDBFullAccess", UNKNOWN, None, 7):
        resource = Resource(
            type="aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            name="a",
            urn="u",
            props={"policyArn": arn},
        )
        assert kinds(resource) == []


def test_role_managed_policy_arns_and_inline_policies() -> None:
    role = Resource(
        type="aws:iam/role:Role",
        name="app",
        urn="urn:role",
        props={
            "managedPolicyArns": ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", UNKNOWN],
            "inlinePolicies": [UNKNOWN, {"name": "x", "policy": allow("dynamodb:*")}],
        },
    )
    problems = rule.problems(role, CONFIG)
    assert sorted(p.kind for p in problems) == ["admin-action", "broad-managed-policy", "wildcard-action"]
    assert any("inlinePolicies[1]" in p.message for p in problems)


def test_unparseable_document_is_reported_without_echoing_it() -> None:
    [problem] = rule.problems(role_policy("s3cr3t not json {"), CONFIG)
    assert problem.kind == "invalid-document" and "s3cr3t" not in problem.message


def test_free_text_sid_and_action_are_not_echoed() -> None:
    doc = {"Statement": [{"Sid": "s3cr3t value", "Effect": "Allow", "Action": "s3cr3t*", "Resource": "*"}]}
    doc["Statement"][0]["Action"] = "dynamodb:s3cr3t value*"
    messages = [v.message for v in rule.check(role_policy(doc), CONFIG)]
    assert messages and all("s3cr3t" not in m for m in messages)


def test_exempt_resources_are_skipped() -> None:
    config = {**CONFIG, "exemptResources": ["app-policy"]}
    assert rule.check(role_policy(allow("*", resource="*")), config) == []


# --- properties ------------------------------------------------------------------------------


@given(documents(statements(any_action, effect="Deny")))
def test_deny_never_violates(document: Any) -> None:
    assert rule.check(role_policy(document), CONFIG) == []
    assert rule.check(read_policy(document), CONFIG) == []


@given(st.lists(read_only_statements, min_size=1, max_size=3), st.one_of(wildcard_actions, non_read_actions))
def test_adding_a_wildcard_or_write_to_a_read_only_document_never_makes_it_compliant(
    stmts: list[dict[str, Any]], added: str
) -> None:
    assert rule.check(read_policy({"Statement": stmts}), CONFIG) == []
    worse = [*stmts[:-1], {**stmts[-1], "Action": [*stmts[-1]["Action"], added]}]
    assert rule.check(read_policy({"Statement": worse}), CONFIG) != []


@given(st.lists(any_action, min_size=1, max_size=6), st.randoms(use_true_random=False), st.data())
def test_order_and_case_of_actions_do_not_change_the_verdict(actions: list[str], rnd: Any, data: Any) -> None:
    shuffled = list(actions)
    rnd.shuffle(shuffled)
    recased = [data.draw(random_case(a)) for a in shuffled]
    for resource in (TABLE_ARN, "*"):
        before = kinds(read_policy(allow(*actions, resource=resource)))
        after = kinds(read_policy(allow(*recased, resource=resource)))
        assert before == after


@given(st.lists(read_actions, min_size=1, max_size=5))
def test_exact_read_actions_on_the_table_pass_even_in_read_only_roles(actions: list[str]) -> None:
    assert (
        rule.check(read_policy(allow(*actions, resource=[TABLE_ARN, f"{TABLE_ARN}/index/*"])), CONFIG) == []
    )


@given(
    st.one_of(junk_documents, junk_trees),
    st.sampled_from([ROLE_POLICY, "aws:iam/role:Role", "aws:iam/policy:Policy"]),
)
def test_never_raises_on_junk(document: Any, type_: str) -> None:
    props = {"policy": document, "inlinePolicies": [{"policy": document}], "managedPolicyArns": document}
    rule.check(Resource(type=type_, name="x", urn="u", props=props), CONFIG)


@given(junk_trees, junk_trees)
def test_never_raises_on_junk_props_or_config(props: Any, config: Any) -> None:
    resource = Resource(type=ROLE_POLICY, name="x", urn="u", props=props if isinstance(props, dict) else {})
    rule.check(resource, config if isinstance(config, dict) else CONFIG)
