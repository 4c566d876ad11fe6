"""dynamodb-alarm-actions: DynamoDB alarms notify someone."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import alarm_actions
from tests.policies.strategies import junk_trees
from tests.policies.strategies_iam import alarm_props

CONFIG = defaults(alarm_actions.META.config_schema)
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
INSIGHTS = (
    "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = 'events'"
)


def alarm(**props: Any) -> Resource:
    return Resource(
        type=ALARM, name="events-errors", urn=f"urn:pulumi:dev::p::{ALARM}::events-errors", props=props
    )


def dynamodb_alarm(**props: Any) -> Resource:
    return alarm(
        namespace="AWS/DynamoDB", metricName="ReadThrottleEvents", dimensions={"TableName": "e"}, **props
    )


def test_alarm_with_an_action_is_compliant() -> None:
    assert alarm_actions.check(dynamodb_alarm(alarmActions=[TOPIC]), CONFIG) == []


@pytest.mark.parametrize("actions", [None, [], [""], [None]])
def test_dynamodb_alarm_without_actions_is_reported(actions: Any) -> None:
    [violation] = alarm_actions.check(dynamodb_alarm(alarmActions=actions), CONFIG)
    assert "events-errors" in violation.message and "alarmActions" in violation.message


def test_disabled_actions_notify_nobody() -> None:
    [violation] = alarm_actions.check(dynamodb_alarm(alarmActions=[TOPIC], actionsEnabled=False), CONFIG)
    assert "actionsEnabled" in violation.message


def test_metric_query_and_insights_alarms_are_dynamodb_alarms() -> None:
    math = alarm(
        metricQueries=[{"id": "m", "metric": {"namespace": "AWS/DynamoDB", "metricName": "SystemErrors"}}]
    )
    query = alarm(metricQueries=[{"id": "q", "expression": INSIGHTS}])
    assert len(alarm_actions.check(math, CONFIG)) == 1
    assert len(alarm_actions.check(query, CONFIG)) == 1


def test_unknown_actions_during_preview_are_not_violations() -> None:
    assert alarm_actions.check(dynamodb_alarm(alarmActions=UNKNOWN), CONFIG) == []
    assert alarm_actions.check(dynamodb_alarm(alarmActions=[UNKNOWN]), CONFIG) == []


def test_other_namespaces_and_unknown_namespaces_are_not_judged() -> None:
    assert alarm_actions.check(alarm(namespace="AWS/Lambda", metricName="Errors"), CONFIG) == []
    assert alarm_actions.check(alarm(namespace=UNKNOWN, metricName="Errors"), CONFIG) == []


def test_the_default_level_is_advisory_and_exemptions_apply() -> None:
    assert alarm_actions.META.enforcement_level == "advisory"
    assert alarm_actions.check(dynamodb_alarm(), {**CONFIG, "exemptResources": ["events-errors"]}) == []


@given(alarm_props())
def test_an_alarm_with_a_known_topic_never_violates(props: dict[str, Any]) -> None:
    props = {**props, "alarmActions": [TOPIC]}
    assert alarm_actions.check(alarm(**props), CONFIG) == []


@given(junk_trees)
def test_never_raises_on_junk(props: Any) -> None:
    alarm_actions.check(alarm(**props) if isinstance(props, dict) else alarm(), CONFIG)
