"""iam-least-privilege: good and bad documents, read-only intent, managed policies, junk input."""

from __future__ import annotations

import json
from collections.abc import Mapping
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
from tests.policies.strategies_schema import junk_configs, junk_failures, junk_resources, secret_free

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


# --- messages in full: the fix sentence is what a user acts on --------------------------------

WILDCARD_FIX = "List the exact actions needed instead."
SCOPE_FIX = "Set Resource to the table ARN (and '<table ARN>/index/*' for its indexes)."
ADMIN_FIX = (
    "Keep table administration out of application roles, or allow the actions in the policy's "
    "`allowedAdminActions` config."
)
READ_ONLY_FIX = "Grant read actions only, or rename/retag it if it is not meant to be read-only."
MANAGED_FIX = "Attach a policy scoped to the table instead, or allow it in `allowedManagedPolicies`."
FULL_ACCESS = (
    "attaches the AWS-managed policy AmazonDynamoDBFullAccess, which allows DynamoDB admin actions, item "
    "writes and item reads on every table (65 table actions: DeleteTable, PutItem, Scan, UpdateTable, ...). "
    f"{MANAGED_FIX}"
)
FULL_ACCESS_ARN = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
WHERE = "RolePolicy 'app-policy', statement #0"


def messages(resource: Resource, config: dict[str, Any] | None = None) -> list[str]:
    return [v.message for v in rule.check(resource, config or CONFIG)]


@pytest.mark.parametrize(
    ("action", "grants"),
    [
        (
            "dynamodb:*",
            "grants 80 DynamoDB actions (DeleteTable, UpdateTable, CreateTable, PutResourcePolicy, "
            "RestoreTableFromBackup, PutItem and 74 more)",
        ),
        # The actions that hurt most come first.
        ("dynamodb:Put*", "grants 2 DynamoDB actions (PutResourcePolicy, PutItem)"),
        ("*:GetItem", "grants 1 DynamoDB actions (GetItem) and every matching action of other services"),
        ("dynamo*:Query", "grants 1 DynamoDB actions (Query) and every matching action of other services"),
        ("s3:Get*", "grants every matching action of 's3'"),
        # Not "everything": only the actions of any service that match the pattern.
        ("*:GetObject*", "grants every matching action of every service"),
        (
            "*",
            "grants 80 DynamoDB actions (DeleteTable, UpdateTable, CreateTable, PutResourcePolicy, "
            "RestoreTableFromBackup, PutItem and 74 more) and every matching action of other services",
        ),
    ],
)
def test_wildcard_message_says_what_it_grants(action: str, grants: str) -> None:
    resource = role_policy(allow(action, resource=TABLE_ARN))
    wildcard = [p.message for p in rule.problems(resource, CONFIG) if p.kind == "wildcard-action"]
    assert wildcard == [f"{WHERE}: Action '{action}' is a wildcard that {grants}. {WILDCARD_FIX}"]


def test_a_service_name_that_is_free_text_is_not_echoed() -> None:
    resource = role_policy(allow("s3cr3t value:Get*", resource=TABLE_ARN))
    assert messages(resource) == [
        f"{WHERE}: Action (an action name that is not valid IAM) is a wildcard that grants every matching "
        f"action of its service. {WILDCARD_FIX}"
    ]


def test_not_action_message() -> None:
    doc = {"Statement": {"Effect": "Allow", "NotAction": "dynamodb:Delete*", "Resource": TABLE_ARN}}
    assert messages(role_policy(doc))[0] == (
        f"{WHERE}: Allow with NotAction grants every action of every service except the listed ones (for "
        "DynamoDB: UpdateTable, CreateTable, PutResourcePolicy, RestoreTableFromBackup, PutItem, "
        "AssociateTableReplica and 68 more). Use Action with the exact actions needed."
    )


@pytest.mark.parametrize(
    ("statement", "shown"),
    [
        ({"Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": "*"}, "Resource '*' (every table)"),
        ({"Action": ["dynamodb:GetItem", "dynamodb:Query"], "NotResource": TABLE_ARN}, "NotResource"),
    ],
)
def test_every_resource_message(statement: dict[str, Any], shown: str) -> None:
    resource = role_policy({"Statement": {"Effect": "Allow", **statement}})
    assert messages(resource) == [
        f"{WHERE}: {shown} on actions that can be scoped to a table (GetItem, Query). {SCOPE_FIX}"
    ]


def test_write_in_read_only_and_admin_messages() -> None:
    resource = read_policy(allow("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteTable"))
    where = "RolePolicy 'dynamodb-events-read-policy-dev', statement #0"
    assert messages(resource) == [
        f"{where}: its logical name marks it read-only, but it allows write/admin actions (DeleteTable, "
        f"PutItem). {READ_ONLY_FIX}",
        f"{where}: allows admin actions (DeleteTable). {ADMIN_FIX}",
    ]


def test_invalid_document_message() -> None:
    assert messages(role_policy("s3cr3t not json {")) == [
        "RolePolicy 'app-policy': the policy document is not a JSON object, so it cannot be checked (and IAM "
        "would reject it). Build it with `json.dumps(...)` or `aws.iam.get_policy_document(...)`."
    ]


def test_statement_is_named_by_a_plain_sid_and_by_its_index() -> None:
    doc = {
        "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "*"},
            {"Sid": "ReadEvents", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"},
            {"Sid": "not a plain sid", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"},
        ]
    }
    found = [m.partition(": ")[0] for m in messages(role_policy(doc))]
    assert found == [
        "RolePolicy 'app-policy', statement 'ReadEvents' (#1)",
        "RolePolicy 'app-policy', statement #2",
    ]


# --- junk inside a statement -----------------------------------------------------------------


@pytest.mark.parametrize("effect", [1, True, None, ["Allow"], {"Allow": 1}, UNKNOWN])
def test_an_effect_that_is_not_text_grants_nothing(effect: Any) -> None:
    # IAM rejects such a statement; it grants nothing, so there is nothing to report on it.
    doc = {"Statement": [{"Effect": effect, "Action": "*", "Resource": "*"}]}
    assert rule.check(role_policy(doc), CONFIG) == []


@pytest.mark.parametrize("sid", [5, None, ["Read"], {"a": 1}, UNKNOWN, True])
def test_a_sid_that_is_not_text_names_the_statement_by_its_index(sid: Any) -> None:
    doc = {"Statement": [{"Sid": sid, "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}
    assert messages(role_policy(doc)) == [
        f"{WHERE}: Resource '*' (every table) on actions that can be scoped to a table (GetItem). {SCOPE_FIX}"
    ]


# --- read-only intent ------------------------------------------------------------------------


def put_item_policy(name: str = "p", role: Any = "app-role", **props: Any) -> Resource:
    if "tags" in props or "tagsAll" in props:  # a RolePolicy carries no tags: a Policy does
        return Resource(
            type="aws:iam/policy:Policy",
            name=name,
            urn=f"urn:{name}",
            props={"policy": allow("dynamodb:PutItem"), **props},
        )
    return role_policy(allow("dynamodb:PutItem"), name=name, role=role, **props)


def policy_named(name: str) -> Resource:
    return Resource(
        type="aws:iam/policy:Policy",
        name="p",
        urn="urn:p",
        props={"policy": allow("dynamodb:PutItem"), "name": name},
    )


def read_only_messages(resource: Resource, config: dict[str, Any] | None = None) -> list[str]:
    return [p.message.split(": ", 1)[1] for p in rule.problems(resource, config or CONFIG)]


def read_only(why: str) -> str:
    return f"{why} marks it read-only, but it allows write/admin actions (PutItem). {READ_ONLY_FIX}"


@pytest.mark.parametrize(
    ("resource", "why"),
    [
        (put_item_policy(name="events-read-policy"), "its logical name"),
        (put_item_policy(name="p", role="events-read-role"), "its role"),
        (policy_named("events-readonly"), "its name"),
        (put_item_policy(tags={"AccessLevel": " READ-ONLY "}), "its tag AccessLevel=read-only"),
        (put_item_policy(tagsAll={"AccessLevel": "read-only"}), "its tag AccessLevel=read-only"),
    ],
)
def test_read_only_message_says_what_marks_it(resource: Resource, why: str) -> None:
    assert read_only_messages(resource) == [read_only(why)]


def test_the_merged_tags_all_decides_over_own_tags() -> None:
    # tagsAll is the provider's merge of defaultTags and tags: it is what AWS will carry.
    retagged = put_item_policy(tags={"AccessLevel": "read-only"}, tagsAll={"AccessLevel": "read-write"})
    assert read_only_messages(retagged) == []
    marked = put_item_policy(tags={"AccessLevel": "read-write"}, tagsAll={"AccessLevel": "read-only"})
    assert read_only_messages(marked) == [read_only("its tag AccessLevel=read-only")]


def test_a_blank_or_non_text_access_tag_leaves_the_decision_to_the_name() -> None:
    for tags in ({"AccessLevel": " "}, {"AccessLevel": 1}, {"AccessLevel": None}):
        assert read_only_messages(put_item_policy(name="events-read-policy", tags=tags)) == [
            read_only("its logical name")
        ]


def test_read_only_tag_config_with_a_key_and_no_value_uses_the_default_value() -> None:
    # {"key": "Access"} means Access=read-only, not "no tag at all".
    config = {**CONFIG, "readOnlyTag": {"key": "Access"}}
    tagged = put_item_policy(tags={"Access": "read-only"})
    assert read_only_messages(tagged, config) == [read_only("its tag Access=read-only")]
    # ... and an Access tag saying otherwise still wins over a read-only name.
    writer = put_item_policy(name="events-read-policy", tags={"Access": "read-write"})
    assert read_only_messages(writer, config) == []


@pytest.mark.parametrize(
    ("tag_config", "why"),
    [
        ({"value": "ro"}, "its tag AccessLevel=ro"),
        ({"key": "Access", "value": 7}, "its tag Access=read-only"),
        ({"key": None, "value": None}, "its tag AccessLevel=read-only"),
        ("junk", "its tag AccessLevel=read-only"),
    ],
)
def test_read_only_tag_config_parts_default_one_by_one(tag_config: Any, why: str) -> None:
    key, _, value = why.removeprefix("its tag ").partition("=")
    resource = put_item_policy(tags={key: value})
    assert read_only_messages(resource, {**CONFIG, "readOnlyTag": tag_config}) == [read_only(why)]


def test_custom_read_only_name_pattern_replaces_the_default() -> None:
    config = {**CONFIG, "readOnlyNamePattern": r"-ro(-|$)"}
    assert read_only_messages(put_item_policy(name="events-ro-policy"), config) == [
        read_only("its logical name")
    ]
    assert read_only_messages(put_item_policy(name="events-read-policy"), config) == []
    # Not text: the default pattern applies.
    junk = {**CONFIG, "readOnlyNamePattern": 7}
    assert read_only_messages(put_item_policy(name="events-read-policy"), junk) == [
        read_only("its logical name")
    ]


def test_names_are_searched_in_their_first_512_characters_only() -> None:
    # A bound on regex work: role names are at most 64 characters, policy names 128.
    inside = "x" * 506 + "-read"  # ends at character 511
    outside = "x" * 508 + "-read"  # "read" runs past character 512
    assert read_only_messages(put_item_policy(name=inside)) == [read_only("its logical name")]
    assert read_only_messages(put_item_policy(name=outside)) == []


# --- configs that accept --------------------------------------------------------------------


def test_allowed_action_patterns_accept_a_wildcard_as_written_case_insensitively() -> None:
    config = {**CONFIG, "allowedActionPatterns": ["DynamoDB:describe*"]}
    assert kinds(role_policy(allow("dynamodb:DESCRIBE*")), config) == []
    # What it expands to is still checked: here scopable actions on every table.
    assert kinds(role_policy(allow("dynamodb:Describe*", resource="*")), config) == ["every-resource"]
    assert kinds(role_policy(allow("dynamodb:Get*")), config) == ["wildcard-action"]


@pytest.mark.parametrize(
    "arns",
    [
        ["arn:aws:iam::123456789012:policy/Mine", FULL_ACCESS_ARN],
        ["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", FULL_ACCESS_ARN],
        [UNKNOWN, 7, FULL_ACCESS_ARN],
    ],
)
def test_a_broad_managed_policy_after_a_narrow_or_allowed_one_is_reported(arns: list[Any]) -> None:
    config = {**CONFIG, "allowedManagedPolicies": ["AmazonDynamoDBReadOnlyAccess"]}
    role = Resource(type="aws:iam/role:Role", name="app", urn="urn:role", props={"managedPolicyArns": arns})
    assert messages(role, config) == [f"Role 'app': {FULL_ACCESS}"]


@pytest.mark.parametrize(
    ("type_", "props", "label"),
    [
        (
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            {"policyArns": ["arn:aws:iam::123456789012:policy/Mine", FULL_ACCESS_ARN], "policyArn": "x"},
            "RolePolicyAttachmentsExclusive",
        ),
        (
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            {"policyArn": FULL_ACCESS_ARN, "policyArns": ["x"]},
            "RolePolicyAttachment",
        ),
    ],
)
def test_attachments_are_judged_by_their_own_arn_property(
    type_: str, props: dict[str, Any], label: str
) -> None:
    resource = Resource(type=type_, name="attach", urn="urn:a", props=props)
    assert messages(resource) == [f"{label} 'attach': {FULL_ACCESS}"]


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


@given(junk_resources(rule, name="app"), junk_configs(rule))
def test_schema_junk_never_raises_nor_echoes_values(resource: Resource, config: dict[str, Any]) -> None:
    found = rule.problems(resource, config)
    assert secret_free([p.message for p in found])
    assert all(" 'app'" in p.message.partition(":")[0] for p in found)  # named by its logical name


# ~25 s: every key of every IAM form with every wrong value. The hypothesis junk tests above cover
# the same ground by sampling in the default run; this exhaustive pass runs with `--all` (CI).
@pytest.mark.slow
def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        return [v.message for v in rule.check(resource, config)]

    assert junk_failures(rule, judge) == []


def test_policies_in_a_cloudformation_template_are_judged_and_named_by_logical_id() -> None:
    from tests.policies.roads import cfn_table, stack, template

    broad = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {"PolicyDocument": allow("dynamodb:*", resource="*")},
    }
    # A table first: resources the rule does not read are passed over, not the end of the template.
    host = stack(template(T=cfn_table(), P=broad, Q=broad))
    found = rule.check(host, CONFIG)
    assert found[0].message == (
        "In the template of CloudFormation stack 'cfn' (AWS::IAM::ManagedPolicy): aws-native ManagedPolicy "
        "'P', statement #0: Action 'dynamodb:*' is a wildcard that grants 80 DynamoDB actions (DeleteTable, "
        "UpdateTable, CreateTable, PutResourcePolicy, RestoreTableFromBackup, PutItem and 74 more). List the "
        "exact actions needed instead."
    )
    assert all(v.urn == found[0].urn for v in found)
    named = [v.message.split("'")[3] for v in found]
    assert named == ["P", "P", "P", "Q", "Q", "Q"]
    exempt_p = rule.check(host, {**CONFIG, "exemptResources": ["cfn/P"]})
    assert [v.message.split("'")[3] for v in exempt_p] == ["Q", "Q", "Q"]


def test_an_arn_pattern_that_reaches_every_table_is_described_not_echoed() -> None:
    resource = role_policy(allow("dynamodb:GetItem", resource="arn:aws:dynamodb:*:*:table/*"))
    assert [v.message for v in rule.check(resource, CONFIG)] == [
        "RolePolicy 'app-policy', statement #0: a Resource ARN pattern that reaches every table on actions "
        "that can be scoped to a table (GetItem). Set Resource to the table ARN (and '<table ARN>/index/*' "
        "for its indexes)."
    ]
