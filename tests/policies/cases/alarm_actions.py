"""dynamodb-alarm-actions: DynamoDB alarms must notify someone."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import alarm_actions
from tests.policies.kit import alarm, bad, cfn_stack, good, insights_query, native_alarm, topic_arn

RULE = alarm_actions.RULE

THROTTLE = {"namespace": "AWS/DynamoDB", "metricName": "ReadThrottleEvents", "dimensions": {"TableName": "e"}}

CASES = (
    good("alarm with an SNS action", alarm("events-throttle", **THROTTLE, alarmActions=[topic_arn()])),
    good("actions unknown during preview", alarm("events-throttle", **THROTTLE, alarmActions=UNKNOWN)),
    good(
        "alarm on another namespace",
        alarm("cpu", namespace="AWS/EC2", metricName="CPUUtilization", alarmActions=[]),
    ),
    good(
        "exempt alarm",
        alarm("events-throttle", **THROTTLE, alarmActions=[]),
        exemptResources=["events-throttle"],
    ),
    bad("no actions", alarm("events-throttle", **THROTTLE)),
    bad("blank action", alarm("events-throttle", **THROTTLE, alarmActions=[" "])),
    bad(
        "actions disabled",
        alarm("events-throttle", **THROTTLE, alarmActions=[topic_arn()], actionsEnabled=False),
    ),
    bad(
        "Metrics Insights alarm without actions",
        alarm(
            "events-errors", metricQueries=[{"id": "q", "expression": insights_query("SystemErrors", "e")}]
        ),
    ),
    # the other roads
    good(
        "aws-native alarm with an action",
        native_alarm("n", namespace="AWS/DynamoDB", metricName="UserErrors", alarmActions=[topic_arn()]),
    ),
    bad(
        "aws-native alarm without actions",
        native_alarm("n", namespace="AWS/DynamoDB", metricName="UserErrors"),
    ),
    bad(
        "template alarm without AlarmActions",
        cfn_stack(
            "cfn",
            {
                "Resources": {
                    "Quiet": {
                        "Type": "AWS::CloudWatch::Alarm",
                        "Properties": {"Namespace": "AWS/DynamoDB", "MetricName": "UserErrors"},
                    }
                }
            },
        ),
    ),
)
