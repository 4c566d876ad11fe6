"""dynamodb-table-alarms: tables without working alarms, and alarms that can never fire."""

from dynamodb_guardrails.rules import table_alarms
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS, SESSIONS, USERS
from tests.mutations.breakage import (
    ALARM,
    Breakage,
    alarm,
    change,
    setting,
    table_without_alarms,
    unchanged,
)
from tests.mutations.roads import (
    NATIVE,
    NATIVE_ALARMS,
    extra,
    native_table,
    throttle_alarm_resources,
    throttle_alarms,
)
from tests.mutations.variant import PackConfig, Res, Variant, table, table_alarm, tables

RULE = table_alarms.RULE

VARIANTS = (
    Variant(
        "table-without-alarms",
        "an extra compliant table `orders` with no alarms",
        lambda env: Breakage(extra=table_without_alarms),
        RULE,
        tables("orders"),
        update_too=True,
    ),
    Variant(
        "throttle-alarms-on-other-metric",
        "users throttle alarms watch ConsumedRead/WriteCapacityUnits instead",
        lambda env: Breakage(
            changes={
                (ALARM, naming.table_alarm_name(USERS, "read-throttle", env)): setting(
                    metric_name="ConsumedReadCapacityUnits"
                ),
                (ALARM, naming.table_alarm_name(USERS, "write-throttle", env)): setting(
                    metric_name="ConsumedWriteCapacityUnits"
                ),
            }
        ),
        RULE,
        tables("users"),
    ),
    Variant(
        "throttle-alarms-on-other-table",
        "users throttle alarms carry TableName of the events table",
        lambda env: Breakage(
            changes={
                (ALARM, naming.table_alarm_name(USERS, what, env)): setting(
                    dimensions={"TableName": naming.physical_table_name(EVENTS, env)}
                )
                for what in ("read-throttle", "write-throttle")
            }
        ),
        RULE,
        tables("users"),
    ),
    Variant(
        "system-errors-without-operation",
        "events SystemErrors alarm on TableName only (no Operation: dead)",
        lambda env: alarm(
            EVENTS,
            "system-errors",
            env,
            setting(
                metric_queries=None,
                namespace="AWS/DynamoDB",
                metric_name="SystemErrors",
                dimensions={"TableName": naming.physical_table_name(EVENTS, env)},
                statistic="Sum",
                period=60,
            ),
        ),
        RULE,
        (table_alarm("events", "system-errors"), table("events")),
        update_too=True,
    ),
    Variant(
        "system-errors-insights-by-table-only",
        'sessions SystemErrors Insights query over SCHEMA("AWS/DynamoDB", TableName) (dead)',
        lambda env: alarm(
            SESSIONS,
            "system-errors",
            env,
            setting(
                metric_queries=[
                    {
                        "id": "system_errors",
                        "expression": 'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", TableName) '
                        f"WHERE TableName = '{naming.physical_table_name(SESSIONS, env)}'",
                        "period": 60,
                        "return_data": True,
                    }
                ]
            ),
        ),
        RULE,
        (table_alarm("sessions", "system-errors"), table("sessions")),
    ),
    Variant(
        "user-errors-with-table-name",
        "account UserErrors alarm with a TableName dimension (dead)",
        lambda env: change(
            ALARM,
            naming.account_alarm_name("user-errors", env),
            setting(dimensions={"TableName": naming.physical_table_name(EVENTS, env)}),
        ),
        RULE,
        (Res(ALARM, "dynamodb-account-user-errors-{env}"),),
    ),
    Variant(
        "conditional-check-alarm-required",
        "unchanged stack under requiredMetrics + ConditionalCheckFailedRequests",
        unchanged,
        RULE,
        tables("events", "sessions", "users"),
        pack_config=PackConfig(
            "conditional-check-alarms",
            {
                RULE.meta.name: {
                    "requiredMetrics": [
                        *table_alarms.DEFAULT_REQUIRED_METRICS,
                        "ConditionalCheckFailedRequests",
                    ]
                }
            },
        ),
    ),
    Variant(
        "native-table-without-alarms",
        "aws-native table without alarms",
        extra(native_table(alarms=False)),
        RULE,
        (NATIVE,),
    ),
    Variant(
        "native-alarms-in-another-region",
        "aws-native table's alarms made by an aws-native provider in eu-west-1 (table in us-east-1): dead",
        extra(native_table(alarm_region="eu-west-1")),
        RULE,
        (NATIVE, *NATIVE_ALARMS),
        update_too=True,
    ),
    Variant(
        "alarm-region-argument",
        "events throttle alarms moved to eu-west-1 by pulumi-aws 7's per-resource `region`: dead",
        throttle_alarms(EVENTS, setting(region="eu-west-1")),
        RULE,
        (*throttle_alarm_resources("events"), table("events")),
        update_too=True,
    ),
    Variant(
        "alarm-namespace-wrong-case",
        "users throttle alarms on namespace aws/dynamodb (names are case-sensitive): dead",
        throttle_alarms(USERS, setting(namespace="aws/dynamodb")),
        RULE,
        (*throttle_alarm_resources("users"), table("users")),
    ),
    Variant(
        "alarm-threshold-never-reached",
        "users throttle alarms: LessThanThreshold 0, which a count never is: dead",
        throttle_alarms(USERS, setting(comparison_operator="LessThanThreshold", threshold=0)),
        RULE,
        (*throttle_alarm_resources("users"), table("users")),
    ),
)
