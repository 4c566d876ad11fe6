"""What the alarm readers hand table-alarms and alarm-actions: the alarm's shape (its top-level
metric, each metric query with where a message names it, the comparison) read from either
provider's wire - pulumi-aws `metricQueries[].metric` with dimension maps, aws-native
`metrics[].metricStat.metric` with `[{name, value}]` dimensions - and the view around it."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb_guardrails import readers
from dynamodb_guardrails.alarm_metrics import AlarmShape, MetricRef, Query
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.views.location import Location

CLASSIC = "aws:cloudwatch/metricAlarm:MetricAlarm"
NATIVE = "aws-native:cloudwatch:Alarm"
ARN = "arn:aws:cloudwatch:ap-south-1:123456789012:alarm:a"


def shape(type_: str, **props: Any) -> AlarmShape:
    [view] = readers.alarm_views(Resource(type_, "a", f"urn:{type_}::a", props))
    return view.shape


def test_the_alarm_view_around_the_shape() -> None:
    alarm = Resource(
        CLASSIC, "a", "urn:a", {"arn": ARN, "region": "us-east-1"}, provider_props={"region": "eu-west-1"}
    )
    [view] = readers.alarm_views(alarm)
    assert (view.source, view.label, view.record, view.exempt_keys) == (
        alarm,
        "Alarm 'a'",
        alarm,
        ("a", "urn:a"),
    )
    assert view.metric_inputs == ("dimensions", "metricQueries", "metricName", "namespace")
    assert view.location == Location("123456789012", "ap-south-1", "aws")
    moved = Resource(CLASSIC, "a", "urn:a", {"region": "us-east-1"}, provider_props={"region": "eu-west-1"})
    assert readers.alarm_views(moved)[0].location.region == "us-east-1"
    native = Resource(NATIVE, "n", "urn:n", {"arn": ARN}, provider_props={"region": "eu-west-1"})
    [view] = readers.alarm_views(native)
    assert view.metric_inputs == ("dimensions", "metrics", "metricName", "namespace")
    assert view.location.region == "ap-south-1"


@pytest.mark.parametrize(
    ("type_", "dimensions", "read"),
    [
        (CLASSIC, {"TableName": "orders"}, {"TableName": "orders"}),
        (NATIVE, [{"name": "TableName", "value": "orders"}], {"TableName": "orders"}),
    ],
)
def test_a_top_level_metric_and_the_comparison(type_: str, dimensions: Any, read: Any) -> None:
    got = shape(
        type_,
        namespace="AWS/DynamoDB",
        metricName="SystemErrors",
        dimensions=dimensions,
        statistic="Sum",
        comparisonOperator="GreaterThanThreshold",
        threshold=1,
        thresholdMetricId="m",
    )
    assert got == AlarmShape(
        top=MetricRef("AWS/DynamoDB", "SystemErrors", read, None),  # Sum bounds no percentage
        queries=(),
        queries_where="metricQueries" if type_ == CLASSIC else "metrics",
        comparison="GreaterThanThreshold",
        threshold=1,
        threshold_metric_id="m",
    )


def test_the_statistic_is_read_for_percentage_metrics_only() -> None:
    for statistic in ({"statistic": "Maximum"}, {"extendedStatistic": "p99"}):
        got = shape(CLASSIC, metricName="AccountProvisionedReadCapacityUtilization", **statistic)
        assert got.top is not None and got.top.statistic == next(iter(statistic.values()))
    assert shape(CLASSIC, metricName="SystemErrors", statistic="Maximum").top == MetricRef(
        None, "SystemErrors", None, None
    )
    assert shape(CLASSIC, metricName=["junk"], statistic="Maximum").top == MetricRef(
        None, ["junk"], None, None
    )


def test_no_top_level_metric_without_a_name_or_namespace() -> None:
    assert shape(CLASSIC, dimensions={"TableName": "t"}).top is None
    assert shape(CLASSIC, namespace="AWS/DynamoDB").top == MetricRef("AWS/DynamoDB", None, None, None)
    assert shape(NATIVE, namespace="AWS/DynamoDB").top == MetricRef("AWS/DynamoDB", None, {}, None)


def test_classic_metric_queries() -> None:
    got = shape(
        CLASSIC,
        metricQueries=[
            {
                "id": "m1",
                "metric": {
                    "namespace": "AWS/DynamoDB",
                    "metricName": "SystemErrors",
                    "dimensions": {"TableName": "t"},
                    "stat": "Sum",
                },
                "returnData": False,
                "accountId": "210987654321",
            },
            {"id": "e1", "expression": "m1 * 2", "returnData": True},
            UNKNOWN,
            {"id": "u", "metric": UNKNOWN},
            "junk",
        ],
    )
    assert got.queries == (
        Query(
            "metricQueries[0]",
            "metric",
            MetricRef("AWS/DynamoDB", "SystemErrors", {"TableName": "t"}, "Sum"),
            None,
            "210987654321",
            False,
            "m1",
        ),
        Query("metricQueries[1]", "metric", None, "m1 * 2", None, True, "e1"),
        UNKNOWN,
        Query("metricQueries[3]", "metric", UNKNOWN, None, None, None, "u"),
        Query("metricQueries[4]", "metric", None, None, None, None, None),
    )
    assert shape(CLASSIC, metricQueries=UNKNOWN).queries is UNKNOWN


def test_native_metric_queries() -> None:
    stat = {
        "metric": {
            "namespace": "AWS/DynamoDB",
            "metricName": "SystemErrors",
            "dimensions": [{"name": "TableName", "value": "t"}],
        },
        "stat": "Sum",
    }
    got = shape(
        NATIVE,
        metrics=[
            {"id": "m1", "metricStat": stat, "returnData": False},
            {"id": "m2", "metricStat": {"metric": UNKNOWN, "stat": "Sum"}},
            {"id": "m3", "metricStat": {"metric": "junk"}},
            {"id": "m4", "metricStat": "junk"},
            {"id": "m5", "metric": stat["metric"]},  # the classic spelling is not aws-native's
        ],
    )
    assert got.queries == (
        Query(
            "metrics[0]",
            "metricStat.metric",
            MetricRef("AWS/DynamoDB", "SystemErrors", {"TableName": "t"}, "Sum"),
            None,
            None,
            False,
            "m1",
        ),
        Query("metrics[1]", "metricStat.metric", UNKNOWN, id="m2"),
        Query("metrics[2]", "metricStat.metric", None, id="m3"),
        Query("metrics[3]", "metricStat.metric", None, id="m4"),
        Query("metrics[4]", "metricStat.metric", None, id="m5"),
    )
    assert shape(NATIVE, metricQueries=[{"id": "x"}]).queries == ()
