"""DynamoDB resource-based policies: public access, cross-account principals, limiting conditions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import iam_least_privilege as rule
from tests.policies.permission_forms import (
    ACCOUNT,
    OTHER_ACCOUNT,
    RESOURCE_FORMS,
    TABLE_ARN,
    Form,
    ids,
)
from tests.policies.strategies_iam import read_actions

CONFIG = defaults(rule.META.config_schema)
RESOURCE_POLICY = RESOURCE_FORMS[0]


def statement(principal: Any, *actions: str, **extra: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": principal,
        "Action": list(actions or ["dynamodb:GetItem"]),
        "Resource": TABLE_ARN,
        **extra,
    }


def kinds(form: Form, *statements: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
    resource = form.resource({"Version": "2012-10-17", "Statement": list(statements)})
    return sorted(p.kind for p in rule.problems(resource, config or CONFIG))


@pytest.mark.parametrize("form", RESOURCE_FORMS, ids=ids(RESOURCE_FORMS))
@pytest.mark.parametrize(
    "principal",
    ["*", {"AWS": "*"}, {"AWS": ["arn:aws:iam::123456789012:root", "*"]}, {"AWS": "arn:aws:iam::*:root"}],
)
def test_principal_star_without_a_limiting_condition_is_public_access(form: Form, principal: Any) -> None:
    assert kinds(form, statement(principal)) == ["public-access"]


def test_not_principal_with_allow_is_public_access() -> None:
    allow_all_but = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/x"},
        "Action": "dynamodb:GetItem",
        "Resource": TABLE_ARN,
    }
    assert kinds(RESOURCE_POLICY, allow_all_but) == ["public-access"]


def test_deny_with_principal_star_is_a_guard_not_a_grant() -> None:
    deny = {**statement("*", "dynamodb:*"), "Effect": "Deny"}
    assert kinds(RESOURCE_POLICY, deny) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
        {"StringEquals": {"AWS:principalorgid": ["o-abc123def4", "o-other00001"]}},  # keys: any case
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-abc123def4/r-ab12/ou-ab12-11111111/*"}},
        {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
        {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/app-*"}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}},
        {"StringEquals": {"aws:SourceOrgID": "o-abc123def4"}},
        {"StringEquals": {"aws:PrincipalOrgID": UNKNOWN}},  # not known yet: never a violation
        {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
    ],
)
def test_a_condition_pinning_the_organisation_or_account_limits_principal_star(condition: Any) -> None:
    assert kinds(RESOURCE_POLICY, statement("*", Condition=condition)) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},  # everyone else
        {"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-abc123def4/*"}},  # true when absent
        {"StringEqualsIfExists": {"aws:PrincipalAccount": ACCOUNT}},  # true for anonymous callers
        {"StringLike": {"aws:PrincipalOrgID": "o-*"}},  # every organisation
        {"StringLike": {"aws:PrincipalAccount": "*"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app"}},  # that role in every account
        {"StringEquals": {"aws:PrincipalOrgID": []}},
        {"Bool": {"aws:SecureTransport": "true"}},
        {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},  # not a key that limits by default
        "junk",
    ],
)
def test_conditions_that_do_not_pin_an_account_leave_it_public(condition: Any) -> None:
    assert kinds(RESOURCE_POLICY, statement("*", Condition=condition)) == ["public-access"]


def test_the_limiting_keys_are_configurable() -> None:
    vpce = statement("*", Condition={"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})
    config = {**CONFIG, "principalLimitingConditionKeys": ["aws:SourceVpce"]}
    assert kinds(RESOURCE_POLICY, vpce, config=config) == []


def test_unknown_principals_and_conditions_are_never_violations() -> None:
    assert kinds(RESOURCE_POLICY, statement(UNKNOWN)) == []
    assert kinds(RESOURCE_POLICY, statement({"AWS": UNKNOWN})) == []
    assert kinds(RESOURCE_POLICY, statement("*", Condition=UNKNOWN)) == []
    assert kinds(RESOURCE_POLICY, statement("*", Condition={"StringEquals": UNKNOWN})) == []


# --- named principals: judged by the action rules, whichever account they are in -------------------


@pytest.mark.parametrize("form", RESOURCE_FORMS, ids=ids(RESOURCE_FORMS))
def test_a_same_account_principal_with_scoped_actions_is_clean(form: Form) -> None:
    role = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"}
    assert kinds(form, statement(role, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem")) == []
    assert kinds(form, statement({"AWS": ACCOUNT}, "dynamodb:GetItem")) == []


@pytest.mark.parametrize("form", RESOURCE_FORMS, ids=ids(RESOURCE_FORMS))
@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
        {"AWS": OTHER_ACCOUNT},
        {"AWS": f"arn:aws:sts::{OTHER_ACCOUNT}:assumed-role/app/session"},
    ],
)
def test_another_accounts_principal_is_judged_by_the_action_rules(form: Form, principal: Any) -> None:
    assert kinds(form, statement(principal, "dynamodb:GetItem")) == []
    assert kinds(form, statement(principal, "dynamodb:Get*")) == ["wildcard-action"]
    assert kinds(form, statement(principal, "dynamodb:DeleteTable")) == ["admin-action"]
    not_action = {
        "Effect": "Allow",
        "Principal": principal,
        "NotAction": "dynamodb:DeleteTable",
        "Resource": TABLE_ARN,
    }
    assert "not-action" in kinds(form, not_action)


def test_the_message_names_the_other_account_and_the_tables() -> None:
    principal = {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}
    [problem] = rule.problems(
        RESOURCE_POLICY.resource({"Statement": statement(principal, "dynamodb:*")}), CONFIG
    )[:1]
    assert f"grants account {OTHER_ACCOUNT}, not the table's account {ACCOUNT}" in problem.message


def test_when_the_tables_account_is_unknown_the_message_names_the_grantee_only() -> None:
    resource = Resource(
        "aws:dynamodb/resourcePolicy:ResourcePolicy",
        "rp",
        "urn:rp",
        {"resourceArn": UNKNOWN, "policy": {"Statement": statement({"AWS": OTHER_ACCOUNT}, "dynamodb:*")}},
    )
    messages = [p.message for p in rule.problems(resource, CONFIG)]
    assert messages and all(f"(grants account {OTHER_ACCOUNT})" in m for m in messages)


def test_resource_star_in_a_resource_policy_reaches_only_its_table() -> None:
    role = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"}
    assert kinds(RESOURCE_POLICY, {**statement(role, "dynamodb:GetItem"), "Resource": "*"}) == []


def test_service_principals_are_judged_by_the_action_rules() -> None:
    service = {"Service": "dynamodb.amazonaws.com"}
    assert kinds(RESOURCE_POLICY, statement(service, "dynamodb:GetItem")) == []
    assert kinds(RESOURCE_POLICY, statement(service, "dynamodb:*")) == ["admin-action", "wildcard-action"]


@given(st.lists(read_actions, min_size=1, max_size=4), st.sampled_from(["*", {"AWS": "*"}]))
def test_a_public_statement_is_public_whatever_it_grants(actions: list[str], principal: Any) -> None:
    assert "public-access" in kinds(RESOURCE_POLICY, statement(principal, *actions))
    limited = statement(
        principal, *actions, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}}
    )
    assert "public-access" not in kinds(RESOURCE_POLICY, limited)


PUBLIC_FIX = (
    "lets every AWS account and anonymous callers in, and no Condition limits it to your organisation "
    "or account. Name the principals, or add a Condition on aws:PrincipalOrgID / aws:PrincipalAccount "
    "(see `principalLimitingConditionKeys`)."
)


@pytest.mark.parametrize(
    ("opening", "who"),
    [
        ({"Principal": "*"}, "Principal '*'"),
        (
            {"NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/x"}},
            "NotPrincipal (everyone but the listed)",
        ),
    ],
    ids=["Principal", "NotPrincipal"],
)
def test_the_public_access_message_in_full(opening: dict[str, Any], who: str) -> None:
    public = {"Effect": "Allow", **opening, "Action": "dynamodb:GetItem", "Resource": TABLE_ARN}
    [problem] = rule.problems(RESOURCE_POLICY.resource({"Statement": [public]}), CONFIG)
    assert problem.message == f"ResourcePolicy 'subject', statement #0: {who} {PUBLIC_FIX}"
