"""dynamodb-alarm-actions: a DynamoDB alarm notifies someone.

An alarm with no `alarmActions` (or with `actionsEnabled: false`) changes state and tells nobody.
Advisory by default: an alarm shown only on a dashboard can be intended. It is its own policy,
apart from dynamodb-table-alarms, because a policy has one enforcement level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..alarm_metrics import is_dynamodb_alarm
from ..exemptions import exemption_schema, is_exempt
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..resource_types import METRIC_ALARM
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
