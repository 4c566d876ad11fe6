"""Alarms that can fire and notify, names that never collide, tables that survive a rename or a
destroy: each test here fails on a stack that gets it wrong (docs/history.md says where they came from)."""

from __future__ import annotations

from dynamodb_stack import parse_stack_args
from tests.infra.harness import ALARM, SUBSCRIPTION, TABLE, TOPIC, StackRun, run_stack

TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:dynamodb-alarms-dev"


def alarms(run: StackRun) -> dict[str, dict]:
    return {r.name: r.inputs for r in run.of_type(ALARM)}


# a. Physical names -------------------------------------------------------------------------


def test_physical_table_names_carry_the_environment_so_stacks_never_collide() -> None:
    dev = {r.inputs["name"] for r in run_stack(parse_stack_args({"env": "dev"}, {})).of_type(TABLE)}
    prod = {r.inputs["name"] for r in run_stack(parse_stack_args({"env": "prod"}, {})).of_type(TABLE)}
    assert dev == {"events-dev", "sessions-dev", "users-dev"}
    assert not dev & prod


def test_a_name_override_adopts_an_existing_table_everywhere() -> None:
    args = parse_stack_args({"env": "prod", "physicalTableNames": '{"events": "events"}'}, {})
    run = run_stack(args)
    table = run.named("events-prod")  # the logical name stays; only the physical name changes
    assert table.inputs["name"] == "events"
    assert run.outputs["tableNames"] == ["events", "sessions-prod", "users-prod"]
    all_alarms = alarms(run)
    assert (
        "WHERE TableName = 'events'"
        in all_alarms["dynamodb-events-system-errors-prod"]["metricQueries"][0]["expression"]
    )
    assert all_alarms["dynamodb-events-read-throttle-prod"]["dimensions"] == {"TableName": "events"}
    read_policy = run.named("dynamodb-events-read-policy-prod").inputs["policy"]
    assert "table/events" in read_policy


# b. Protection ------------------------------------------------------------------------------


def test_tables_are_protected_by_default(default_run: StackRun) -> None:
    for table in default_run.of_type(TABLE):
        assert table.inputs["deletionProtectionEnabled"] is True
        assert table.protect is True


def test_one_config_key_switches_protection_off_for_throwaway_stacks() -> None:
    for table in run_stack(parse_stack_args({"protectTables": "false"}, {})).of_type(TABLE):
        assert table.inputs["deletionProtectionEnabled"] is False
        assert table.protect is False


# c. SystemErrors alarms that can fire -------------------------------------------------------


def test_system_errors_alarm_sums_every_operation_of_its_table(default_run: StackRun) -> None:
    run = default_run
    for table in ("events", "sessions", "users"):
        alarm = run.named(f"dynamodb-{table}-system-errors-dev")
        # Not metricName=SystemErrors with a TableName dimension alone: a series AWS never publishes.
        assert "metricName" not in alarm.inputs
        assert "dimensions" not in alarm.inputs
        assert alarm.inputs["metricQueries"] == [
            {
                "id": "system_errors",
                "expression": 'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
                f"WHERE TableName = '{table}-dev'",
                "period": 60,
                "label": "SystemErrors, all operations",
                "returnData": True,
            }
        ]
        assert alarm.inputs["threshold"] == 5
        assert [r.name for r in run.by_urn(alarm.property_dependencies["metricQueries"])] == [f"{table}-dev"]


def test_no_alarm_watches_a_metric_with_dimensions_aws_does_not_publish(
    default_run: StackRun,
) -> None:
    published = {
        "UserErrors": set(),
        "ReadThrottleEvents": {"TableName"},
        "WriteThrottleEvents": {"TableName"},
    }
    gsi = {"TableName", "GlobalSecondaryIndexName"}
    for name, inputs in alarms(default_run).items():
        if "metricName" in inputs:
            dimensions = set(inputs.get("dimensions", {}))
            assert dimensions == published[inputs["metricName"]] or dimensions == gsi, name


# d. One account-level UserErrors alarm ------------------------------------------------------


def test_user_errors_is_one_account_level_alarm_that_says_so(default_run: StackRun) -> None:
    user_errors = {n: a for n, a in alarms(default_run).items() if a.get("metricName") == "UserErrors"}
    assert list(user_errors) == ["dynamodb-account-user-errors-dev"]
    (alarm,) = user_errors.values()
    assert "dimensions" not in alarm
    assert "account and region" in alarm["alarmDescription"]
    assert (alarm["namespace"], alarm["statistic"], alarm["period"], alarm["threshold"]) == (
        "AWS/DynamoDB",
        "Sum",
        60,
        5,
    )


def test_the_account_level_alarm_can_be_switched_off() -> None:
    run = run_stack(parse_stack_args({"accountUserErrorsAlarm": "false"}, {}))
    assert not [a for a in alarms(run).values() if a.get("metricName") == "UserErrors"]


# e. Throttling alarms -----------------------------------------------------------------------


def test_read_and_write_throttle_alarms_per_table_and_per_index(default_run: StackRun) -> None:
    throttles = {
        (a["metricName"], tuple(sorted(a["dimensions"].items())))
        for a in alarms(default_run).values()
        if a.get("metricName", "").endswith("ThrottleEvents")
    }
    expected = {
        (metric, (("TableName", f"{table}-dev"),))
        for table in ("events", "sessions", "users")
        for metric in ("ReadThrottleEvents", "WriteThrottleEvents")
    } | {
        (metric, (("GlobalSecondaryIndexName", "userId-timestamp-index"), ("TableName", "sessions-dev")))
        for metric in ("ReadThrottleEvents", "WriteThrottleEvents")
    }
    assert throttles == expected


# f. Every alarm notifies --------------------------------------------------------------------


def test_every_alarm_notifies_the_stack_topic_on_alarm_and_ok(default_run: StackRun) -> None:
    run = default_run
    (topic,) = run.of_type(TOPIC)
    assert topic.inputs["name"] == "dynamodb-alarms-dev"
    assert not run.of_type(SUBSCRIPTION)
    all_alarms = run.of_type(ALARM)
    assert len(all_alarms) == 3 + 8 + 1  # system errors, throttles (2 per table, 2 for the GSI), user errors
    for alarm in all_alarms:
        assert alarm.inputs["alarmActions"] == [TOPIC_ARN], alarm.name
        assert alarm.inputs["okActions"] == [TOPIC_ARN], alarm.name
        assert topic.urn in alarm.property_dependencies["alarmActions"]


def test_an_email_from_config_subscribes_to_the_stack_topic() -> None:
    run = run_stack(parse_stack_args({"alarmEmail": "oncall@example.com"}, {}))
    (subscription,) = run.of_type(SUBSCRIPTION)
    assert subscription.inputs == {"topic": TOPIC_ARN, "protocol": "email", "endpoint": "oncall@example.com"}


def test_an_existing_topic_from_config_replaces_the_stack_topic() -> None:
    existing = "arn:aws:sns:eu-west-1:210987654321:platform-oncall"
    run = run_stack(parse_stack_args({"alarmTopicArn": existing}, {}))
    assert not run.of_type(TOPIC)
    for alarm in run.of_type(ALARM):
        assert alarm.inputs["alarmActions"] == [existing]
        assert alarm.inputs["okActions"] == [existing]


# g. Alarm settings from config --------------------------------------------------------------


def test_alarm_defaults_are_more_than_5_in_one_minute(default_run: StackRun) -> None:
    for name, alarm in alarms(default_run).items():
        assert alarm["threshold"] == 5, name
        assert alarm["evaluationPeriods"] == 1, name
        assert alarm["comparisonOperator"] == "GreaterThanThreshold", name
        assert alarm["treatMissingData"] == "notBreaching", name
        period = alarm["metricQueries"][0]["period"] if "metricQueries" in alarm else alarm["period"]
        assert period == 60, name
        if "metricName" in alarm:
            assert alarm["statistic"] == "Sum", name


def test_thresholds_periods_and_evaluation_periods_come_from_config() -> None:
    config = {
        "alarmPeriod": "300",
        "alarmEvaluationPeriods": "3",
        "systemErrorsThreshold": "1",
        "throttleThreshold": "0",
        "userErrorsThreshold": "50.5",
    }
    all_alarms = alarms(run_stack(parse_stack_args(config, {})))
    assert all_alarms["dynamodb-events-system-errors-dev"]["threshold"] == 1
    assert all_alarms["dynamodb-events-system-errors-dev"]["metricQueries"][0]["period"] == 300
    assert all_alarms["dynamodb-sessions-userId-timestamp-index-read-throttle-dev"]["threshold"] == 0
    assert all_alarms["dynamodb-users-write-throttle-dev"]["period"] == 300
    assert all_alarms["dynamodb-account-user-errors-dev"]["threshold"] == 50.5
    assert {a["evaluationPeriods"] for a in all_alarms.values()} == {3}
