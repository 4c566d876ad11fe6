"""The other roads to a table or an alarm, for the mutation variants (tests/mutations/variants/):
aws-native resources (the real pulumi-aws-native SDK, run under mocks like the rest) and tables
inside an embedded CloudFormation template. Each builder adds resources next to a copy of the stack
(as children of its component); a compliant default that one argument breaks, so a variant breaks
one thing. `NATIVE`, `NATIVE_ALARMS`, `GLOBAL` and `CFN` are what the variants expect reported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as native

from dynamodb_stack import naming
from dynamodb_stack.alarms import system_errors_query
from dynamodb_stack.component import DynamoDbStack
from dynamodb_stack.specs import TableSpec
from tests.mutations.breakage import ALARM, Breakage, Change
from tests.mutations.variant import Res

NATIVE = Res("aws-native:dynamodb:Table", "orders-native-{env}")
NATIVE_ALARMS = (
    Res("aws-native:cloudwatch:Alarm", "native-orders-system-errors-{env}"),
    Res("aws-native:cloudwatch:Alarm", "native-orders-read-throttle-{env}"),
)
GLOBAL = Res("aws-native:dynamodb:GlobalTable", "orders-global-{env}")
CFN = Res("aws:cloudformation/stack:Stack", "orders-cfn-{env}")

STACK_TAGS = {"Repository": "iac-test-automations", "Team": "data-analytics", "CostCenter": "engineering"}
Extra = Callable[[DynamoDbStack, str], None]
_KEEP = object()  # "leave the compliant default"


def _tags(env: str, **changes: str | None) -> dict[str, str]:
    tags = {"Environment": env, **STACK_TAGS, **changes}
    return {k: v for k, v in tags.items() if v is not None}


def _tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in tags.items()]


def _key_schema(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult:
    # Workaround for pulumi/pulumi#17181: with pulumi 3.272 the Python SDK cannot serialise
    # aws_native.dynamodb.TableArgs' `key_schema` (typed Union[Sequence[...], Any]), whatever the
    # value. The table is registered with a placeholder string and this engine-run transform puts
    # the real key schema in, in wire form.
    schema = [{"attributeName": "orderId", "keyType": "HASH"}]
    return pulumi.ResourceTransformResult({**args.props, "keySchema": schema}, args.opts)


def _opts(stack: DynamoDbStack, **extra: Any) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=stack, **extra)


def native_alarms(
    stack: DynamoDbStack,
    table_name: pulumi.Input[str],
    env: str,
    *,
    provider: pulumi.ProviderResource | None = None,
    actions: Any = _KEEP,
    prefix: str = "native-orders",
) -> None:
    """A SystemErrors (Metrics Insights) and a read-throttle alarm on the table, aws-native."""
    topic = f"arn:aws:sns:us-east-1:123456789012:dynamodb-alarms-{env}"
    common: dict[str, Any] = {
        "comparison_operator": "GreaterThanThreshold",
        "threshold": 5,
        "evaluation_periods": 1,
        "alarm_actions": [topic] if actions is _KEEP else actions,
        "tags": _tag_list(_tags(env)),
    }
    opts = _opts(stack, provider=provider)
    native.cloudwatch.Alarm(
        f"{prefix}-system-errors-{env}",
        metrics=[
            native.cloudwatch.AlarmMetricDataQueryArgs(
                id="system_errors",
                expression=pulumi.Output.from_input(table_name).apply(system_errors_query),
                period=60,
                return_data=True,
            )
        ],
        **common,
        opts=opts,
    )
    native.cloudwatch.Alarm(
        f"{prefix}-read-throttle-{env}",
        namespace="AWS/DynamoDB",
        metric_name="ReadThrottleEvents",
        dimensions=[native.cloudwatch.AlarmDimensionArgs(name="TableName", value=table_name)],
        statistic="Sum",
        period=60,
        **common,
        opts=opts,
    )


def native_table(
    *,
    billing_mode: Any = _KEEP,
    sse: Any = _KEEP,
    tags: Mapping[str, str | None] | None = None,
    alarms: bool = True,
    alarm_region: str | None = None,
    alarm_actions: Any = _KEEP,
) -> Extra:
    """An aws-native dynamodb.Table, compliant unless an argument says otherwise, with its alarms."""

    def build(stack: DynamoDbStack, env: str) -> None:
        name = f"orders-native-{env}"
        table = native.dynamodb.Table(
            name,
            table_name=name,
            key_schema="set-by-transform",  # see _key_schema
            attribute_definitions=[
                native.dynamodb.TableAttributeDefinitionArgs(attribute_name="orderId", attribute_type="S")
            ],
            billing_mode="PAY_PER_REQUEST" if billing_mode is _KEEP else billing_mode,
            sse_specification=native.dynamodb.TableSseSpecificationArgs(sse_enabled=True)
            if sse is _KEEP
            else sse,
            tags=_tag_list(_tags(env, **(tags or {}))),
            opts=_opts(stack, transforms=[_key_schema]),
        )
        if alarms:
            provider = None
            if alarm_region is not None:
                provider = native.Provider(
                    f"native-{alarm_region}-{env}", region=alarm_region, opts=_opts(stack)
                )
            native_alarms(
                stack,
                table.table_name.apply(lambda n: n or name),
                env,
                provider=provider,
                actions=alarm_actions,
            )

    return build


def native_global_table(*, billing_mode: Any = _KEEP) -> Extra:
    """An aws-native dynamodb.GlobalTable with replicas in two regions, and its alarms."""

    def build(stack: DynamoDbStack, env: str) -> None:
        name = f"orders-global-{env}"
        native.dynamodb.GlobalTable(
            name,
            table_name=name,
            key_schema=[native.dynamodb.GlobalTableKeySchemaArgs(attribute_name="orderId", key_type="HASH")],
            attribute_definitions=[
                native.dynamodb.GlobalTableAttributeDefinitionArgs(
                    attribute_name="orderId", attribute_type="S"
                )
            ],
            billing_mode="PAY_PER_REQUEST" if billing_mode is _KEEP else billing_mode,
            sse_specification=native.dynamodb.GlobalTableSseSpecificationArgs(
                sse_enabled=True, sse_type="KMS"
            ),
            replicas=[
                native.dynamodb.GlobalTableReplicaSpecificationArgs(
                    region=region,
                    tags=[native.dynamodb.GlobalTableTagArgs(key=k, value=v) for k, v in _tags(env).items()],
                )
                for region in ("us-east-1", "eu-west-1")
            ],
            opts=_opts(stack),
        )
        native_alarms(stack, name, env, prefix="native-orders-global")

    return build


def _template(env: str, key: str = "orders-cfn", **table: Any) -> dict[str, Any]:
    """A template with a compliant table and its alarms; `table` overrides table properties."""
    name = f"{key}-{env}"
    topic = f"arn:aws:sns:${{AWS::Region}}:${{AWS::AccountId}}:dynamodb-alarms-{env}"
    alarm = {
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": 5,
        "EvaluationPeriods": 1,
        "AlarmActions": [{"Fn::Sub": topic}],
    }
    properties = {
        "TableName": {"Fn::Sub": f"{key}-${{Env}}"},
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"SSEEnabled": True},
        "AttributeDefinitions": [{"AttributeName": "orderId", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "orderId", "KeyType": "HASH"}],
        **table,
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"Env": {"Type": "String"}},
        "Resources": {
            "OrdersTable": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {k: v for k, v in properties.items() if v is not None},
            },
            "OrdersSystemErrors": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    **alarm,
                    "Metrics": [
                        {"Id": "q", "Expression": system_errors_query(name), "Period": 60, "ReturnData": True}
                    ],
                },
            },
            "OrdersReadThrottle": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    **alarm,
                    "Namespace": "AWS/DynamoDB",
                    "MetricName": "ReadThrottleEvents",
                    "Dimensions": [{"Name": "TableName", "Value": {"Ref": "OrdersTable"}}],
                    "Statistic": "Sum",
                    "Period": 60,
                },
            },
        },
    }


def _yaml(document: Any, indent: int = 0) -> str:
    """A small YAML writer with CloudFormation's short forms (`!Sub`, `!Ref`), so the variant's
    template is YAML as people write it."""
    pad = "  " * indent
    if isinstance(document, dict) and len(document) == 1 and next(iter(document)) in ("Ref", "Fn::Sub"):
        ((key, value),) = document.items()
        return f"!{key.removeprefix('Fn::')} {json.dumps(value)}"
    if isinstance(document, dict):
        lines = []
        for key, value in document.items():
            text = _yaml(value, indent + 1)
            block = isinstance(value, dict | list) and value and not text.startswith("!")
            lines.append(f"{pad}{key}:\n{text}" if block else f"{pad}{key}: {text}")
        return "\n".join(lines)
    if isinstance(document, list):
        return "\n".join(f"{pad}- " + _yaml(item, indent + 1).lstrip() for item in document)
    return json.dumps(document)


def cfn_stack(
    *,
    yaml: bool = False,
    template_url: bool = False,
    transform: bool = False,
    key: str = "orders-cfn",
    resources: Mapping[str, Any] | None = None,
    **table: Any,
) -> Extra:
    """A classic aws.cloudformation.Stack `<key>-<env>` carrying the template (JSON, or YAML with
    short forms); `transform`: a SAM template whose SimpleTable only the transform makes a table;
    `resources`: more template resources, by logical id."""

    def build(stack: DynamoDbStack, env: str) -> None:
        document = _template(env, key, **table)
        document["Resources"].update(resources or {})
        if transform:
            document["Transform"] = "AWS::Serverless-2016-10-31"
            document["Resources"]["Sessions"] = {"Type": "AWS::Serverless::SimpleTable", "Properties": {}}
        body = _yaml(document) if yaml else json.dumps(document)
        aws.cloudformation.Stack(
            f"{key}-{env}",
            name=f"{key}-{env}",
            parameters={"Env": env},
            template_body=None if template_url else body,
            template_url="https://templates.s3.amazonaws.com/orders.yaml" if template_url else None,
            tags=_tags(env),
            opts=_opts(stack),
        )

    return build


def extra(*builders: Extra) -> Callable[[str], Breakage]:
    """A variant's breakage that only adds the builders' resources next to the stack."""

    def add(stack: DynamoDbStack, env: str) -> None:
        for build in builders:
            build(stack, env)

    return lambda env: Breakage(extra=add)


def throttle_alarms(spec: TableSpec, fn: Change) -> Callable[[str], Breakage]:
    """The table's own read- and write-throttle alarms changed by `fn` (not its indexes')."""
    return lambda env: Breakage(
        changes={
            (ALARM, naming.table_alarm_name(spec, what, env)): fn
            for what in ("read-throttle", "write-throttle")
        }
    )


def throttle_alarm_resources(key: str) -> tuple[Res, ...]:
    return (
        Res(ALARM, f"dynamodb-{key}-read-throttle-{{env}}"),
        Res(ALARM, f"dynamodb-{key}-write-throttle-{{env}}"),
    )


def template_role(*statements: Mapping[str, Any]) -> dict[str, Any]:
    """An AWS::IAM::Role for Lambda with one inline policy of `statements`."""
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": "orders",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
                }
            ],
        },
    }
