"""Breakages for the other roads to a permission: DynamoDB resource policies, IAM Identity Center,
aws-native IAM and tables, exclusive attachments. Extra resources registered next to the stack (the
`extra` of a Breakage); tests/mutations/variants/iam_roads.py declares what must catch each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as native

from dynamodb_stack import naming
from dynamodb_stack.alarms import create_table_alarms
from dynamodb_stack.component import DynamoDbStack
from dynamodb_stack.config import parse_stack_args
from dynamodb_stack.default_tables import EVENTS
from dynamodb_stack.specs import Attribute, TableSpec
from tests.mutations.breakage import ACCOUNT, REGION, policy_document, table_arn

OTHER_ACCOUNT = "999988887777"
FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
SSO_INSTANCE = "arn:aws:sso:::instance/ssoins-1111111111111111"
SSO_PERMISSION_SET = f"{SSO_INSTANCE.replace('instance/', 'permissionSet/')}/ps-2222222222222222"

LAMBDA_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def allow(*actions: str, resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": list(actions), "Resource": resource, **extra}


def _opts(stack: DynamoDbStack) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=stack)


def native_tags(env: str) -> list[dict[str, str]]:
    """The stack's tags in CloudFormation's `[{key, value}]` form."""
    tags = parse_stack_args({"env": env}, {}).tags.as_dict()
    return [{"key": key, "value": value} for key, value in tags.items()]


def resource_policy(statement: Callable[[str], dict[str, Any]]) -> Callable[[DynamoDbStack, str], None]:
    """An aws.dynamodb.ResourcePolicy on the events table with one statement (of the table ARN)."""

    def extra(stack: DynamoDbStack, env: str) -> None:
        arn = table_arn(EVENTS, env)
        aws.dynamodb.ResourcePolicy(
            f"events-access-{env}",
            resource_arn=arn,
            policy=policy_document(statement(arn)),
            opts=_opts(stack),
        )

    return extra


def sso_inline_wildcard(stack: DynamoDbStack, env: str) -> None:
    aws.ssoadmin.PermissionSetInlinePolicy(
        f"events-operators-inline-{env}",
        instance_arn=SSO_INSTANCE,
        permission_set_arn=SSO_PERMISSION_SET,
        inline_policy=policy_document(allow("dynamodb:*", resource=table_arn(EVENTS, env))),
        opts=_opts(stack),
    )


def sso_managed_full_access(stack: DynamoDbStack, env: str) -> None:
    aws.ssoadmin.ManagedPolicyAttachment(
        f"events-operators-full-access-{env}",
        instance_arn=SSO_INSTANCE,
        permission_set_arn=SSO_PERMISSION_SET,
        managed_policy_arn=FULL_ACCESS,
        opts=_opts(stack),
    )


def user_attachments_exclusive(stack: DynamoDbStack, env: str) -> None:
    aws.iam.UserPolicyAttachmentsExclusive(
        f"events-operator-attachments-{env}",
        user_name=f"events-operator-{env}",
        policy_arns=[FULL_ACCESS],
        opts=_opts(stack),
    )


def group_attachments_exclusive(stack: DynamoDbStack, env: str) -> None:
    aws.iam.GroupPolicyAttachmentsExclusive(
        f"events-operators-attachments-{env}",
        group_name=f"events-operators-{env}",
        policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"],
        opts=_opts(stack),
    )


def native_role(**args: Any) -> Callable[[DynamoDbStack, str], None]:
    def extra(stack: DynamoDbStack, env: str) -> None:
        native.iam.Role(
            f"events-native-role-{env}",
            role_name=f"events-native-role-{env}",
            assume_role_policy_document=json.loads(LAMBDA_TRUST),
            tags=native_tags(env),
            opts=_opts(stack),
            **{key: value(env) if callable(value) else value for key, value in args.items()},
        )

    return extra


def native_document(
    kind: str, statement: Callable[[str], dict[str, Any]], **args: Any
) -> Callable[..., None]:
    """aws-native RolePolicy / UserPolicy / GroupPolicy / ManagedPolicy with one statement."""
    factory = {
        "RolePolicy": native.iam.RolePolicy,
        "UserPolicy": native.iam.UserPolicy,
        "GroupPolicy": native.iam.GroupPolicy,
        "ManagedPolicy": native.iam.ManagedPolicy,
    }[kind]

    def extra(stack: DynamoDbStack, env: str) -> None:
        document = {"Version": "2012-10-17", "Statement": [statement(table_arn(EVENTS, env))]}
        filled = {key: value(env) if callable(value) else value for key, value in args.items()}
        factory(f"events-native-{kind.lower()}-{env}", policy_document=document, opts=_opts(stack), **filled)

    return extra


def native_permission_set(stack: DynamoDbStack, env: str) -> None:
    native.sso.PermissionSet(
        f"events-native-permission-set-{env}",
        name=f"events-operators-{env}",
        instance_arn=SSO_INSTANCE,
        inline_policy={
            "Version": "2012-10-17",
            "Statement": [allow("dynamodb:*", resource=table_arn(EVENTS, env))],
        },
        tags=native_tags(env),
        opts=_opts(stack),
    )


NATIVE_ORDERS = TableSpec(key="native-orders", hash_key="orderId", attributes=(Attribute("orderId", "S"),))


def _native_key_schema(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
    # pulumi 3.272's Python SDK cannot serialise aws_native.dynamodb.TableArgs' `key_schema`
    # (pulumi/pulumi#17181: its type is a Union with Any). The constructor gets a placeholder and this
    # engine-side transform puts the real value in wire form.
    schema = [{"attributeName": NATIVE_ORDERS.hash_key, "keyType": "HASH"}]
    return pulumi.ResourceTransformResult({**args.props, "keySchema": schema}, args.opts)


def native_table(**policies: Callable[[str], Any]) -> Callable[[DynamoDbStack, str], None]:
    """A compliant aws-native table (on-demand, AWS-managed key, tags, the stack's alarms) carrying
    the given resource policies (`resource_policy`, `stream_specification`) of its ARN."""

    def extra(stack: DynamoDbStack, env: str) -> None:
        args = parse_stack_args({"env": env}, {}, (NATIVE_ORDERS,))
        name = naming.physical_table_name(NATIVE_ORDERS, env)
        arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
        table = native.dynamodb.Table(
            naming.table_resource_name(NATIVE_ORDERS, env),
            table_name=name,
            billing_mode="PAY_PER_REQUEST",
            attribute_definitions=[{"attribute_name": NATIVE_ORDERS.hash_key, "attribute_type": "S"}],
            key_schema="set by _native_key_schema",
            sse_specification={"sse_enabled": True, "sse_type": "KMS"},
            deletion_protection_enabled=True,
            tags=native_tags(env),
            opts=pulumi.ResourceOptions(parent=stack, transforms=[_native_key_schema]),
            **{key: make(arn) for key, make in policies.items()},
        )
        create_table_alarms(
            stack, NATIVE_ORDERS, SimpleNamespace(name=table.table_name), args, stack.alarm_target.topic_arn
        )

    return extra


def table_policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {"policy_document": {"Version": "2012-10-17", "Statement": [statement]}}
