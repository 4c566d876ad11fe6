"""dynamodb-alarm-actions: DynamoDB alarms notify someone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource, Violation
from dynamodb_guardrails.rules import alarm_actions
from tests.policies.strategies import junk_trees
from tests.policies.strategies_iam import alarm_props
from tests.policies.strategies_schema import junk_configs, junk_failures, junk_resources, secret_free

CONFIG = defaults(alarm_actions.META.config_schema)
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
NO_ACTIONS = (
    "Alarm 'events-errors' watches DynamoDB but has no alarmActions, so it notifies nobody. "
    "Set alarmActions to an SNS topic ARN (`alarm_actions=[topic.arn]`)."
)
DISABLED = (
    "Alarm 'events-errors' watches DynamoDB but has actionsEnabled set to false, so it notifies nobody. "
    "Remove actionsEnabled (or set it to true) and set alarmActions to an SNS topic ARN."
)
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


@pytest.mark.parametrize("actions", [None, [], [""], ["  "], [None], [7], "", {"arn": TOPIC}])
def test_dynamodb_alarm_without_actions_is_reported(actions: Any) -> None:
    [violation] = alarm_actions.check(dynamodb_alarm(alarmActions=actions), CONFIG)
    assert violation.message == NO_ACTIONS


@pytest.mark.parametrize("actions", [TOPIC, [TOPIC], ["", TOPIC], [None, UNKNOWN]])
def test_one_usable_action_is_enough(actions: Any) -> None:
    assert alarm_actions.check(dynamodb_alarm(alarmActions=actions), CONFIG) == []


@pytest.mark.parametrize("enabled", [False, "false", " FALSE "])
def test_disabled_actions_notify_nobody(enabled: Any) -> None:
    [violation] = alarm_actions.check(dynamodb_alarm(alarmActions=[TOPIC], actionsEnabled=enabled), CONFIG)
    assert violation.message == DISABLED


@pytest.mark.parametrize("enabled", [True, "true", None, UNKNOWN, "junk"])
def test_enabled_or_unclear_actions_enabled_is_judged_by_the_actions(enabled: Any) -> None:
    assert alarm_actions.check(dynamodb_alarm(alarmActions=[TOPIC], actionsEnabled=enabled), CONFIG) == []
    [violation] = alarm_actions.check(dynamodb_alarm(actionsEnabled=enabled), CONFIG)
    assert violation.message == NO_ACTIONS


def test_metric_query_and_insights_alarms_are_dynamodb_alarms() -> None:
    math = alarm(
        metricQueries=[{"id": "m", "metric": {"namespace": "AWS/DynamoDB", "metricName": "SystemErrors"}}]
    )
    query = alarm(metricQueries=[{"id": "q", "expression": INSIGHTS}])
    assert alarm_actions.check(math, CONFIG) == alarm_actions.check(query, CONFIG) == [Violation(NO_ACTIONS)]


def test_unknown_actions_during_preview_are_not_violations() -> None:
    assert alarm_actions.check(dynamodb_alarm(alarmActions=UNKNOWN), CONFIG) == []
    assert alarm_actions.check(dynamodb_alarm(alarmActions=[UNKNOWN]), CONFIG) == []


def test_other_namespaces_and_unknown_namespaces_are_not_judged() -> None:
    assert alarm_actions.check(alarm(namespace="AWS/Lambda", metricName="Errors"), CONFIG) == []
    assert alarm_actions.check(alarm(namespace=UNKNOWN, metricName="Errors"), CONFIG) == []


def test_the_default_level_is_advisory_and_exemptions_apply() -> None:
    assert alarm_actions.META.enforcement_level == "advisory"
    assert alarm_actions.check(dynamodb_alarm(), {**CONFIG, "exemptResources": ["events-errors"]}) == []
    assert alarm_actions.check(dynamodb_alarm(), {**CONFIG, "exemptResources": [alarm().urn]}) == []
    assert alarm_actions.check(dynamodb_alarm(), {**CONFIG, "exemptResources": ["other"]}) != []


@pytest.mark.parametrize("metric_name", [["ReadThrottleEvents"], {"a": 1}, 7, None])
def test_a_metric_name_that_is_not_text_does_not_stop_the_judgement(metric_name: Any) -> None:
    junk = alarm(namespace="AWS/DynamoDB", metricName=metric_name, dimensions={"TableName": "e"})
    assert alarm_actions.check(junk, CONFIG) == [Violation(NO_ACTIONS)]


def test_other_resource_types_are_ignored() -> None:
    topic = Resource(type="aws:sns/topic:Topic", name="t", urn="u", props={"namespace": "AWS/DynamoDB"})
    assert alarm_actions.check(topic, CONFIG) == []


@given(alarm_props())
def test_an_alarm_with_a_known_topic_never_violates(props: dict[str, Any]) -> None:
    props = {**props, "alarmActions": [TOPIC]}
    assert alarm_actions.check(alarm(**props), CONFIG) == []


@given(junk_trees)
def test_never_raises_on_junk(props: Any) -> None:
    alarm_actions.check(alarm(**props) if isinstance(props, dict) else alarm(), CONFIG)


@given(junk_resources(alarm_actions, name="events-errors"), junk_configs(alarm_actions))
def test_schema_junk_never_raises_and_says_one_of_two_things(
    resource: Resource, config: dict[str, Any]
) -> None:
    violations = alarm_actions.check(resource, config)
    assert secret_free([v.message for v in violations])
    assert {v.message for v in violations} <= {NO_ACTIONS, DISABLED}


def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        return [v.message for v in alarm_actions.check(resource, config)]

    assert junk_failures(alarm_actions, judge) == []


def test_a_template_alarm_gets_the_fix_in_its_own_spelling_without_a_python_snippet() -> None:
    from tests.policies.roads import cfn_alarm, cfn_table, stack, template

    silent = stack(
        template(Orders=cfn_table(), Quiet=cfn_alarm("ReadThrottleEvents", "orders", AlarmActions=[]))
    )
    [violation] = alarm_actions.check(silent, CONFIG)
    # A template takes CloudFormation, not Python: no `alarm_actions=[...]` snippet there.
    assert violation.message == (
        "Alarm 'Quiet' (AWS::CloudWatch::Alarm) in the template of CloudFormation stack 'cfn' watches "
        "DynamoDB but has no AlarmActions, so it notifies nobody. Set AlarmActions to an SNS topic ARN."
    )
