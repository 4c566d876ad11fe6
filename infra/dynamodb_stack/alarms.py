"""CloudWatch alarms that can fire: each watches a metric DynamoDB actually publishes with the
dimensions used here (see the DynamoDB developer guide, "DynamoDB metrics and dimensions")."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from dynamodb_stack import naming
from dynamodb_stack.args import DynamoDbStackArgs
from dynamodb_stack.specs import TableSpec

NAMESPACE = "AWS/DynamoDB"


def system_errors_query(table_name: str) -> str:
    """SystemErrors exists only per TableName *and* Operation; this sums every operation's series.
    Table names are [A-Za-z0-9_.-], so quoting is safe."""
    return (
        f'SELECT SUM(SystemErrors) FROM SCHEMA("{NAMESPACE}", Operation, TableName) '
        f"WHERE TableName = '{table_name}'"
    )


def _common(args: DynamoDbStackArgs, topic_arn: pulumi.Input[str], description: str) -> dict[str, Any]:
    return {
        "alarm_description": description,
        "comparison_operator": "GreaterThanThreshold",
        "evaluation_periods": args.alarms.evaluation_periods,
        "treat_missing_data": "notBreaching",
        "alarm_actions": [topic_arn],
        "ok_actions": [topic_arn],
        "tags": args.tags.as_dict(),
    }


def _metric_alarm(
    parent: pulumi.Resource,
    name: str,
    args: DynamoDbStackArgs,
    topic_arn: pulumi.Input[str],
    description: str,
    **metric: Any,
) -> aws.cloudwatch.MetricAlarm:
    return aws.cloudwatch.MetricAlarm(
        name,
        aws.cloudwatch.MetricAlarmArgs(name=name, **_common(args, topic_arn, description), **metric),
        opts=pulumi.ResourceOptions(parent=parent),
    )


def _throttle_alarm(
    parent: pulumi.Resource,
    spec: TableSpec,
    table: aws.dynamodb.Table,
    args: DynamoDbStackArgs,
    topic_arn: pulumi.Input[str],
    metric_name: str,
    index: str | None,
) -> aws.cloudwatch.MetricAlarm:
    kind = "read-throttle" if metric_name.startswith("Read") else "write-throttle"
    dimensions: dict[str, pulumi.Input[str]] = {"TableName": table.name}
    scope = f"table {spec.key}"
    if index:
        dimensions["GlobalSecondaryIndexName"] = index
        scope = f"index {index} of table {spec.key}"
    return _metric_alarm(
        parent,
        naming.table_alarm_name(spec, kind, args.environment, index),
        args,
        topic_arn,
        f"DynamoDB {metric_name} on {scope}: requests throttled.",
        namespace=NAMESPACE,
        metric_name=metric_name,
        dimensions=dimensions,
        statistic="Sum",
        period=args.alarms.period_seconds,
        threshold=args.alarms.throttle_threshold,
    )


def create_table_alarms(
    parent: pulumi.Resource,
    spec: TableSpec,
    table: aws.dynamodb.Table,
    args: DynamoDbStackArgs,
    topic_arn: pulumi.Input[str],
) -> list[aws.cloudwatch.MetricAlarm]:
    alarms = [
        _metric_alarm(
            parent,
            naming.table_alarm_name(spec, "system-errors", args.environment),
            args,
            topic_arn,
            f"DynamoDB SystemErrors (HTTP 500) on table {spec.key}, summed over all operations.",
            threshold=args.alarms.system_errors_threshold,
            metric_queries=[
                aws.cloudwatch.MetricAlarmMetricQueryArgs(
                    id="system_errors",
                    expression=table.name.apply(system_errors_query),
                    period=args.alarms.period_seconds,
                    label="SystemErrors, all operations",
                    return_data=True,
                )
            ],
        )
    ]
    for index in (None, *(gsi.name for gsi in spec.global_secondary_indexes)):
        for metric_name in ("ReadThrottleEvents", "WriteThrottleEvents"):
            alarms.append(_throttle_alarm(parent, spec, table, args, topic_arn, metric_name, index))
    return alarms


def create_account_user_errors_alarm(
    parent: pulumi.Resource, args: DynamoDbStackArgs, topic_arn: pulumi.Input[str]
) -> aws.cloudwatch.MetricAlarm:
    # UserErrors has no dimensions: a TableName dimension would select a metric that never exists.
    return _metric_alarm(
        parent,
        naming.account_alarm_name("user-errors", args.environment),
        args,
        topic_arn,
        "DynamoDB UserErrors (HTTP 400) for the whole AWS account and region, not only this stack's "
        "tables: AWS publishes this metric per account and region, without a table dimension.",
        namespace=NAMESPACE,
        metric_name="UserErrors",
        statistic="Sum",
        period=args.alarms.period_seconds,
        threshold=args.alarms.user_errors_threshold,
    )
