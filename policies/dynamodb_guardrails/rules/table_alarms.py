"""dynamodb-table-alarms: every DynamoDB table has working CloudWatch alarms on errors and throttling.

## What it checks
A stack policy: it matches alarms to tables across the whole stack. Every
`aws:dynamodb/table:Table` needs, for each group of `requiredMetrics`, an
`aws:cloudwatch/metricAlarm:MetricAlarm` on one of the group's `AWS/DynamoDB` metrics that covers
it. An alarm covers a table when its dimensions, a metric query's dimensions, or a Metrics
Insights query's `WHERE TableName = '...'` name the table's physical name; a Metrics Insights
query without a TableName filter watches every table and covers all of them.

Alarms that can never fire cover nothing and are reported on the alarm itself: a dimension set
DynamoDB never publishes, such as `UserErrors` with `TableName` (it exists only per account and
region) or `SystemErrors` without `Operation` (it is published per `TableName` and `Operation`).

## Why
With `treatMissingData: notBreaching`, an alarm on a metric that never has data stays OK forever:
the table looks watched and is not. Throttling is the first thing that hurts an on-demand table
under a spike, and SystemErrors are the errors the application cannot fix by itself.

## Example
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    name="events-dev",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
)
aws.cloudwatch.MetricAlarm(
    "events-system-errors",
    namespace="AWS/DynamoDB",
    metric_name="SystemErrors",
    dimensions={"TableName": "events-dev"},  # SystemErrors has no series per table alone
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

table = aws.dynamodb.Table(
    "events",
    name="events-dev",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
)
aws.cloudwatch.MetricAlarm(
    "events-system-errors",
    metric_queries=[
        {
            "id": "system_errors",
            "expression": table.name.apply(
                lambda name: 'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
                f"WHERE TableName = '{name}'"
            ),
            "period": 60,
            "return_data": True,
        }
    ],
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
)
aws.cloudwatch.MetricAlarm(
    "events-read-throttle",
    namespace="AWS/DynamoDB",
    metric_name="ReadThrottleEvents",
    dimensions={"TableName": table.name},
    statistic="Sum",
    period=60,
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
)
```

## During preview
A table's name, or the table name in an alarm, may be unknown in a preview (built from another
resource's output). An alarm whose table name is unknown covers the tables it depends on; a table
whose name is unknown counts alarms on names that match no other table. Neither is reported
until the update shows the names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..alarm_metrics import WatchedMetric, watched_metrics
from ..cloudwatch_metrics import NAMESPACE, SOURCE_URL, describe_dimensions, metrics_insights_query
from ..exemptions import exempt_names, exemption_schema
from ..model import PolicyMeta, Resource, Violation
from ..resource_types import DYNAMODB_TABLE, METRIC_ALARM
from ..rule import StackRule
from ..snippets import python_snippet
from ..values import as_list

# Each entry is one required group: alternatives separated by "|"; an alarm on any of them counts.
DEFAULT_REQUIRED_METRICS = ["SystemErrors", "ReadThrottleEvents|WriteThrottleEvents|ThrottledRequests"]
# DynamoDB table names: 3-255 of [a-zA-Z0-9_.-]; anything else is not echoed in a message.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")
_ALARM_INPUTS = ("dimensions", "metricQueries", "metricName", "namespace")
_UNKNOWN_METRIC = None  # a metric name Pulumi does not know yet: it may be any metric

META = PolicyMeta(
    name="dynamodb-table-alarms",
    description="Every DynamoDB table must have working CloudWatch alarms on its errors and throttling.",
    severity="medium",
    enforcement_level="mandatory",
    remediation_steps=(
        "Add an aws.cloudwatch.MetricAlarm per table and required metric group. SystemErrors is published "
        "per TableName and Operation: alarm on a Metrics Insights query such as "
        'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = '
        "'<table>' (metricQueries[].expression), or on metric math over one metric per operation. "
        "Throttling: ReadThrottleEvents/WriteThrottleEvents with dimension TableName. Do not alarm on "
        "UserErrors per table: it has no dimensions."
    ),
    url=SOURCE_URL,
    config_schema={
        "requiredMetrics": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_REQUIRED_METRICS,
            "description": (
                "Metric groups every table needs an alarm on. Each entry is one group of AWS/DynamoDB "
                "metric names separated by '|'; an alarm on any one of them satisfies the group."
            ),
        },
        "reportDeadAlarms": {
            "type": "boolean",
            "default": True,
            "description": (
                "Report DynamoDB alarms that can never fire (on dimensions DynamoDB never publishes)."
            ),
        },
        **exemption_schema("tables and alarms this policy skips"),
    },
    resource_types=frozenset({DYNAMODB_TABLE, METRIC_ALARM}),
    tags=("observability", "dynamodb"),
)


def required_groups(config: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The configured metric groups, cleaned: blank names and empty groups dropped."""
    groups = []
    for entry in as_list(config.get("requiredMetrics", DEFAULT_REQUIRED_METRICS)):
        if not isinstance(entry, str):
            continue
        names = tuple(dict.fromkeys(n.strip() for n in entry.split("|") if n.strip()))
        if names:
            groups.append(names)
    return groups


def _shown(name: str) -> str:
    return f"'{name}'" if _SAFE_NAME.match(name) else "(a name that is not a valid table name)"


def _table_dependencies(alarm: Resource) -> Iterable[str]:
    """URNs the alarm's metric inputs come from; all its dependencies when those are not recorded."""
    by_input = [urn for key in _ALARM_INPUTS for urn in alarm.property_dependencies.get(key, ())]
    return by_input or alarm.dependencies


def _dead_alarm_violation(alarm: Resource, dead: Sequence[WatchedMetric]) -> Violation:
    parts = []
    for watched in dead:
        metric = watched.metric or "?"
        # Dimension names are free text on the alarm: only those shaped like a name are echoed.
        shown = sorted(
            k if _SAFE_NAME.match(k) else "(a dimension name not shown)" for k in watched.dimension_keys or ()
        )
        keys = "+".join(shown) or "no dimensions"
        parts.append(
            f"{watched.where} reads {metric} with {keys}, but DynamoDB publishes {metric} with "
            f"{describe_dimensions(metric)}"
        )
    hint = (
        " UserErrors exists only per account and region: alarm on it once per region without dimensions."
        if any(w.metric == "UserErrors" for w in dead)
        else ""
    )
    return Violation(
        f"Alarm '{alarm.name}' can never fire: " + "; ".join(parts) + ". It covers no table. Use exactly the "
        "dimensions DynamoDB publishes, or a Metrics Insights query (metricQueries[].expression) that "
        f"filters on TableName.{hint}",
        urn=alarm.urn,
    )


class _AlarmIndex:
    """Which metrics have a working alarm, by table name and by the table URN alarms depend on."""

    def __init__(self) -> None:
        self.by_name: dict[str, set[str | None]] = defaultdict(set)
        self.by_dependency: dict[str, set[str | None]] = defaultdict(set)
        self.every_table: set[str | None] = set()

    def add(self, alarm: Resource, watched: WatchedMetric) -> None:
        if watched.all_tables:
            self.every_table.add(watched.metric)
        elif watched.table is not None:
            self.by_name[watched.table].add(watched.metric)
        elif watched.table_unknown:
            for urn in _table_dependencies(alarm):
                self.by_dependency[urn].add(watched.metric)

    def unmatched_names(self, known_table_names: set[str]) -> set[str | None]:
        """Metrics alarmed on names of no known table: they might be a table whose name is unknown."""
        return {m for name, metrics in self.by_name.items() if name not in known_table_names for m in metrics}


def _missing_groups(covered: set[str | None], groups: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    if _UNKNOWN_METRIC in covered:
        return []  # an alarm whose metric is not known yet may be any of them
    return [group for group in groups if not covered.intersection(group)]


def _missing_alarm_violation(
    table: Resource, name: str | None, missing: Sequence[tuple[str, ...]]
) -> Violation:
    wanted = "; ".join(" or ".join(group) for group in missing)
    example_name = name if name is not None and _SAFE_NAME.match(name) else "<table name>"
    example = metrics_insights_query(missing[0][0], example_name)
    physical = f" (table name {_shown(name)})" if name is not None else ""
    # The query holds both kinds of quotes: repr() makes it one valid Python string literal.
    snippet = python_snippet(
        f'metric_queries=[{{"id": "q", "expression": {example!r}, "period": 60, "return_data": True}}]'
    )
    return Violation(
        f"Table '{table.name}'{physical} has no working CloudWatch alarm in {NAMESPACE} on: {wanted}. "
        f"Add an aws.cloudwatch.MetricAlarm per missing group whose dimensions or query name the table, "
        f"e.g. {snippet}.",
        urn=table.urn,
    )


def check_stack(resources: Sequence[Resource], config: Mapping[str, Any]) -> list[Violation]:
    # Linear in the number of resources: alarms are indexed once by table name and by dependency,
    # then each table is one lookup.
    groups = required_groups(config)
    exempt = exempt_names(config)
    report_dead = config.get("reportDeadAlarms", True) is not False
    violations: list[Violation] = []
    index = _AlarmIndex()
    tables: list[Resource] = []
    for resource in resources:
        if resource.type == DYNAMODB_TABLE:
            tables.append(resource)
        elif resource.type == METRIC_ALARM:
            dead = []
            for watched in watched_metrics(resource.props):
                if watched.dead:
                    dead.append(watched)
                else:
                    index.add(resource, watched)
            if dead and report_dead and resource.name not in exempt and resource.urn not in exempt:
                violations.append(_dead_alarm_violation(resource, dead))
    if not groups:
        return violations

    names = {t.urn: t.props.get("name") for t in tables}
    known_names = {n for n in names.values() if isinstance(n, str)}
    unmatched: set[str | None] | None = None
    for table in tables:
        if table.name in exempt or table.urn in exempt:
            continue
        name = names[table.urn]
        covered = set(index.every_table) | index.by_dependency.get(table.urn, set())
        if isinstance(name, str):
            covered |= index.by_name.get(name, set())
        else:
            # Name not known yet (or left to autonaming): an alarm on a name that matches no other
            # table might be this one, so it counts rather than raising a false alarm.
            if unmatched is None:
                unmatched = index.unmatched_names(known_names)
            covered |= unmatched
        missing = _missing_groups(covered, groups)
        if missing:
            violations.append(
                _missing_alarm_violation(table, name if isinstance(name, str) else None, missing)
            )
    return violations


RULE = StackRule(meta=META, check_stack=check_stack, doc=__doc__)
