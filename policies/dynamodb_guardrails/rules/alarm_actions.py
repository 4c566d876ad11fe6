"""dynamodb-alarm-actions: a CloudWatch alarm on DynamoDB metrics notifies someone.

## What it checks
Every `aws:cloudwatch/metricAlarm:MetricAlarm` that watches a DynamoDB metric (namespace
`AWS/DynamoDB`, directly or in a metric query) has at least one non-blank `alarmActions` entry,
and does not set `actionsEnabled` to false.

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
from typing import Any

from ..alarm_metrics import is_dynamodb_alarm
from ..exemptions import exemption_schema, is_exempt
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..resource_types import METRIC_ALARM
from ..rule import ResourceRule
from ..snippets import python_snippet
from ..values import as_bool, as_list

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
    resource_types=frozenset({METRIC_ALARM}),
    tags=("observability", "dynamodb"),
)


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.type != METRIC_ALARM or is_exempt(resource, config):
        return []
    props = resource.props
    if is_dynamodb_alarm(props) is not True:
        return []
    if as_bool(props.get("actionsEnabled")) is False:
        return [
            Violation(
                f"Alarm '{resource.name}' watches DynamoDB but has actionsEnabled set to false, so it "
                "notifies nobody. Remove actionsEnabled (or set it to true) and set alarmActions to an SNS "
                "topic ARN."
            )
        ]
    actions = props.get("alarmActions")
    if actions is UNKNOWN:
        return []  # computed from another resource: judged when known
    if any(a is UNKNOWN or (isinstance(a, str) and a.strip()) for a in as_list(actions)):
        return []
    return [
        Violation(
            f"Alarm '{resource.name}' watches DynamoDB but has no alarmActions, so it notifies nobody. "
            f"Set alarmActions to an SNS topic ARN ({_SNIPPET})."
        )
    ]


RULE = ResourceRule(meta=META, check=check, doc=__doc__)
