"""Fixtures: every resource form that grants permissions, with a document or managed-policy ARNs
put where that form carries them (wire form: camelCase, aws-native tags as `[{key, value}]`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dynamodb_guardrails.model import Resource

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "999988887777"
TABLE_ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/events"
STREAM_ARN = f"{TABLE_ARN}/stream/2026-01-01T00:00:00.000"

Props = dict[str, Any]


@dataclass(frozen=True)
class Form:
    id: str
    type: str
    place: Callable[[Any], Props]  # document or ARN list -> props

    def resource(self, value: Any, name: str = "subject", **extra: Any) -> Resource:
        return Resource(
            type=self.type,
            name=name,
            urn=f"urn:pulumi:dev::p::{self.type}::{name}",
            props={
                **self.place(value),
                **extra,
            },
        )


def _inline(key: str, doc_key: str) -> Callable[[Any], Props]:
    return lambda doc: {key: [{"policyName": "p", "name": "p", doc_key: doc}]}


# Identity-based documents: the holder is whoever the document is attached to.
IDENTITY_FORMS = (
    Form("classic-role-policy", "aws:iam/rolePolicy:RolePolicy", lambda d: {"policy": d, "role": "app"}),
    Form("classic-policy", "aws:iam/policy:Policy", lambda d: {"policy": d}),
    Form("classic-user-policy", "aws:iam/userPolicy:UserPolicy", lambda d: {"policy": d, "user": "u"}),
    Form("classic-group-policy", "aws:iam/groupPolicy:GroupPolicy", lambda d: {"policy": d, "group": "g"}),
    Form("classic-role-inline", "aws:iam/role:Role", _inline("inlinePolicies", "policy")),
    Form("native-role-inline", "aws-native:iam:Role", _inline("policies", "policyDocument")),
    Form("native-user-inline", "aws-native:iam:User", _inline("policies", "policyDocument")),
    Form("native-group-inline", "aws-native:iam:Group", _inline("policies", "policyDocument")),
    Form(
        "native-role-policy",
        "aws-native:iam:RolePolicy",
        lambda d: {"policyDocument": d, "policyName": "p", "roleName": "app"},
    ),
    Form(
        "native-user-policy",
        "aws-native:iam:UserPolicy",
        lambda d: {"policyDocument": d, "policyName": "p", "userName": "u"},
    ),
    Form(
        "native-group-policy",
        "aws-native:iam:GroupPolicy",
        lambda d: {"policyDocument": d, "policyName": "p", "groupName": "g"},
    ),
    Form(
        "native-managed-policy",
        "aws-native:iam:ManagedPolicy",
        lambda d: {"policyDocument": d, "roles": ["app"]},
    ),
    Form("cfn-iam-policy", "aws-native:iam:Policy", lambda d: {"policyDocument": d, "policyName": "p"}),
    Form(
        "sso-inline-policy",
        "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        lambda d: {
            "inlinePolicy": d,
            "instanceArn": "arn:aws:sso:::instance/ssoins-1",
            "permissionSetArn": "x",
        },
    ),
    Form(
        "native-permission-set", "aws-native:sso:PermissionSet", lambda d: {"inlinePolicy": d, "name": "ps"}
    ),
)

# Managed-policy attachments: a list of ARNs, or a single ARN where the form takes one.
ATTACHMENT_FORMS = (
    Form("classic-role-managed", "aws:iam/role:Role", lambda arns: {"managedPolicyArns": arns}),
    *(
        Form(
            f"classic-{kind}-attachment",
            f"aws:iam/{kind}PolicyAttachment:{kind.title()}PolicyAttachment",
            lambda arns: {"policyArn": arns[0]},
        )
        for kind in ("role", "user", "group")
    ),
    Form(
        "classic-policy-attachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        lambda a: {"policyArn": a[0]},
    ),
    *(
        Form(
            f"classic-{kind}-attachments-exclusive",
            f"aws:iam/{kind}PolicyAttachmentsExclusive:{kind.title()}PolicyAttachmentsExclusive",
            lambda arns: {"policyArns": arns},
        )
        for kind in ("role", "user", "group")
    ),
    Form(
        "sso-managed-attachment",
        "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
        lambda arns: {"managedPolicyArn": arns[0]},
    ),
    Form(
        "sso-managed-attachments-exclusive",
        "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive",
        lambda arns: {"managedPolicyArns": arns},
    ),
    Form("native-role-managed", "aws-native:iam:Role", lambda arns: {"managedPolicyArns": arns}),
    Form("native-user-managed", "aws-native:iam:User", lambda arns: {"managedPolicyArns": arns}),
    Form("native-group-managed", "aws-native:iam:Group", lambda arns: {"managedPolicyArns": arns}),
    Form("native-permission-set-managed", "aws-native:sso:PermissionSet", lambda a: {"managedPolicies": a}),
)

# Resource-based documents, attached to the events table (or its stream).
RESOURCE_FORMS = (
    Form(
        "classic-resource-policy",
        "aws:dynamodb/resourcePolicy:ResourcePolicy",
        lambda d: {"policy": d, "resourceArn": TABLE_ARN},
    ),
    Form(
        "classic-stream-resource-policy",
        "aws:dynamodb/resourcePolicy:ResourcePolicy",
        lambda d: {"policy": d, "resourceArn": STREAM_ARN},
    ),
    Form(
        "native-table-resource-policy",
        "aws-native:dynamodb:Table",
        lambda d: {"tableName": "events", "arn": TABLE_ARN, "resourcePolicy": {"policyDocument": d}},
    ),
    Form(
        "native-table-stream-resource-policy",
        "aws-native:dynamodb:Table",
        lambda d: {
            "tableName": "events",
            "arn": TABLE_ARN,
            "streamSpecification": {"streamViewType": "NEW_IMAGE", "resourcePolicy": {"policyDocument": d}},
        },
    ),
    Form(
        "native-global-table-replica-policy",
        "aws-native:dynamodb:GlobalTable",
        lambda d: {
            "tableName": "events",
            "arn": TABLE_ARN,
            "replicas": [{"region": "us-east-1", "resourcePolicy": {"policyDocument": d}}],
        },
    ),
    Form(
        "native-global-table-replica-stream-policy",
        "aws-native:dynamodb:GlobalTable",
        lambda d: {
            "tableName": "events",
            "arn": TABLE_ARN,
            "replicas": [
                {"region": "us-east-1"},
                {
                    "region": "eu-west-1",
                    "replicaStreamSpecification": {"resourcePolicy": {"policyDocument": d}},
                },
            ],
        },
    ),
)


def ids(forms: tuple[Form, ...]) -> list[str]:
    return [form.id for form in forms]
