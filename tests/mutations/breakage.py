"""How a variant breaks the real stack: one change to one resource's inputs (a Pulumi
`transformations` option on the component, which its children inherit), stack config, or one
extra resource registered next to the stack. Each variant (tests/mutations/variants/) declares its
breakage with these helpers next to what it must be caught by; the variants program
(programs/variants/__main__.py) builds one broken copy of the stack per variant.

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

from dynamodb_guardrails.resource_types import (
    DYNAMODB_TABLE,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    METRIC_ALARM,
    SNS_TOPIC,
)
from dynamodb_stack import naming
from dynamodb_stack.component import DynamoDbStack
from dynamodb_stack.config import parse_stack_args
from dynamodb_stack.specs import Attribute, TableSpec
from dynamodb_stack.tables import create_table

TABLE, ROLE, ROLE_POLICY, ALARM, TOPIC = DYNAMODB_TABLE, IAM_ROLE, IAM_ROLE_POLICY, METRIC_ALARM, SNS_TOPIC
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


def write_added_after_deploy(props: Props) -> Props:
    """The read policy plus PutItem, built from the policy Output: unknown in a preview (the table
    ARN is), known after an update."""
    policy = pulumi.Output.from_input(props["policy"]).apply(
        lambda doc: with_actions(doc, "dynamodb:PutItem")
    )
    return {**props, "policy": policy}


def unchanged(env: str) -> Breakage:
    """The stack as it is: controls, and variants that only change the pack config."""
    return Breakage()


def build_variant(variant_id: str, breaks: Callable[[str], Breakage], env: str) -> str:
    """One copy of the stack, component `mut-<variant_id>`, broken as `breaks(env)` says; returns its
    environment suffix (`env`, unless the breakage sets `env` in its stack config)."""
    breakage = breaks(env)
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
