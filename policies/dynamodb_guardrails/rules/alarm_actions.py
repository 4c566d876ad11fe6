"""dynamodb-alarm-actions: a CloudWatch alarm on DynamoDB metrics notifies someone.

## What it checks
Every CloudWatch alarm that watches a DynamoDB metric (namespace `AWS/DynamoDB`, directly or in
a metric query) has at least one non-blank `alarmActions` entry, and does not set `actionsEnabled`
to false: an `aws:cloudwatch/metricAlarm:MetricAlarm`, an `aws-native:cloudwatch:Alarm`, or an
`AWS::CloudWatch::Alarm` in an embedded CloudFormation template (reported on the stack).

It is advisory by default: an alarm shown only on a dashboard can be intended. It is a policy of
its own, apart from dynamodb-table-alarms, because a policy has one enforcement level; set it to
`mandatory` in the pack config to require actions.

## Why
An alarm without actions changes state and tells nobody. With `treatMissingData: notBreaching`
it may also sit in OK forever, so nothing shows that the table is not watched.

## Example
```python
import pulumi_aws as aws

aws.cloudwatch.MetricAlarm(
    "events-read-throttle",
    namespace="AWS/DynamoDB",
    metric_name="ReadThrottleEvents",
    dimensions={"TableName": "events"},
    statistic="Sum",
    period=60,
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
)
```

## Use instead
```python
import pulumi_aws as aws

alerts = aws.sns.Topic("alerts")
aws.cloudwatch.MetricAlarm(
    "events-read-throttle",
    namespace="AWS/DynamoDB",
    metric_name="ReadThrottleEvents",
    dimensions={"TableName": "events"},
    statistic="Sum",
    period=60,
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
    alarm_actions=[alerts.arn],
    ok_actions=[alerts.arn],
)
```

## During preview
`alarmActions` built from a topic created in the same stack (`[alerts.arn]`) is unknown in a first
preview and counts as an action; the update judges the known value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..exemptions import exemption_schema, is_exempt_view
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..readers import ALARM_TYPES, alarm_views
from ..rule import ResourceRule
from ..snippets import python_snippet
from ..values import as_list

if TYPE_CHECKING:
    from ..views.alarms import AlarmView

_SNIPPET = python_snippet("alarm_actions=[topic.arn]")

META = PolicyMeta(
    name="dynamodb-alarm-actions",
    description="CloudWatch alarms on DynamoDB metrics must have alarm actions (e.g. an SNS topic).",
    severity="low",
    enforcement_level="advisory",
    remediation_steps=(
        f"Set alarmActions on the alarm, usually to an SNS topic ARN ({_SNIPPET}), and leave "
        "actionsEnabled unset or true. To exempt an alarm, add it with a reason to `exemptions`."
    ),
    url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
    config_schema={
        **exemption_schema("alarms allowed to have no actions"),
    },
    resource_types=ALARM_TYPES,
    tags=("observability", "dynamodb"),
)


def _alarm_violation(alarm: AlarmView) -> Violation | None:
    if alarm.reads_dynamodb() is not True:
        return None
    if alarm.actions_enabled() is False:
        return Violation(
            f"{alarm.label} watches DynamoDB but has {alarm.enabled_property} set to false, so it "
            f"notifies nobody. Remove {alarm.enabled_property} (or set it to true) and set "
            f"{alarm.actions_property} to an SNS topic ARN."
        )
    actions = alarm.actions()
    if actions is UNKNOWN:
        return None  # computed from another resource: judged when known
    if any(a is UNKNOWN or (isinstance(a, str) and a.strip()) for a in as_list(actions)):
        return None
    # A Python snippet for the Python SDKs' alarms; a template takes CloudFormation, not Python.
    snippet = f" ({_SNIPPET})" if alarm.actions_property == "alarmActions" else ""
    return Violation(
        f"{alarm.label} watches DynamoDB but has no {alarm.actions_property}, so it notifies nobody. "
        f"Set {alarm.actions_property} to an SNS topic ARN{snippet}."
    )


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    found = []
    for alarm in alarm_views(resource):
        if not is_exempt_view(alarm.exempt_keys, config) and (violation := _alarm_violation(alarm)):
            found.append(violation)
    return found


RULE = ResourceRule(meta=META, check=check, doc=__doc__)
