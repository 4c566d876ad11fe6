"""Every road to a permission is judged by iam-least-privilege the same way: each form's document
or attachment, read through its permission view. The aws-native, resource-policy and Identity Center
forms were not read at all before (a deployment passed silently)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers.permissions import READERS, read_permissions
from dynamodb_guardrails.rules import iam_least_privilege as rule
from tests.policies.permission_forms import (
    ACCOUNT,
    ATTACHMENT_FORMS,
    IDENTITY_FORMS,
    OTHER_ACCOUNT,
    RESOURCE_FORMS,
    TABLE_ARN,
    Form,
    ids,
)
from tests.policies.strategies import junk_trees
from tests.policies.strategies_iam import junk_documents

CONFIG = defaults(rule.META.config_schema)
FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(*actions: str, resource: Any = TABLE_ARN, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": resource, **extra}


def kinds(resource: Resource, config: dict[str, Any] | None = None) -> list[str]:
    return sorted(p.kind for p in rule.problems(resource, config or CONFIG))


def same_account(*actions: str) -> dict[str, Any]:
    return allow(*actions, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/app"})


ALL_DOCUMENT_FORMS = IDENTITY_FORMS + RESOURCE_FORMS


def test_every_form_has_a_reader_and_is_a_type_the_policy_looks_at() -> None:
    for form in IDENTITY_FORMS + ATTACHMENT_FORMS + RESOURCE_FORMS:
        assert form.type in READERS, form.id
        assert form.type in (rule.META.resource_types or ()), form.id


# --- identity documents ----------------------------------------------------------------------------


@pytest.mark.parametrize("form", IDENTITY_FORMS, ids=ids(IDENTITY_FORMS))
def test_a_wildcard_in_an_identity_document_is_flagged_in_every_form(form: Form) -> None:
    for document in (doc(allow("dynamodb:*")), json.dumps(doc(allow("dynamodb:*")))):
        assert kinds(form.resource(document)) == ["admin-action", "wildcard-action"]


@pytest.mark.parametrize("form", IDENTITY_FORMS, ids=ids(IDENTITY_FORMS))
def test_every_table_and_not_action_are_flagged_in_every_form(form: Form) -> None:
    assert kinds(form.resource(doc(allow("dynamodb:GetItem", resource="arn:aws:dynamodb:*")))) == [
        "every-resource"
    ]
    not_action = {"Effect": "Allow", "NotAction": "iam:*", "Resource": TABLE_ARN}
    assert "not-action" in kinds(form.resource(doc(not_action)))


@pytest.mark.parametrize("form", ALL_DOCUMENT_FORMS, ids=ids(ALL_DOCUMENT_FORMS))
def test_scoped_documents_and_unknown_documents_are_clean_in_every_form(form: Form) -> None:
    scoped = allow("dynamodb:GetItem", "dynamodb:Query", resource=[TABLE_ARN, f"{TABLE_ARN}/index/*"])
    if form in RESOURCE_FORMS:
        scoped = same_account("dynamodb:GetItem", "dynamodb:Query")
    assert kinds(form.resource(doc(scoped))) == []
    assert kinds(form.resource(UNKNOWN)) == []
    assert kinds(form.resource(doc(allow("dynamodb:*", resource=[UNKNOWN]) | {"Action": UNKNOWN}))) == []


@pytest.mark.parametrize("form", ALL_DOCUMENT_FORMS, ids=ids(ALL_DOCUMENT_FORMS))
def test_a_document_that_is_not_json_is_flagged_without_echoing_it(form: Form) -> None:
    [problem] = rule.problems(form.resource("s3cr3t {not json"), CONFIG)
    assert problem.kind == "invalid-document" and "s3cr3t" not in problem.message


@pytest.mark.parametrize(
    "form", ALL_DOCUMENT_FORMS + ATTACHMENT_FORMS, ids=ids(ALL_DOCUMENT_FORMS + ATTACHMENT_FORMS)
)
def test_exempt_resources_are_skipped_in_every_form(form: Form) -> None:
    value = [FULL_ACCESS] if form in ATTACHMENT_FORMS else doc(allow("*", resource="*", Principal="*"))
    resource = form.resource(value, name="legacy")
    assert kinds(resource) != []
    assert kinds(resource, {**CONFIG, "exemptResources": ["legacy"]}) == []
    assert kinds(resource, {**CONFIG, "exemptResources": [resource.urn]}) == []


def test_messages_say_where_the_document_is() -> None:
    role = IDENTITY_FORMS[ids(IDENTITY_FORMS).index("native-role-inline")]
    [message, *_] = [p.message for p in rule.problems(role.resource(doc(allow("dynamodb:*"))), CONFIG)]
    assert message.startswith("aws-native Role 'subject' policies[0], statement #0:")
    table = RESOURCE_FORMS[ids(RESOURCE_FORMS).index("native-table-stream-resource-policy")]
    [message] = [
        p.message
        for p in rule.problems(table.resource(doc(allow("dynamodb:*", Principal="*"))), CONFIG)
        if p.kind == "public-access"
    ]
    assert message.startswith("aws-native Table 'subject' streamSpecification.resourcePolicy, statement #0")


# --- read-only intent in the aws-native and Identity Center forms ------------------------------------


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        ("aws-native:iam:Role", {"roleName": "dynamodb-events-read-role-dev"}),
        ("aws-native:iam:Role", {"tags": [{"key": "AccessLevel", "value": "read-only"}]}),
        ("aws-native:iam:User", {"userName": "events-readonly"}),
        ("aws-native:sso:PermissionSet", {"name": "DynamoDB-read-only"}),
        ("aws-native:sso:PermissionSet", {"tags": [{"key": "AccessLevel", "value": "Read-Only"}]}),
    ],
)
def test_native_holders_marked_read_only_may_not_write(type_: str, props: dict[str, Any]) -> None:
    place = "inlinePolicy" if type_.endswith("PermissionSet") else "policies"
    document = doc(allow("dynamodb:GetItem", "dynamodb:PutItem"))
    value = document if place == "inlinePolicy" else [{"policyName": "p", "policyDocument": document}]
    resource = Resource(type=type_, name="r", urn="urn:r", props={**props, place: value})
    assert kinds(resource) == ["write-in-read-only"]


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        ("aws-native:iam:RolePolicy", {"roleName": "dynamodb-events-read-role-dev"}),
        ("aws-native:iam:GroupPolicy", {"groupName": "readers-read-only"}),
        ("aws-native:iam:ManagedPolicy", {"roles": ["app", "dynamodb-events-read-role-dev"]}),
        ("aws-native:iam:Policy", {"users": ["events-readonly"]}),
        ("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", {}),
    ],
)
def test_native_policies_of_read_only_holders_may_not_write(type_: str, props: dict[str, Any]) -> None:
    key = "inlinePolicy" if "ssoadmin" in type_ else "policyDocument"
    name = "events-read-only" if "ssoadmin" in type_ else "p"
    resource = Resource(type_, name, f"urn:{name}", {**props, key: doc(allow("dynamodb:PutItem"))})
    assert kinds(resource) == ["write-in-read-only"]


def test_a_read_write_tag_wins_over_a_read_name_in_native_forms() -> None:
    props = {
        "roleName": "dynamodb-events-read-role-dev",
        "tags": [{"key": "AccessLevel", "value": "read-write"}],
        "policies": [{"policyName": "p", "policyDocument": doc(allow("dynamodb:PutItem"))}],
    }
    assert kinds(Resource("aws-native:iam:Role", "r", "urn:r", props)) == []


# --- attachments -------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ATTACHMENT_FORMS, ids=ids(ATTACHMENT_FORMS))
def test_broad_managed_policies_are_flagged_in_every_attachment_form(form: Form) -> None:
    assert kinds(form.resource([FULL_ACCESS])) == ["broad-managed-policy"]
    assert (
        kinds(
            form.resource([FULL_ACCESS]), {**CONFIG, "allowedManagedPolicies": ["AmazonDynamoDBFullAccess"]}
        )
        == []
    )
    customer = f"arn:aws:iam::{ACCOUNT}:policy/AmazonDynamoDBFullAccess"
    assert kinds(form.resource([customer])) == []


@pytest.mark.parametrize("form", ATTACHMENT_FORMS, ids=ids(ATTACHMENT_FORMS))
def test_unknown_attachments_are_clean(form: Form) -> None:
    assert kinds(form.resource([UNKNOWN])) == []


def test_exclusive_attachments_list_every_broad_policy() -> None:
    form = ATTACHMENT_FORMS[ids(ATTACHMENT_FORMS).index("classic-user-attachments-exclusive")]
    arns = [FULL_ACCESS, "arn:aws:iam::aws:policy/AdministratorAccess", UNKNOWN]
    assert kinds(form.resource(arns)) == ["broad-managed-policy", "broad-managed-policy"]


# --- junk --------------------------------------------------------------------------------------------

_TYPES = sorted(READERS)


@given(st.sampled_from(_TYPES), junk_trees)
def test_no_reader_raises_on_junk_props(type_: str, props: Any) -> None:
    resource = Resource(
        type=type_, name="x", urn="u", props=props if isinstance(props, dict) else {"p": props}
    )
    read_permissions(resource)
    rule.check(resource, CONFIG)


@given(st.sampled_from(IDENTITY_FORMS + RESOURCE_FORMS), st.one_of(junk_documents, junk_trees))
def test_no_form_raises_on_junk_documents(form: Form, document: Any) -> None:
    rule.check(form.resource(document), CONFIG)


@given(st.sampled_from(RESOURCE_FORMS), st.one_of(junk_trees, st.sampled_from(["*", UNKNOWN])), junk_trees)
def test_junk_principals_and_conditions_never_raise(form: Form, principal: Any, condition: Any) -> None:
    statement = allow("dynamodb:GetItem", Principal=principal, Condition=condition)
    rule.check(form.resource(doc(statement)), CONFIG)
    rule.check(form.resource(doc({**statement, "NotPrincipal": principal})), CONFIG)


def test_cross_account_messages_name_only_account_ids() -> None:
    form = RESOURCE_FORMS[0]
    statement = allow("dynamodb:*", Principal={"AWS": [f"arn:aws:iam::{OTHER_ACCOUNT}:role/s3cr3t-name"]})
    messages = [p.message for p in rule.problems(form.resource(doc(statement)), CONFIG)]
    assert messages and all(OTHER_ACCOUNT in m and "s3cr3t" not in m for m in messages)
