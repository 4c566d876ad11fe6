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
from typing import Any

import pulumi
import pulumi_aws as aws
import roads

from dynamodb_stack import naming
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


# --- the variants ------------------------------------------------------------------------------


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
    # --- the other roads: aws-native resources and CloudFormation templates (roads.py)
    "roads-clean": lambda env: Breakage(
        extra=both(
            roads.native_table(), roads.native_global_table(), roads.cfn_stack(), roads.cfn_stack(yaml=True)
        )
    ),
    "native-billing-absent": lambda env: Breakage(extra=roads.native_table(billing_mode=None)),
    "native-sse-absent": lambda env: Breakage(extra=roads.native_table(sse=None)),
    "native-tag-missing": lambda env: Breakage(extra=roads.native_table(tags={"Team": None})),
    "native-table-without-alarms": lambda env: Breakage(extra=roads.native_table(alarms=False)),
    "native-global-table-provisioned": lambda env: Breakage(
        extra=roads.native_global_table(billing_mode="PROVISIONED")
    ),
    "native-alarms-in-another-region": lambda env: Breakage(
        extra=roads.native_table(alarm_region="eu-west-1")
    ),
    "native-alarms-without-actions": lambda env: Breakage(extra=roads.native_table(alarm_actions=[])),
    "alarm-region-argument": lambda env: throttle_alarms(EVENTS, env, setting(region="eu-west-1")),
    "alarm-namespace-wrong-case": lambda env: throttle_alarms(USERS, env, setting(namespace="aws/dynamodb")),
    "alarm-threshold-never-reached": lambda env: throttle_alarms(
        USERS, env, setting(comparison_operator="LessThanThreshold", threshold=0)
    ),
    "cfn-table-provisioned": lambda env: Breakage(
        extra=roads.cfn_stack(yaml=True, BillingMode="PROVISIONED")
    ),
    "cfn-table-without-sse": lambda env: Breakage(extra=roads.cfn_stack(SSESpecification=None)),
    "cfn-table-tag-blank": lambda env: Breakage(extra=roads.cfn_stack(Tags=[{"Key": "Team", "Value": " "}])),
    "cfn-template-url": lambda env: Breakage(extra=roads.cfn_stack(template_url=True)),
    "cfn-serverless-transform": lambda env: Breakage(extra=roads.cfn_stack(transform=True)),
    "cfn-unresolvable-billing": lambda env: Breakage(
        extra=roads.cfn_stack(BillingMode={"Fn::ImportValue": "billing-mode"})
    ),
}


def throttle_alarms(spec: TableSpec, env: str, fn: Change) -> Breakage:
    """The table's own read- and write-throttle alarms changed by `fn` (not its indexes')."""
    return Breakage(
        changes={
            (ALARM, naming.table_alarm_name(spec, what, env)): fn
            for what in ("read-throttle", "write-throttle")
        }
    )


def both(*extras: Callable[[DynamoDbStack, str], None]) -> Callable[[DynamoDbStack, str], None]:
    def build(stack: DynamoDbStack, env: str) -> None:
        for extra in extras:
            extra(stack, env)

    return build


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
