"""What each permission reader hands iam-least-privilege: the whole permission view of every form
(labels that start its messages, documents and where they are, attached ARNs, the names and tags
that mark a holder read-only). test_permission_forms.py judges the forms through the rule; here
each view is pinned in full, so a reader that reads the wrong property or mislabels a place fails."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers import permissions as permission_readers
from dynamodb_guardrails.views.permissions import Permissions
from tests.policies.permission_forms import ACCOUNT, OTHER_ACCOUNT, TABLE_ARN

DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}],
}
ARN = "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"
OTHER_ARN = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
NATIVE_TAGS = [{"key": "AccessLevel", "value": "read-only"}, {"key": "Team", "value": "data"}]
CLASSIC_TAGS = {"AccessLevel": "read-only"}
CLASSIC_TAGS_ALL = {"AccessLevel": "read-only", "Env": "dev"}


def _readers_built_now() -> Any:
    """readers/permissions.py with READERS built again by the reader factories
    (`policy_document_reader("role")`, ...): the list the pack built when it was imported holds
    the readers those factories made then, so a change to a factory would go unseen."""
    return importlib.reload(permission_readers)


def view(type_: str, logical: str, **props: Any) -> dict[str, Any]:
    """The permission view of one resource as plain data: what the rule reads of it."""
    urn = f"urn:pulumi:dev::p::{type_}::{logical}"
    permissions = _readers_built_now().read_permissions(Resource(type_, logical, urn, props))
    assert isinstance(permissions, Permissions)
    return {
        "label": permissions.label,
        "documents": [
            (d.label, d.kind, d.status, d.resource_account, [s.origin for s in d.statements])
            for d in permissions.documents
        ],
        "attachments": [(a.label, a.policy_arns) for a in permissions.attachments],
        "names": list(permissions.holder.names),
        "tags": [dict(tags) for tags in permissions.holder.tag_sets],
    }


def doc_entry(label: str, kind: str = "identity", status: str = "ok", account: str | None = None) -> Any:
    origins = [f"{label}, statement #0"] if status == "ok" else []
    return (label, kind, status, account, origins)


# --- pulumi-aws IAM ------------------------------------------------------------------------------


def test_classic_role_reads_inline_policies_managed_arns_names_and_both_tag_maps() -> None:
    got = view(
        "aws:iam/role:Role",
        "app",
        name="app-role",
        inlinePolicies=[{"name": "p", "policy": DOC}, {"name": "q", "policy": UNKNOWN}, "junk"],
        managedPolicyArns=[ARN, UNKNOWN, 7],
        tags=CLASSIC_TAGS,
        tagsAll=CLASSIC_TAGS_ALL,
    )
    assert got == {
        "label": "Role 'app'",
        "documents": [
            doc_entry("Role 'app' inlinePolicies[0]"),
            doc_entry("Role 'app' inlinePolicies[1]", status="unknown"),
            doc_entry("Role 'app' inlinePolicies[2]", status="absent"),
        ],
        "attachments": [("Role 'app'", (ARN,))],
        "names": [("name", "app-role"), ("logical name", "app")],
        "tags": [CLASSIC_TAGS_ALL, CLASSIC_TAGS],
    }


def test_classic_role_with_unknown_or_no_inline_policies_has_no_documents() -> None:
    for inline in (UNKNOWN, None):
        got = view("aws:iam/role:Role", "app", inlinePolicies=inline, managedPolicyArns=UNKNOWN)
        assert got["documents"] == [] and got["attachments"] == [("Role 'app'", ())]
        assert got["names"] == [("logical name", "app")] and got["tags"] == []


@pytest.mark.parametrize(
    ("type_", "short", "owner"),
    [
        ("aws:iam/rolePolicy:RolePolicy", "RolePolicy", "role"),
        ("aws:iam/userPolicy:UserPolicy", "UserPolicy", "user"),
        ("aws:iam/groupPolicy:GroupPolicy", "GroupPolicy", "group"),
    ],
)
def test_classic_inline_policies_name_their_owner_and_carry_no_tags(
    type_: str, short: str, owner: str
) -> None:
    got = view(type_, "pol", policy=DOC, name="pol-name", tags=CLASSIC_TAGS, **{owner: "holder-read"})
    assert got == {
        "label": f"{short} 'pol'",
        "documents": [doc_entry(f"{short} 'pol'")],
        "attachments": [],
        "names": [("name", "pol-name"), ("logical name", "pol"), (owner, "holder-read")],
        "tags": [],
    }


def test_classic_policy_has_no_owner_but_takes_tags() -> None:
    got = view("aws:iam/policy:Policy", "pol", policy=DOC, name="pol-name", tags=CLASSIC_TAGS, role="x")
    assert got == {
        "label": "Policy 'pol'",
        "documents": [doc_entry("Policy 'pol'")],
        "attachments": [],
        "names": [("name", "pol-name"), ("logical name", "pol")],
        "tags": [CLASSIC_TAGS],
    }


@pytest.mark.parametrize(
    ("type_", "short"),
    [
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "RolePolicyAttachment"),
        ("aws:iam/userPolicyAttachment:UserPolicyAttachment", "UserPolicyAttachment"),
        ("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "GroupPolicyAttachment"),
        ("aws:iam/policyAttachment:PolicyAttachment", "PolicyAttachment"),
        ("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "ManagedPolicyAttachment"),
    ],
)
def test_single_arn_attachments_read_their_one_arn_and_nothing_else(type_: str, short: str) -> None:
    prop = "managedPolicyArn" if "ssoadmin" in type_ else "policyArn"
    got = view(type_, "att", policyArns=[OTHER_ARN], managedPolicyArns=[OTHER_ARN], **{prop: ARN})
    assert got == {
        "label": f"{short} 'att'",
        "documents": [],
        "attachments": [(f"{short} 'att'", (ARN,))],
        "names": [],
        "tags": [],
    }


@pytest.mark.parametrize(
    ("type_", "short"),
    [
        (
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            "RolePolicyAttachmentsExclusive",
        ),
        (
            "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
            "UserPolicyAttachmentsExclusive",
        ),
        (
            "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
            "GroupPolicyAttachmentsExclusive",
        ),
        (
            "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive",
            "ManagedPolicyAttachmentsExclusive",
        ),
    ],
)
def test_exclusive_attachments_read_every_known_arn(type_: str, short: str) -> None:
    prop = "managedPolicyArns" if "ssoadmin" in type_ else "policyArns"
    got = view(type_, "att", policyArn=OTHER_ARN, **{prop: [ARN, UNKNOWN, OTHER_ARN]})
    assert got["attachments"] == [(f"{short} 'att'", (ARN, OTHER_ARN))]
    assert got["documents"] == [] and got["names"] == [] and got["tags"] == []


# --- aws-native IAM ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "short", "name_prop", "tagged"),
    [
        ("aws-native:iam:Role", "Role", "roleName", True),
        ("aws-native:iam:User", "User", "userName", True),
        ("aws-native:iam:Group", "Group", "groupName", False),  # AWS::IAM::Group takes no tags
    ],
)
def test_native_principals_read_policies_managed_arns_their_name_and_tags(
    type_: str, short: str, name_prop: str, tagged: bool
) -> None:
    got = view(
        type_,
        "app",
        policies=[{"policyName": "p", "policyDocument": DOC}, {"policyName": "q", "policyDocument": "{junk"}],
        managedPolicyArns=[ARN],
        tags=NATIVE_TAGS,
        **{name_prop: "app-read"},
    )
    label = f"aws-native {short} 'app'"
    assert got == {
        "label": label,
        "documents": [doc_entry(f"{label} policies[0]"), doc_entry(f"{label} policies[1]", status="invalid")],
        "attachments": [(label, (ARN,))],
        "names": [("name", "app-read"), ("logical name", "app")],
        "tags": [{"AccessLevel": "read-only", "Team": "data"}] if tagged else [],
    }


def test_native_principal_with_unknown_policies_has_no_documents() -> None:
    got = view("aws-native:iam:Role", "app", policies=UNKNOWN)
    assert got["documents"] == [] and got["names"] == [("logical name", "app")]
    assert got["tags"] == [{}]


@pytest.mark.parametrize(
    ("type_", "short", "owner_prop", "owner"),
    [
        ("aws-native:iam:RolePolicy", "RolePolicy", "roleName", "role"),
        ("aws-native:iam:UserPolicy", "UserPolicy", "userName", "user"),
        ("aws-native:iam:GroupPolicy", "GroupPolicy", "groupName", "group"),
    ],
)
def test_native_inline_policies_name_the_policy_and_its_owner(
    type_: str, short: str, owner_prop: str, owner: str
) -> None:
    got = view(
        type_, "pol", policyDocument=DOC, policyName="p-read", tags=NATIVE_TAGS, **{owner_prop: "holder"}
    )
    label = f"aws-native {short} 'pol'"
    assert got == {
        "label": label,
        "documents": [doc_entry(label)],
        "attachments": [],
        "names": [("name", "p-read"), (owner, "holder"), ("logical name", "pol")],
        "tags": [],
    }


@pytest.mark.parametrize(
    ("type_", "short", "name_prop"),
    [
        ("aws-native:iam:ManagedPolicy", "ManagedPolicy", "managedPolicyName"),
        ("aws-native:iam:Policy", "Policy", "policyName"),
    ],
)
def test_native_standalone_policies_name_every_holder_they_attach_to(
    type_: str, short: str, name_prop: str
) -> None:
    got = view(
        type_,
        "pol",
        policyDocument=DOC,
        roles=["r1", UNKNOWN, "r2"],
        users=["u"],
        groups=["g"],
        tags=NATIVE_TAGS,
        **{name_prop: "pol-read"},
    )
    label = f"aws-native {short} 'pol'"
    assert got == {
        "label": label,
        "documents": [doc_entry(label)],
        "attachments": [],
        "names": [
            ("name", "pol-read"),
            ("role", "r1"),
            ("role", "r2"),
            ("user", "u"),
            ("group", "g"),
            ("logical name", "pol"),
        ],
        "tags": [],
    }


# --- resource-based policies -----------------------------------------------------------------------


def test_classic_resource_policy_is_a_resource_document_of_the_tables_account() -> None:
    got = view("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", policy=DOC, resourceArn=TABLE_ARN)
    assert got == {
        "label": "ResourcePolicy 'rp'",
        "documents": [doc_entry("ResourcePolicy 'rp'", "resource", account=ACCOUNT)],
        "attachments": [],
        "names": [],
        "tags": [],
    }
    unknown_arn = view("aws:dynamodb/resourcePolicy:ResourcePolicy", "rp", policy=DOC, resourceArn=UNKNOWN)
    assert unknown_arn["documents"] == [doc_entry("ResourcePolicy 'rp'", "resource")]


def test_native_table_reads_its_own_and_its_streams_resource_policy() -> None:
    got = view(
        "aws-native:dynamodb:Table",
        "t",
        arn=TABLE_ARN,
        resourcePolicy={"policyDocument": DOC},
        streamSpecification={"streamViewType": "NEW_IMAGE", "resourcePolicy": {"policyDocument": "{junk"}},
    )
    label = "aws-native Table 't'"
    assert got == {
        "label": label,
        "documents": [
            doc_entry(f"{label} resourcePolicy", "resource", account=ACCOUNT),
            doc_entry(f"{label} streamSpecification.resourcePolicy", "resource", "invalid", ACCOUNT),
        ],
        "attachments": [],
        "names": [],
        "tags": [],
    }


def test_native_table_policies_unknown_absent_or_without_a_document() -> None:
    label = "aws-native Table 't'"
    assert view("aws-native:dynamodb:Table", "t", tableName="t")["documents"] == []
    unknown = view("aws-native:dynamodb:Table", "t", resourcePolicy=UNKNOWN, streamSpecification=UNKNOWN)
    assert unknown["documents"] == [
        doc_entry(f"{label} resourcePolicy", "resource", "unknown"),
        doc_entry(f"{label} streamSpecification.resourcePolicy", "resource", "unknown"),
    ]
    empty = view("aws-native:dynamodb:Table", "t", resourcePolicy={}, streamSpecification={})
    assert empty["documents"] == [doc_entry(f"{label} resourcePolicy", "resource", "absent")]


def test_native_global_table_reads_every_replicas_policies_with_the_tables_account() -> None:
    other_arn = TABLE_ARN.replace(ACCOUNT, OTHER_ACCOUNT)
    got = view(
        "aws-native:dynamodb:GlobalTable",
        "g",
        arn=other_arn,
        resourcePolicy={"policyDocument": DOC},  # not a GlobalTable property: replicas carry them
        replicas=[
            {"region": "us-east-1", "resourcePolicy": {"policyDocument": DOC}},
            "junk",
            {
                "region": "eu-west-1",
                "streamSpecification": {"resourcePolicy": {"policyDocument": DOC}},
                "replicaStreamSpecification": {"resourcePolicy": {"policyDocument": DOC}},
            },
        ],
    )
    label = "aws-native GlobalTable 'g'"
    assert got["label"] == label
    assert got["documents"] == [
        doc_entry(f"{label} replicas[0] resourcePolicy", "resource", account=OTHER_ACCOUNT),
        doc_entry(
            f"{label} replicas[2] replicaStreamSpecification.resourcePolicy",
            "resource",
            account=OTHER_ACCOUNT,
        ),
    ]
    assert view("aws-native:dynamodb:GlobalTable", "g", replicas=UNKNOWN)["documents"] == []


# --- IAM Identity Center ---------------------------------------------------------------------------


def test_sso_inline_policy_is_named_by_its_logical_name_only() -> None:
    got = view(
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        "ps-read",
        inlinePolicy=DOC,
        name="other",
        tags=CLASSIC_TAGS,
    )
    label = "PermissionSetInlinePolicy 'ps-read'"
    assert got == {
        "label": label,
        "documents": [doc_entry(label)],
        "attachments": [],
        "names": [("logical name", "ps-read")],
        "tags": [],
    }


def test_native_permission_set_reads_inline_policy_managed_policies_name_and_tags() -> None:
    got = view(
        "aws-native:sso:PermissionSet",
        "ps",
        name="DynamoDB-read",
        inlinePolicy=DOC,
        managedPolicies=[ARN, UNKNOWN],
        tags=NATIVE_TAGS,
    )
    label = "aws-native PermissionSet 'ps'"
    assert got == {
        "label": label,
        "documents": [doc_entry(f"{label} inlinePolicy")],
        "attachments": [(label, (ARN,))],
        "names": [("name", "DynamoDB-read"), ("logical name", "ps")],
        "tags": [{"AccessLevel": "read-only", "Team": "data"}],
    }
    bare = view("aws-native:sso:PermissionSet", "ps")
    assert bare == {
        "label": label,
        "documents": [],
        "attachments": [(label, ())],
        "names": [("logical name", "ps")],
        "tags": [{}],
    }
    unknown = view("aws-native:sso:PermissionSet", "ps", inlinePolicy=UNKNOWN)
    assert unknown["documents"] == [doc_entry(f"{label} inlinePolicy", status="unknown")]


# --- the list of forms -----------------------------------------------------------------------------


def test_types_that_grant_nothing_have_no_view() -> None:
    for type_ in ("aws:dynamodb/table:Table", "aws:s3/bucket:Bucket", "aws-native:iam:InstanceProfile", ""):
        assert type_ not in permission_readers.READERS
        assert permission_readers.read_permissions(Resource(type_, "x", "urn:x", {"policy": DOC})) is None
