"""Alarms of either provider on tables of either provider, and alarms that can never fire: in
another account or region than their table (provider regions, pulumi-aws 7's per-resource
`region`, ARNs, cross-account metric queries), namespace/metric names in the wrong case, and
comparisons the metric can never meet."""

from __future__ import annotations

import json
import string
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import alarm_actions, table_alarms
from tests.policies.roads import (
    ACCOUNT,
    CLASSIC_ALARM,
    NATIVE_ALARM,
    OTHER_ACCOUNT,
    cfn_alarm,
    cfn_table,
    classic_alarm,
    classic_table,
    insights_query,
    native_alarm,
    native_global_table,
    native_insights_alarm,
    native_table,
    provider,
    resource,
    stack,
    template,
    working_native_alarms,
)
from tests.policies.strategies import junk_trees

CONFIG = defaults(table_alarms.META.config_schema)
THROTTLING = "ReadThrottleEvents or WriteThrottleEvents or ThrottledRequests"
ACTIONS = defaults(alarm_actions.META.config_schema)
EAST = provider("aws", region="us-east-1")
WEST = provider("aws", region="us-west-2")
NATIVE_EAST = provider("aws-native", region="us-east-1")
NATIVE_WEST = provider("aws-native", region="us-west-2")


def findings(resources: list[Resource]) -> dict[str, str]:
    """urn -> message of every finding."""
    return {v.urn or "": v.message for v in table_alarms.check_stack(resources, CONFIG)}


def classic_query_alarm(
    logical: str, metric: str, table: str, provider_: Resource | None, queries: list[Any], **extra: Any
) -> Resource:
    """A classic alarm whose metric is its `metricQueries` (no namespace, metricName, dimensions)."""
    return classic_alarm(
        logical,
        metric,
        table,
        provider_,
        namespace=None,
        metricName=None,
        dimensions=None,
        metricQueries=queries,
        **extra,
    )


def classic_working_alarms(table: str, provider_: Resource | None = None, **extra: Any) -> list[Resource]:
    query = insights_query("SystemErrors", table)
    return [
        classic_query_alarm(
            f"{table}-se",
            "SystemErrors",
            table,
            provider_,
            [{"id": "q", "expression": query, "returnData": True}],
            **extra,
        ),
        classic_alarm(f"{table}-rt", "ReadThrottleEvents", table, provider_, **extra),
    ]


# --- either provider covers either provider's table ----------------------------------------------


def test_native_alarms_cover_a_native_table() -> None:
    assert findings([native_table("orders"), *working_native_alarms("orders")]) == {}


def test_native_table_without_alarms_is_reported_on_the_table() -> None:
    table = native_table("orders")
    [message] = findings([table]).values()
    assert table.urn in findings([table]) and "Table 'orders-table'" in message and "'orders'" in message


def test_classic_alarms_cover_a_native_table_and_native_alarms_a_classic_one() -> None:
    assert findings([native_table("orders"), *classic_working_alarms("orders")]) == {}
    assert findings([classic_table("events"), *working_native_alarms("events")]) == {}


def test_native_metric_math_over_operations_counts() -> None:
    stats = [
        {
            "id": f"m{i}",
            "metricStat": {
                "metric": {
                    "namespace": "AWS/DynamoDB",
                    "metricName": "SystemErrors",
                    "dimensions": [
                        {"name": "TableName", "value": "orders"},
                        {"name": "Operation", "value": op},
                    ],
                },
                "period": 60,
                "stat": "Sum",
            },
            "returnData": False,
        }
        for i, op in enumerate(("GetItem", "PutItem"))
    ]
    math = native_alarm(
        "orders-se",
        "SystemErrors",
        "orders",
        namespace=None,
        metricName=None,
        dimensions=None,
        metrics=[*stats, {"id": "total", "expression": "SUM(METRICS())", "returnData": True}],
    )
    throttle = native_alarm("orders-rt", "ReadThrottleEvents", "orders")
    assert findings([native_table("orders"), math, throttle]) == {}


def test_native_dead_dimensions_are_reported_on_the_alarm() -> None:
    dead = native_alarm("orders-se", "SystemErrors", "orders")  # TableName only: never has data
    found = findings(
        [native_table("orders"), dead, native_alarm("orders-rt", "ReadThrottleEvents", "orders")]
    )
    assert "SystemErrors with TableName" in found[dead.urn] and "metricName" in found[dead.urn]
    assert any("SystemErrors" in m for urn, m in found.items() if urn != dead.urn)


def test_alarm_depending_on_a_native_table_with_unknown_name_counts() -> None:
    table = native_table("orders", tableName=UNKNOWN)
    alarms = [
        Resource(a.type, a.name, a.urn, a.props, dependencies=(table.urn,))
        for a in (
            native_alarm("se", "SystemErrors", UNKNOWN, metricName=UNKNOWN),
            native_alarm("rt", "ReadThrottleEvents", UNKNOWN),
        )
    ]
    assert findings([table, *alarms]) == {}


def test_native_global_table_gets_alarms_like_a_table() -> None:
    table = native_global_table("orders")
    assert findings([table, *working_native_alarms("orders")]) == {}
    assert table.urn in findings([table])


# --- account and region ---------------------------------------------------------------------------


def test_alarm_in_another_region_than_its_table_is_dead() -> None:
    table = classic_table("events", EAST)
    alarms = classic_working_alarms("events", WEST)
    found = findings([table, *alarms])
    assert set(found) == {table.urn, *(a.urn for a in alarms)}
    assert all("us-west-2" in found[a.urn] and "us-east-1" in found[a.urn] for a in alarms)
    assert "regional" in found[alarms[0].urn]


LOCATION_FIX = (
    "It covers no table. Create the alarm in the table's account and region (the provider's region, "
    "or the alarm's own `region` argument), or read the table's account with the metric query's "
    "accountId."
)


def _out_of_reach(where: str, place: str, there: str) -> str:
    """`place`: "'events'" for a table by name, or "the table it depends on"."""
    table = place if place.startswith("the ") else f"table {place}"
    return (
        f"{where} reads {table} from {there} (CloudWatch metrics are regional and per account). "
        f"{LOCATION_FIX}"
    )


@pytest.mark.parametrize(
    ("table_at", "alarm_at", "expected"),
    [
        (
            EAST,
            WEST,
            _out_of_reach("metricName", "'events'", "region us-west-2, but the table is in region us-east-1"),
        ),
        (
            provider("aws", region="us-east-1", allowedAccountIds=json.dumps([ACCOUNT])),
            provider("aws", region="us-west-2", allowedAccountIds=json.dumps([OTHER_ACCOUNT])),
            _out_of_reach(
                "metricName",
                "'events'",
                f"region us-west-2 and account {OTHER_ACCOUNT}, but the table is in region us-east-1 "
                f"and account {ACCOUNT}",
            ),
        ),
        (
            provider("aws", allowedAccountIds=json.dumps([ACCOUNT])),
            provider("aws", allowedAccountIds=json.dumps([OTHER_ACCOUNT])),
            _out_of_reach(
                "metricName", "'events'", f"account {OTHER_ACCOUNT}, but the table is in account {ACCOUNT}"
            ),
        ),
    ],
    ids=["region", "region and account", "account only"],
)
def test_an_out_of_reach_alarm_says_where_it_reads_and_where_the_table_is(
    table_at: Resource, alarm_at: Resource, expected: str
) -> None:
    table = classic_table("events", table_at)
    throttle = classic_alarm("events-rt", "ReadThrottleEvents", "events", alarm_at)
    assert findings([table, throttle])[throttle.urn] == f"Alarm 'events-rt' can never fire: {expected}"


def test_an_out_of_reach_alarm_names_every_region_of_a_global_table_sorted() -> None:
    table = classic_table(
        "events", EAST, replicas=[{"regionName": "eu-west-1"}, {"regionName": "ap-south-1"}]
    )
    throttle = classic_alarm("events-rt", "ReadThrottleEvents", "events", provider("aws", region="sa-east-1"))
    where = "region sa-east-1, but the table is in region ap-south-1, eu-west-1, us-east-1"
    assert findings([table, throttle])[throttle.urn] == (
        f"Alarm 'events-rt' can never fire: {_out_of_reach('metricName', repr('events'), where)}"
    )
    query_alarm = classic_working_alarms("events", WEST)[0]
    assert findings([classic_table("events", EAST), query_alarm])[query_alarm.urn] == (
        "Alarm 'events-se' can never fire: "
        + _out_of_reach(
            "metricQueries[0].expression",
            "'events'",
            "region us-west-2, but the table is in region us-east-1",
        )
    )


def test_an_alarm_dead_for_two_reasons_gets_both_fixes_once_each() -> None:
    query = insights_query("SystemErrors", "events")
    undimensioned = {"namespace": "AWS/DynamoDB", "metricName": "SystemErrors", "dimensions": {}}
    mixed = classic_query_alarm(
        "mixed",
        "SystemErrors",
        "events",
        WEST,
        [
            {"id": "q", "expression": query, "returnData": True},
            {"id": "m", "metric": {**undimensioned, "stat": "Sum", "period": 60}},
            {"id": "n", "metric": {**undimensioned, "stat": "Sum", "period": 300}},
        ],
    )
    undimensioned_reason = (
        "reads SystemErrors with no dimensions, but DynamoDB publishes SystemErrors with Operation+TableName"
    )
    assert findings([classic_table("events", EAST), mixed])[mixed.urn] == (
        "Alarm 'mixed' can never fire: metricQueries[0].expression reads table 'events' from region "
        "us-west-2, but the table is in region us-east-1 (CloudWatch metrics are regional and per "
        f"account); metricQueries[1].metric {undimensioned_reason}; metricQueries[2].metric "
        f"{undimensioned_reason}. {LOCATION_FIX[:-1]}. Use exactly the dimensions DynamoDB publishes, "
        "or a Metrics Insights query (metric query expression) that filters on TableName."
    )


FLEET_WIDE_SYSTEM_ERRORS = 'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)'


def fleet_wide_alarm(provider_: Resource) -> Resource:
    """A Metrics Insights alarm over every table of its account and region (no TableName filter)."""
    return classic_query_alarm(
        "fleet",
        "SystemErrors",
        "any",
        provider_,
        [{"id": "q", "expression": FLEET_WIDE_SYSTEM_ERRORS, "returnData": True}],
    )


def missing_groups(resources: list[Resource], table: Resource) -> str:
    message = findings(resources)[table.urn]
    return message.partition(" on: ")[2].partition(". Add an alarm")[0]


@pytest.mark.parametrize(
    ("table_at", "alarm_at"),
    [
        (EAST, WEST),
        (
            provider("aws", allowedAccountIds=json.dumps([ACCOUNT])),
            provider("aws", allowedAccountIds=json.dumps([OTHER_ACCOUNT])),
        ),
    ],
    ids=["another region", "another account, regions unknown"],
)
def test_a_fleet_wide_query_covers_only_the_tables_of_its_own_account_and_region(
    table_at: Resource, alarm_at: Resource
) -> None:
    far = classic_table("events", table_at)
    assert missing_groups([far, fleet_wide_alarm(alarm_at)], far) == f"SystemErrors; {THROTTLING}"
    near = classic_table("events", alarm_at)
    assert missing_groups([near, fleet_wide_alarm(alarm_at)], near) == THROTTLING


def test_an_alarm_with_wrong_dimensions_stays_dead_where_its_table_is() -> None:
    # In the table's own region the alarm is within reach, which does not mend its dimensions.
    wrong = classic_alarm("wrong", "SystemErrors", "events", EAST)  # SystemErrors needs Operation too
    table = classic_table("events", EAST)
    found = findings([table, wrong, classic_alarm("rt", "ReadThrottleEvents", "events", EAST)])
    assert found[wrong.urn].startswith(
        "Alarm 'wrong' can never fire: metricName reads SystemErrors with TableName, but DynamoDB "
        "publishes SystemErrors with Operation+TableName."
    )
    assert missing_groups([table, wrong], table) == f"SystemErrors; {THROTTLING}"


def test_a_dead_alarm_on_a_metric_published_two_ways_is_told_both() -> None:
    per_operation = classic_alarm(
        "rt", "ReadThrottleEvents", "events", EAST, dimensions={"TableName": "events", "Operation": "GetItem"}
    )
    found = findings([classic_table("events", EAST), per_operation])
    assert found[per_operation.urn].startswith(
        "Alarm 'rt' can never fire: metricName reads ReadThrottleEvents with Operation+TableName, but "
        "DynamoDB publishes ReadThrottleEvents with TableName or GlobalSecondaryIndexName+TableName."
    )


@pytest.mark.parametrize("table_name", ["events", UNKNOWN])
def test_an_alarm_on_the_table_it_depends_on_is_dead_out_of_its_reach(table_name: Any) -> None:
    table = replace(
        classic_table("events", EAST), props={**classic_table("events", EAST).props, "name": table_name}
    )
    topic = resource("aws:sns/topic:Topic", "alerts", WEST)  # a dependency that is no table
    alarm = replace(
        classic_alarm("rt", "ReadThrottleEvents", UNKNOWN, WEST), dependencies=(topic.urn, table.urn)
    )
    assert findings([table, topic, alarm])[alarm.urn] == "Alarm 'rt' can never fire: " + _out_of_reach(
        "metricName", "the table it depends on", "region us-west-2, but the table is in region us-east-1"
    )


def test_a_table_whose_replica_regions_are_unknown_is_placed_by_its_own_region() -> None:
    home = provider("aws", region="us-east-1", allowedAccountIds=json.dumps([ACCOUNT]))
    table = classic_table("events", home, replicas=[{"regionName": UNKNOWN}])
    elsewhere = provider("aws", region="us-east-1", allowedAccountIds=json.dumps([OTHER_ACCOUNT]))
    throttle = classic_alarm("rt", "ReadThrottleEvents", "events", elsewhere)
    assert findings([table, throttle])[throttle.urn] == "Alarm 'rt' can never fire: " + _out_of_reach(
        "metricName",
        "'events'",
        f"region us-east-1 and account {OTHER_ACCOUNT}, but the table is in region us-east-1 and "
        f"account {ACCOUNT}",
    )


def test_a_global_table_without_replicas_is_in_no_region_an_alarm_could_read() -> None:
    table = native_global_table("orders", provider("aws-native"), replicas=[])
    throttle = native_alarm("rt", "ReadThrottleEvents", "orders", NATIVE_WEST)
    assert findings([table, throttle])[throttle.urn] == "Alarm 'rt' can never fire: " + _out_of_reach(
        "metricName", "'orders'", "region us-west-2, but the table is in no known region"
    )


def test_a_table_replica_is_judged_through_its_table_not_on_its_own() -> None:
    # A TableReplica is one region of its global table: the table's alarms (in any of its regions)
    # are what the rule asks for, so the replica gets no finding of its own.
    replica = resource(
        "aws:dynamodb/tableReplica:TableReplica",
        "events-replica",
        WEST,
        globalTableArn=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/events",
    )
    table = classic_table("events", EAST)
    assert findings([table, *classic_working_alarms("events", EAST), replica]) == {}
    assert set(findings([table, replica])) == {table.urn}


def test_the_resources_own_region_overrides_the_providers() -> None:
    # pulumi-aws 7: `region` on a resource wins over its provider's region.
    table = classic_table("events", EAST)
    moved = classic_working_alarms("events", EAST, region="eu-west-1")
    assert len(findings([table, *moved])) == 3
    brought_back = classic_working_alarms("events", WEST, region="us-east-1")
    assert findings([table, *brought_back]) == {}
    unknown_region = classic_working_alarms("events", EAST, region=UNKNOWN)
    assert findings([table, *unknown_region]) == {}


def test_native_providers_regions_count_the_same() -> None:
    table = native_table("orders", NATIVE_EAST)
    assert findings([table, *working_native_alarms("orders", NATIVE_EAST)]) == {}
    assert len(findings([table, *working_native_alarms("orders", NATIVE_WEST)])) == 3
    # A provider without a region (or unknown) tells nothing: never a finding.
    assert findings([table, *working_native_alarms("orders", provider("aws-native"))]) == {}
    assert findings([table, *working_native_alarms("orders", provider("aws-native", region=UNKNOWN))]) == {}


def test_an_alarm_in_a_replica_region_of_a_global_table_watches_that_replica() -> None:
    table = native_global_table("orders", NATIVE_EAST)  # replicas in us-east-1 and eu-west-1
    in_replica_region = working_native_alarms("orders", provider("aws-native", region="eu-west-1"))
    assert findings([table, *in_replica_region]) == {}
    classic = classic_table(
        "events", EAST, replicas=[{"regionName": "eu-west-1"}, {"regionName": "ap-south-1"}]
    )
    assert findings([classic, *classic_working_alarms("events", provider("aws", region="ap-south-1"))]) == {}


@pytest.mark.parametrize(
    ("table_provider", "alarm_provider"),
    [
        (
            provider("aws", region="us-east-1", allowedAccountIds=json.dumps([ACCOUNT])),
            provider("aws", region="us-east-1", allowedAccountIds=json.dumps([OTHER_ACCOUNT])),
        ),
        (
            provider(
                "aws",
                region="us-east-1",
                assumeRoles=json.dumps([{"roleArn": f"arn:aws:iam::{ACCOUNT}:role/deploy"}]),
            ),
            provider(
                "aws",
                region="us-east-1",
                assumeRoles=json.dumps([{"roleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/deploy"}]),
            ),
        ),
        (
            provider("aws-native", region="us-east-1", roleArn=f"arn:aws:iam::{ACCOUNT}:role/deploy"),
            provider(
                "aws-native",
                region="us-east-1",
                assumeRole=json.dumps({"roleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/x"}),
            ),
        ),
    ],
    ids=["allowedAccountIds", "assumeRoles", "aws-native roleArn / assumeRole"],
)
def test_alarm_in_another_account_than_its_table_is_dead(
    table_provider: Resource, alarm_provider: Resource
) -> None:
    table = classic_table("events", table_provider)
    alarms = classic_working_alarms("events", alarm_provider)
    found = findings([table, *alarms])
    assert set(found) == {table.urn, *(a.urn for a in alarms)}
    assert f"account {OTHER_ACCOUNT}" in found[alarms[1].urn] and f"account {ACCOUNT}" in found[alarms[1].urn]


def test_an_account_known_on_one_side_only_is_no_conflict() -> None:
    # The other side's account is not stated anywhere: it may be the same one, so never a finding.
    known = provider("aws", region="us-east-1", allowedAccountIds=json.dumps([ACCOUNT]))
    unstated = provider("aws", region="us-east-1")
    assert findings([classic_table("events", known), *classic_working_alarms("events", unstated)]) == {}
    assert findings([classic_table("events", unstated), *classic_working_alarms("events", known)]) == {}


def test_arns_after_an_update_decide_account_and_region() -> None:
    table = classic_table("events", arn=f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/events")
    far = classic_working_alarms("events", arn=f"arn:aws:cloudwatch:eu-central-1:{ACCOUNT}:alarm:x")
    assert len(findings([table, *far])) == 3
    near = classic_working_alarms("events", arn=f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:x")
    assert findings([table, *near]) == {}


def test_a_cross_account_metric_query_reads_the_tables_account() -> None:
    table = classic_table(
        "events", provider("aws", region="us-east-1", allowedAccountIds=json.dumps([ACCOUNT]))
    )
    monitoring = provider("aws", region="us-east-1", allowedAccountIds=json.dumps([OTHER_ACCOUNT]))
    query = insights_query("SystemErrors", "events")
    throttle = {
        "namespace": "AWS/DynamoDB",
        "metricName": "ReadThrottleEvents",
        "dimensions": {"TableName": "events"},
        "stat": "Sum",
        "period": 60,
    }
    alarms = [
        classic_query_alarm(
            "se",
            "SystemErrors",
            "events",
            monitoring,
            [{"id": "q", "expression": query, "accountId": ACCOUNT}],
        ),
        classic_query_alarm(
            "rt",
            "ReadThrottleEvents",
            "events",
            monitoring,
            [{"id": "m", "metric": throttle, "accountId": ACCOUNT, "returnData": True}],
        ),
    ]
    assert findings([table, *alarms]) == {}


# --- exact names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "shown"),
    [
        ({"namespace": "aws/dynamodb"}, "'aws/dynamodb'"),
        ({"namespace": "AWS/Dynamodb"}, "'AWS/Dynamodb'"),
        ({"metricName": "readThrottleEvents"}, "'ReadThrottleEvents'"),
        ({"dimensions": {"tablename": "events"}}, "tablename"),
    ],
)
def test_names_in_the_wrong_case_never_have_data(props: dict[str, Any], shown: str) -> None:
    table = classic_table("events")
    se, rt = classic_working_alarms("events")
    wrong = Resource(rt.type, rt.name, rt.urn, {**rt.props, **props})
    found = findings([table, se, wrong])
    assert shown in found[wrong.urn] and "can never fire" in found[wrong.urn]
    assert "ReadThrottleEvents" in found[table.urn]  # it no longer covers the table


@pytest.mark.parametrize(
    "query",
    [
        insights_query("SystemErrors", "events").replace("AWS/DynamoDB", "aws/dynamodb"),
        insights_query("systemErrors", "events"),
        # filtered on a dimension the schema does not have (case-sensitive): matches nothing
        insights_query("SystemErrors", "events").replace("WHERE TableName", "WHERE tableName"),
    ],
)
def test_insights_identifiers_are_case_sensitive(query: str) -> None:
    table = classic_table("events")
    se, rt = classic_working_alarms("events")
    wrong = Resource(
        se.type, se.name, se.urn, {**se.props, "metricQueries": [{"id": "q", "expression": query}]}
    )
    found = findings([table, wrong, rt])
    assert "can never fire" in found[wrong.urn] and table.urn in found


# --- comparisons the metric can never meet ---------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "threshold", "dead"),
    [
        ("LessThanThreshold", 0, True),
        ("LessThanThreshold", -3, True),
        ("LessThanOrEqualToThreshold", -1, True),
        ("LessThanOrEqualToThreshold", 0, False),
        ("LessThanThreshold", 1, False),
        ("GreaterThanThreshold", 0, False),
        ("GreaterThanOrEqualToThreshold", 1e12, False),
        ("LessThanLowerOrGreaterThanUpperThreshold", -1, False),  # anomaly band: not judged
    ],
)
def test_comparisons_a_count_can_never_meet_are_dead(comparison: str, threshold: float, dead: bool) -> None:
    table = classic_table("events")
    se, rt = classic_working_alarms("events")
    judged = Resource(
        rt.type, rt.name, rt.urn, {**rt.props, "comparisonOperator": comparison, "threshold": threshold}
    )
    found = findings([table, se, judged])
    assert (judged.urn in found) == dead
    if dead:
        assert "never below 0" in found[judged.urn] and comparison in found[judged.urn]


def test_percentages_never_exceed_100_and_math_that_may_go_negative_is_not_judged() -> None:
    progress = classic_alarm(
        "progress",
        "OnlineIndexPercentageProgress",
        "events",
        dimensions={"TableName": "events", "GlobalSecondaryIndexName": "byUser"},
        statistic="Maximum",
        comparisonOperator="GreaterThanThreshold",
        threshold=100,
    )
    found = findings([classic_table("events"), *classic_working_alarms("events"), progress])
    assert "never above 100" in found[progress.urn]
    difference = native_alarm(
        "diff",
        "SystemErrors",
        "orders",
        namespace=None,
        metricName=None,
        dimensions=None,
        comparisonOperator="LessThanThreshold",
        threshold=0,
        metrics=[
            {"id": "a", "expression": insights_query("SystemErrors", "orders"), "returnData": False},
            {"id": "b", "expression": insights_query("SystemErrors", "other"), "returnData": False},
            {"id": "d", "expression": "a - b", "returnData": True},
        ],
    )
    assert difference.urn not in findings([native_table("orders"), difference])
    summed = Resource(
        difference.type,
        difference.name,
        difference.urn,
        {
            **difference.props,
            "metrics": [
                *difference.props["metrics"][:2],
                {"id": "d", "expression": "SUM([a, b]) + 1", "returnData": True},
            ],
        },
    )
    assert "never below 0" in findings([native_table("orders"), summed])[summed.urn]


def test_dead_alarm_reports_respect_config_and_exemptions() -> None:
    table = classic_table("events", EAST)
    alarms = classic_working_alarms("events", WEST)
    quiet = {**CONFIG, "reportDeadAlarms": False}
    assert {v.urn for v in table_alarms.check_stack([table, *alarms], quiet)} == {table.urn}
    exempt = {**CONFIG, "exemptResources": [alarms[0].name, "events-dev"]}
    assert {v.urn for v in table_alarms.check_stack([table, *alarms], exempt)} == {alarms[1].urn}


# --- alarm actions of native alarms ---------------------------------------------------------------


def test_native_alarm_without_actions_notifies_nobody() -> None:
    assert alarm_actions.check(native_alarm("a", "ReadThrottleEvents", "orders"), ACTIONS) == []
    [silent] = alarm_actions.check(
        native_alarm("a", "ReadThrottleEvents", "orders", alarmActions=[]), ACTIONS
    )
    assert "Alarm 'a'" in silent.message and "alarmActions" in silent.message
    [off] = alarm_actions.check(
        native_alarm("a", "ReadThrottleEvents", "orders", actionsEnabled=False), ACTIONS
    )
    assert "actionsEnabled" in off.message
    assert alarm_actions.check(
        native_insights_alarm("q", "SystemErrors", "orders", alarmActions=None), ACTIONS
    )
    assert (
        alarm_actions.check(native_alarm("a", "ReadThrottleEvents", "o", alarmActions=UNKNOWN), ACTIONS) == []
    )
    other = native_alarm("lambda", "Errors", "f", namespace="AWS/Lambda", alarmActions=[])
    assert alarm_actions.check(other, ACTIONS) == []


# --- never raises ------------------------------------------------------------------------------------


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    NATIVE_ALARM,
                    CLASSIC_ALARM,
                    "aws-native:dynamodb:Table",
                    "aws-native:dynamodb:GlobalTable",
                    "aws:dynamodb/table:Table",
                ]
            ),
            junk_trees,
            junk_trees,
        ),
        max_size=6,
    )
)
def test_never_raises_on_junk(items: list[tuple[str, Any, Any]]) -> None:
    resources = []
    for index, (kind, props, provider_props) in enumerate(items):
        junk_provider = provider("aws", **provider_props) if isinstance(provider_props, dict) else None
        resources.append(
            resource(kind, f"r{index}", junk_provider, **(props if isinstance(props, dict) else {}))
        )
    table_alarms.check_stack(resources, CONFIG)
    for item in resources:
        alarm_actions.check(item, ACTIONS)


# Free text: a marker and a space, which no table or dimension name has.
_secrets = st.text(string.ascii_letters + string.digits + " '\"-_/", max_size=20).map(lambda s: f"s3cr3t {s}")


@given(_secrets, _secrets, st.sampled_from(["SystemErrors", "UserErrors", "ReadThrottleEvents"]))
def test_messages_never_echo_free_text(table_name: str, dimension: str, metric: str) -> None:
    """Table names and dimension names given as free text are never shown (logical names are)."""
    alarms = [
        native_alarm("a", metric, table_name, dimensions=[{"name": dimension, "value": table_name}]),
        native_alarm("b", metric, table_name, namespace="aws/dynamodb"),
        native_insights_alarm("c", metric, table_name.replace("'", "")),
        classic_alarm("d", metric, table_name, dimensions={dimension: "x", "TableName": table_name}),
        classic_alarm("e", metric, table_name, provider("aws", region="eu-west-1")),
    ]
    tables = [
        resource(
            "aws-native:dynamodb:Table",
            "orders",
            provider("aws-native", region="us-east-1"),
            tableName=table_name,
        ),
        resource("aws:dynamodb/table:Table", "events", name=table_name),
    ]
    violations = table_alarms.check_stack([*tables, *alarms], CONFIG)
    assert violations
    assert all("s3cr3t" not in v.message for v in violations)


# --- junk the schema-aware strategies found (a crash made the whole stack's policy fail) --------


@pytest.mark.parametrize("make", [classic_alarm, native_alarm], ids=["aws", "aws-native"])
@pytest.mark.parametrize("junk", [["SystemErrors"], {"name": "SystemErrors"}], ids=["list", "map"])
def test_an_alarm_with_a_non_text_metric_name_is_not_judged_against_and_does_not_crash(
    make: Any, junk: Any
) -> None:
    # What it reads cannot be told: like an unknown, it is never held against the stack.
    table = native_table("orders") if make is native_alarm else classic_table("orders")
    alarms = [
        make("odd", "SystemErrors", "orders", metricName=junk),
        make("rt", "ReadThrottleEvents", "orders"),
    ]
    assert findings([table, *alarms]) == {}
    assert [v for alarm in alarms for v in alarm_actions.check(alarm, ACTIONS)] == []


@pytest.mark.parametrize("native", [False, True], ids=["aws", "aws-native"])
@pytest.mark.parametrize("junk", [["GreaterThanThreshold"], {"op": "LessThanThreshold"}], ids=["list", "map"])
def test_an_alarm_with_a_non_text_comparison_still_covers_its_table(native: bool, junk: Any) -> None:
    # The comparison cannot be judged, so the alarm is taken to fire (never a guess against it).
    table = native_table("events") if native else classic_table("events")
    working = working_native_alarms("events") if native else classic_working_alarms("events")
    alarms = [replace(alarm, props={**alarm.props, "comparisonOperator": junk}) for alarm in working]
    assert findings([table, *alarms]) == {}


def test_alarms_in_a_template_cover_an_auto_named_table_they_ref_and_only_it() -> None:
    # The table's name is known only after deployment: `Ref` ties each alarm to its table.
    def alarms(target: str) -> dict[str, Any]:
        system_errors = [
            {"Name": "TableName", "Value": {"Ref": target}},
            {"Name": "Operation", "Value": "GetItem"},
        ]
        return {
            "SystemErrors": cfn_alarm("SystemErrors", None, Dimensions=system_errors),
            "Throttles": cfn_alarm("ReadThrottleEvents", {"Ref": target}),
        }

    auto_named = cfn_table(TableName=None)
    assert findings([stack(template(Orders=auto_named, **alarms("Orders")))]) == {}
    [message] = findings([stack(template(Orders=auto_named, Other=auto_named, **alarms("Other")))]).values()
    assert message.startswith(
        "Table 'Orders' (AWS::DynamoDB::Table) in the template of CloudFormation stack 'cfn'"
    )
