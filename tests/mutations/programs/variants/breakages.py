"""How each variant breaks the real stack: one change to one resource's inputs (a Pulumi
`transformations` option on the component, which its children inherit), stack config, or one
extra resource registered next to the stack. tests/mutations/catalogue.py says which policy must
catch each one.

Most variants use `transformations` (run by the SDK itself); billing-via-transforms uses the newer
`transforms`, which the engine runs (and so does the offline preview's mock engine).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as native

from dynamodb_stack import naming
from dynamodb_stack.alarms import create_table_alarms
from dynamodb_stack.component import DynamoDbStack
from dynamodb_stack.config import parse_stack_args
from dynamodb_stack.iam import read_policy_document, write_policy_document
from dynamodb_stack.seed_tables import EVENTS, SESSIONS, USERS
from dynamodb_stack.specs import Attribute, TableSpec
from dynamodb_stack.tables import create_table

TABLE = "aws:dynamodb/table:Table"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
# Where the preview's update mode puts every resource; literal ARNs keep documents known in preview.
REGION, ACCOUNT = "us-east-1", "123456789012"
OTHER_ACCOUNT = "999988887777"
FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
SSO_INSTANCE = "arn:aws:sso:::instance/ssoins-1111111111111111"
SSO_PERMISSION_SET = f"{SSO_INSTANCE.replace('instance/', 'permissionSet/')}/ps-2222222222222222"

Props = dict[str, Any]
Change = Callable[[Props], Props]


@dataclass(frozen=True)
class Breakage:
    changes: Mapping[tuple[str, str], Change] = field(default_factory=dict)  # (type, logical name)
    config: Mapping[str, str] = field(default_factory=dict)  # stack config, as `pulumi config set`
    extra: Callable[[DynamoDbStack, str], None] | None = None  # (stack, env): more resources
    # Changes made by the newer `transforms` option, which the engine runs (props in wire form).
    engine_changes: Mapping[tuple[str, str], Change] = field(default_factory=dict)


def change(type_: str, name: str, fn: Change) -> Breakage:
    return Breakage(changes={(type_, name): fn})


def setting(**values: Any) -> Change:
    return lambda props: {**props, **values}


def without_tag(key: str) -> Change:
    return lambda props: {**props, "tags": {k: v for k, v in props["tags"].items() if k != key}}


def with_tag(key: str, value: str, *, instead_of: str | None = None) -> Change:
    def fn(props: Props) -> Props:
        tags = {k: v for k, v in props["tags"].items() if k != instead_of}
        return {**props, "tags": {**tags, key: value}}

    return fn


def table_arn(spec: TableSpec, env: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{naming.physical_table_name(spec, env)}"


def policy_document(*statements: Mapping[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def with_statement_change(document: str, **values: Any) -> str:
    """The stack's one-statement document with keys of its statement replaced (None drops a key)."""
    data = json.loads(document)
    statement = {**data["Statement"][0], **values}
    data["Statement"][0] = {k: v for k, v in statement.items() if v is not None}
    return json.dumps(data)


def with_actions(document: str, *actions: str) -> str:
    data = json.loads(document)
    return with_statement_change(document, Action=[*data["Statement"][0]["Action"], *actions])


def read_policy(spec: TableSpec, env: str, document: str) -> Breakage:
    name = naming.role_policy_name(spec, "read", env)
    return change(ROLE_POLICY, name, setting(policy=document))


def write_policy(spec: TableSpec, env: str, document: str) -> Breakage:
    name = naming.role_policy_name(spec, "write", env)
    return change(ROLE_POLICY, name, setting(policy=document))


def alarm(spec: TableSpec, what: str, env: str, fn: Change) -> Breakage:
    return change(ALARM, naming.table_alarm_name(spec, what, env), fn)


# --- extra resources -------------------------------------------------------------------------

ORDERS = TableSpec(key="orders", hash_key="orderId", attributes=(Attribute("orderId", "S"),))


def table_without_alarms(stack: DynamoDbStack, env: str) -> None:
    # Built exactly as the stack builds its own tables (billing, SSE, tags), but no alarms.
    create_table(stack, ORDERS, parse_stack_args({"env": env}, {}, (ORDERS,)))


def full_access_attachment(stack: DynamoDbStack, env: str) -> None:
    aws.iam.RolePolicyAttachment(
        f"events-write-full-access-{env}",
        aws.iam.RolePolicyAttachmentArgs(
            role=stack.roles["events"].write.name,
            policy_arn="arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
        ),
        opts=pulumi.ResourceOptions(parent=stack),
    )


# --- more roads to a permission: resource policies, Identity Center, aws-native -----------------


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


def _sso_inline_wildcard(stack: DynamoDbStack, env: str) -> None:
    aws.ssoadmin.PermissionSetInlinePolicy(
        f"events-operators-inline-{env}",
        instance_arn=SSO_INSTANCE,
        permission_set_arn=SSO_PERMISSION_SET,
        inline_policy=policy_document(allow("dynamodb:*", resource=table_arn(EVENTS, env))),
        opts=_opts(stack),
    )


def _sso_managed_full_access(stack: DynamoDbStack, env: str) -> None:
    aws.ssoadmin.ManagedPolicyAttachment(
        f"events-operators-full-access-{env}",
        instance_arn=SSO_INSTANCE,
        permission_set_arn=SSO_PERMISSION_SET,
        managed_policy_arn=FULL_ACCESS,
        opts=_opts(stack),
    )


def _user_attachments_exclusive(stack: DynamoDbStack, env: str) -> None:
    aws.iam.UserPolicyAttachmentsExclusive(
        f"events-operator-attachments-{env}",
        user_name=f"events-operator-{env}",
        policy_arns=[FULL_ACCESS],
        opts=_opts(stack),
    )


def _group_attachments_exclusive(stack: DynamoDbStack, env: str) -> None:
    aws.iam.GroupPolicyAttachmentsExclusive(
        f"events-operators-attachments-{env}",
        group_name=f"events-operators-{env}",
        policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"],
        opts=_opts(stack),
    )


def _native_role(**args: Any) -> Callable[[DynamoDbStack, str], None]:
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


def _native_document(
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


def _native_permission_set(stack: DynamoDbStack, env: str) -> None:
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


def _table_policy(statement: dict[str, Any]) -> dict[str, Any]:
    return {"policy_document": {"Version": "2012-10-17", "Statement": [statement]}}


# --- the variants ------------------------------------------------------------------------------


LAMBDA_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def _write_added_after_deploy(props: Props) -> Props:
    # Built from the policy Output: unknown in a preview (the table ARN is), known after an update.
    policy = pulumi.Output.from_input(props["policy"]).apply(
        lambda doc: with_actions(doc, "dynamodb:PutItem")
    )
    return {**props, "policy": policy}


BREAKAGES: dict[str, Callable[[str], Breakage]] = {
    "clean": lambda env: Breakage(),
    # billing
    "billing-provisioned": lambda env: change(
        TABLE,
        naming.table_resource_name(EVENTS, env),
        setting(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5),
    ),
    "billing-via-transforms": lambda env: Breakage(
        engine_changes={
            (TABLE, naming.table_resource_name(EVENTS, env)): setting(
                billingMode="PROVISIONED", readCapacity=5, writeCapacity=5
            )
        }
    ),
    "billing-mode-absent": lambda env: change(
        TABLE, naming.table_resource_name(SESSIONS, env), setting(billing_mode=None)
    ),
    # encryption
    "sse-disabled": lambda env: change(
        TABLE, naming.table_resource_name(USERS, env), setting(server_side_encryption={"enabled": False})
    ),
    "sse-absent": lambda env: change(
        TABLE, naming.table_resource_name(EVENTS, env), setting(server_side_encryption=None)
    ),
    "kms-key-not-allowed": lambda env: change(
        TABLE,
        naming.table_resource_name(EVENTS, env),
        setting(
            server_side_encryption={
                "enabled": True,
                "kms_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555",
            }
        ),
    ),
    "kms-key-allowed": lambda env: change(
        TABLE,
        naming.table_resource_name(EVENTS, env),
        setting(
            server_side_encryption={
                "enabled": True,
                "kms_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/approved-1",
            }
        ),
    ),
    # tags
    "table-tag-missing": lambda env: change(
        TABLE, naming.table_resource_name(SESSIONS, env), without_tag("CostCenter")
    ),
    "table-tag-empty": lambda env: change(
        TABLE, naming.table_resource_name(USERS, env), with_tag("Team", "")
    ),
    "table-tag-key-wrong-case": lambda env: change(
        TABLE,
        naming.table_resource_name(EVENTS, env),
        with_tag("costcenter", "engineering", instead_of="CostCenter"),
    ),
    "alarm-tag-missing": lambda env: alarm(EVENTS, "system-errors", env, without_tag("Environment")),
    "role-tag-missing": lambda env: change(
        ROLE, naming.role_name(EVENTS, "read", env), without_tag("Repository")
    ),
    "topic-tags-missing": lambda env: change(TOPIC, naming.alarm_topic_name(env), setting(tags=None)),
    "role-tag-blank": lambda env: change(
        ROLE, naming.role_name(USERS, "write", env), with_tag("Team", "   ")
    ),
    "env-named-read": lambda env: Breakage(config={"env": "read"}),
    # alarms per table
    "table-without-alarms": lambda env: Breakage(extra=table_without_alarms),
    "throttle-alarms-on-other-metric": lambda env: Breakage(
        changes={
            (ALARM, naming.table_alarm_name(USERS, "read-throttle", env)): setting(
                metric_name="ConsumedReadCapacityUnits"
            ),
            (ALARM, naming.table_alarm_name(USERS, "write-throttle", env)): setting(
                metric_name="ConsumedWriteCapacityUnits"
            ),
        }
    ),
    "throttle-alarms-on-other-table": lambda env: Breakage(
        changes={
            (ALARM, naming.table_alarm_name(USERS, what, env)): setting(
                dimensions={"TableName": naming.physical_table_name(EVENTS, env)}
            )
            for what in ("read-throttle", "write-throttle")
        }
    ),
    "system-errors-without-operation": lambda env: alarm(
        EVENTS,
        "system-errors",
        env,
        setting(
            metric_queries=None,
            namespace="AWS/DynamoDB",
            metric_name="SystemErrors",
            dimensions={"TableName": naming.physical_table_name(EVENTS, env)},
            statistic="Sum",
            period=60,
        ),
    ),
    "system-errors-insights-by-table-only": lambda env: alarm(
        SESSIONS,
        "system-errors",
        env,
        setting(
            metric_queries=[
                {
                    "id": "system_errors",
                    "expression": 'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", TableName) '
                    f"WHERE TableName = '{naming.physical_table_name(SESSIONS, env)}'",
                    "period": 60,
                    "return_data": True,
                }
            ]
        ),
    ),
    "user-errors-with-table-name": lambda env: change(
        ALARM,
        naming.account_alarm_name("user-errors", env),
        setting(dimensions={"TableName": naming.physical_table_name(EVENTS, env)}),
    ),
    # alarm actions
    "alarm-without-actions": lambda env: alarm(EVENTS, "read-throttle", env, setting(alarm_actions=[])),
    "alarm-actions-disabled": lambda env: alarm(
        SESSIONS, "write-throttle", env, setting(actions_enabled=False)
    ),
    # least privilege
    "read-policy-dynamodb-star": lambda env: read_policy(
        EVENTS, env, with_statement_change(read_policy_document(table_arn(EVENTS, env)), Action="dynamodb:*")
    ),
    "read-policy-put-item": lambda env: read_policy(
        USERS, env, with_actions(read_policy_document(table_arn(USERS, env)), "dynamodb:PutItem")
    ),
    "read-policy-lowercase-putitem": lambda env: read_policy(
        SESSIONS, env, with_actions(read_policy_document(table_arn(SESSIONS, env)), "dynamodb:putitem")
    ),
    "read-policy-write-after-deploy": lambda env: change(
        ROLE_POLICY, naming.role_policy_name(EVENTS, "read", env), _write_added_after_deploy
    ),
    "write-policy-resource-star": lambda env: write_policy(
        EVENTS, env, with_statement_change(write_policy_document(table_arn(EVENTS, env)), Resource="*")
    ),
    "write-policy-not-action": lambda env: write_policy(
        USERS,
        env,
        with_statement_change(
            write_policy_document(table_arn(USERS, env)), Action=None, NotAction=["dynamodb:DeleteTable"]
        ),
    ),
    "write-policy-delete-table": lambda env: write_policy(
        SESSIONS, env, with_actions(write_policy_document(table_arn(SESSIONS, env)), "dynamodb:DeleteTable")
    ),
    "write-policy-put-wildcard": lambda env: write_policy(
        EVENTS, env, with_actions(write_policy_document(table_arn(EVENTS, env)), "dynamodb:Put*")
    ),
    "full-access-attachment": lambda env: Breakage(extra=full_access_attachment),
    "role-admin-managed-policy": lambda env: change(
        ROLE,
        naming.role_name(USERS, "read", env),
        setting(managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"]),
    ),
    "role-inline-scan-everything": lambda env: change(
        ROLE,
        naming.role_name(SESSIONS, "read", env),
        setting(
            inline_policies=[
                {
                    "name": "scan-all",
                    "policy": policy_document(
                        {"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}
                    ),
                }
            ]
        ),
    ),
    "write-policy-every-table-spelling": lambda env: write_policy(
        EVENTS,
        env,
        with_statement_change(write_policy_document(table_arn(EVENTS, env)), Resource="arn:aws:dynamodb:*"),
    ),
    "user-attachments-exclusive-full-access": lambda env: Breakage(extra=_user_attachments_exclusive),
    "group-attachments-exclusive-admin": lambda env: Breakage(extra=_group_attachments_exclusive),
    # resource-based policies
    "resource-policy-public": lambda env: Breakage(
        extra=resource_policy(
            lambda arn: allow("dynamodb:GetItem", "dynamodb:Query", resource=arn, Principal="*")
        )
    ),
    "resource-policy-other-account-wildcard": lambda env: Breakage(
        extra=resource_policy(
            lambda arn: allow(
                "dynamodb:*", resource=arn, Principal={"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}
            )
        )
    ),
    "resource-policy-same-account-scoped": lambda env: Breakage(
        extra=resource_policy(
            lambda arn: allow(
                "dynamodb:GetItem",
                "dynamodb:Query",
                resource=arn,
                Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/{naming.role_name(EVENTS, 'read', env)}"},
            )
        )
    ),
    "resource-policy-org-limited": lambda env: Breakage(
        extra=resource_policy(
            lambda arn: allow(
                "dynamodb:GetItem",
                resource=arn,
                Principal="*",
                Condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            )
        )
    ),
    "native-table-resource-policy-public": lambda env: Breakage(
        extra=native_table(
            resource_policy=lambda arn: _table_policy(
                allow("dynamodb:Scan", resource=arn, Principal={"AWS": "*"})
            )
        )
    ),
    "native-table-stream-policy-other-account-wildcard": lambda env: Breakage(
        extra=native_table(
            stream_specification=lambda arn: {
                "stream_view_type": "NEW_IMAGE",
                "resource_policy": _table_policy(
                    allow("dynamodb:*", resource=f"{arn}/stream/*", Principal={"AWS": OTHER_ACCOUNT})
                ),
            }
        )
    ),
    "native-table-scoped-resource-policy": lambda env: Breakage(
        extra=native_table(
            resource_policy=lambda arn: _table_policy(
                allow("dynamodb:GetItem", resource=arn, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
            )
        )
    ),
    # IAM Identity Center
    "sso-inline-policy-wildcard": lambda env: Breakage(extra=_sso_inline_wildcard),
    "sso-managed-full-access": lambda env: Breakage(extra=_sso_managed_full_access),
    "native-permission-set-inline-wildcard": lambda env: Breakage(extra=_native_permission_set),
    # aws-native IAM
    "native-role-inline-wildcard": lambda env: Breakage(
        extra=_native_role(
            policies=lambda env: [
                {
                    "policy_name": "events-all",
                    "policy_document": {
                        "Version": "2012-10-17",
                        "Statement": [allow("dynamodb:*", resource=table_arn(EVENTS, env))],
                    },
                }
            ]
        )
    ),
    "native-role-managed-full-access": lambda env: Breakage(
        extra=_native_role(managed_policy_arns=[FULL_ACCESS])
    ),
    "native-role-policy-not-action": lambda env: Breakage(
        extra=_native_document(
            "RolePolicy",
            lambda arn: {"Effect": "Allow", "NotAction": "dynamodb:DeleteTable", "Resource": arn},
            policy_name="events-not-delete",
            role_name=lambda env: f"events-native-role-{env}",
        )
    ),
    "native-user-policy-admin": lambda env: Breakage(
        extra=_native_document(
            "UserPolicy",
            lambda arn: allow("dynamodb:DeleteTable", resource=arn),
            policy_name="events-admin",
            user_name=lambda env: f"events-operator-{env}",
        )
    ),
    "native-group-policy-every-table": lambda env: Breakage(
        extra=_native_document(
            "GroupPolicy",
            lambda arn: allow("dynamodb:GetItem", resource="arn:aws:dynamodb:*:*:table*"),
            policy_name="events-read-all",
            group_name=lambda env: f"events-operators-{env}",
        )
    ),
    "native-managed-policy-write-in-read-role": lambda env: Breakage(
        extra=_native_document(
            "ManagedPolicy",
            lambda arn: allow("dynamodb:PutItem", resource=arn),
            roles=lambda env: [naming.role_name(EVENTS, "read", env)],
        )
    ),
}


def build_variant(variant_id: str, env: str) -> str:
    """One copy of the stack, broken as BREAKAGES[variant_id] says; returns its environment suffix
    (`env`, unless the breakage sets `env` in its stack config)."""
    breakage = BREAKAGES[variant_id](env)
    applied: set[tuple[str, str]] = set()

    def transformation(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        key = (args.type_, args.name)
        fn = breakage.changes.get(key)
        if fn is None:
            return None
        applied.add(key)
        return pulumi.ResourceTransformationResult(fn(dict(args.props)), args.opts)

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        fn = breakage.engine_changes.get((args.type_, args.name))
        return None if fn is None else pulumi.ResourceTransformResult(fn(dict(args.props)), args.opts)

    stack_args = parse_stack_args({"env": env, **breakage.config}, {})
    options = pulumi.ResourceOptions(
        transformations=[transformation], transforms=[transform] if breakage.engine_changes else None
    )
    stack = DynamoDbStack(f"mut-{variant_id}", stack_args, options)
    if breakage.extra is not None:
        breakage.extra(stack, env)
    missing = sorted(set(breakage.changes) - applied)
    if missing:  # a typo in a name would otherwise leave the variant silently unbroken
        raise pulumi.RunError(f"variant {variant_id}: nothing to break among {missing}")
    return stack_args.environment
