"""The pack's CloudWatch facts as messages and suggestions use them: how a metric is published, and
the Metrics Insights query the alarms message suggests for one table."""

from __future__ import annotations

from itertools import pairwise

import pytest

from dynamodb_guardrails.cloudwatch_metrics import (
    PUBLISHED_DIMENSIONS,
    TABLE,
    can_have_data,
    describe_dimensions,
    metrics_insights_query,
)


@pytest.mark.parametrize(
    ("metric", "shown"),
    [
        ("SystemErrors", "Operation+TableName"),
        ("ReadThrottleEvents", "TableName or GlobalSecondaryIndexName+TableName"),
        ("UserErrors", "no dimensions (per account and region)"),
    ],
)
def test_how_a_metric_is_published_reads_as_its_combinations(metric: str, shown: str) -> None:
    assert describe_dimensions(metric) == shown


@pytest.mark.parametrize(
    ("metric", "schema"),
    [
        ("SystemErrors", '"AWS/DynamoDB", Operation, TableName'),
        ("ReadThrottleEvents", '"AWS/DynamoDB", TableName'),  # the table alone, not one index
        ("ReplicationLatency", '"AWS/DynamoDB", ReceivingRegion, TableName'),
        ("UserErrors", '"AWS/DynamoDB", TableName'),  # published per account only: still filtered
    ],
)
def test_the_suggested_query_selects_the_smallest_combination_that_names_the_table(
    metric: str, schema: str
) -> None:
    assert metrics_insights_query(metric, "orders") == (
        f"SELECT SUM({metric}) FROM SCHEMA({schema}) WHERE TableName = 'orders'"
    )


@pytest.mark.parametrize(
    "metric", sorted(m for m, combos in PUBLISHED_DIMENSIONS.items() if any(TABLE in c for c in combos))
)
def test_every_suggested_query_reads_a_combination_that_has_data(metric: str) -> None:
    query = metrics_insights_query(metric, "orders")
    keys = query.partition('SCHEMA("AWS/DynamoDB", ')[2].partition(")")[0].split(", ")
    assert can_have_data(metric, keys)


def test_a_metrics_combinations_that_name_the_table_nest() -> None:
    # The smallest combination is then also the one every other contains (so "smallest" has one
    # answer by size and by inclusion; equivalent_mutants.toml relies on it for metrics_insights_query).
    for metric, combos in PUBLISHED_DIMENSIONS.items():
        per_table = sorted((c for c in combos if TABLE in c), key=len)
        assert all(a <= b for a, b in pairwise(per_table)), metric
