"""What a CloudWatch MetricAlarm watches, read from its plain properties.

An alarm names its metric in one of three ways: the top-level `namespace`/`metricName`/
`dimensions`, a `metricQueries[].metric` (metric math), or a `metricQueries[].expression` holding a
Metrics Insights query (`SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)
WHERE TableName = 'events'`). SEARCH expressions are ignored: CloudWatch cannot alarm on them
("You can't create an alarm based on the SEARCH expression", CloudWatch User Guide, "Using search
expressions in graphs"). Only metrics in the AWS/DynamoDB namespace (or an unknown one, in a
preview) are returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .cloudwatch_metrics import NAMESPACE, PUBLISHED_DIMENSIONS, TABLE, can_have_data
from .model import UNKNOWN
from .values import as_list, as_mapping

# Metrics Insights: SELECT FUNC(Metric) FROM SCHEMA("ns", Dim, ...) | FROM "ns" [WHERE ...]
_SELECT = re.compile(
    r"^\s*SELECT\s+\w+\s*\(\s*\"?(?P<metric>[A-Za-z0-9_.\-]+)\"?\s*\)\s+FROM\s+"
    r"(?:SCHEMA\s*\(\s*\"?(?P<schema_ns>[^\",)]+)\"?\s*(?P<schema_dims>(?:,\s*\"?[A-Za-z0-9_.\-]+\"?\s*)*)\)"
    r"|\"?(?P<ns>[^\"\s]+)\"?)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TABLE_FILTER = re.compile(r"\"?\bTableName\"?\s*=\s*'([^']*)'")
_DIMENSION_IN_FILTER = re.compile(r"\"?\b([A-Za-z][A-Za-z0-9_]*)\"?\s*(?:=|!=|<>|\bIN\b)", re.IGNORECASE)
_MAX_EXPRESSION_CHARS = 4096


@dataclass(frozen=True)
class WatchedMetric:
    """One DynamoDB metric an alarm reads, and which table it filters on.

    `metric` is None when the name is unknown (preview). `table` is the TableName filter when
    it is a known string. `table_unknown`: the filter is an unknown value. `all_tables`: a Metrics
    Insights query without a TableName filter, which sees every table. `dead`: DynamoDB never
    publishes the metric with these dimensions, so the alarm can never fire on it.
    """

    metric: str | None
    where: str
    table: str | None = None
    table_unknown: bool = False
    all_tables: bool = False
    dimension_keys: frozenset[str] | None = None
    dead: bool = False


def _metric(metric: Mapping[str, Any], where: str) -> WatchedMetric | None:
    namespace = metric.get("namespace")
    if namespace is not UNKNOWN and namespace != NAMESPACE:
        return None
    name = metric.get("metricName")
    name = name if isinstance(name, str) else None
    dims = metric.get("dimensions")
    if dims is UNKNOWN:
        return WatchedMetric(name, where, table_unknown=True)
    dims = as_mapping(dims)
    keys = frozenset(k for k in dims if isinstance(k, str))
    table = dims.get(TABLE)
    dead = namespace == NAMESPACE and name is not None and not can_have_data(name, keys)
    return WatchedMetric(
        name,
        where,
        table=table if isinstance(table, str) else None,
        table_unknown=table is UNKNOWN,
        dimension_keys=keys,
        dead=dead,
    )


def _insights_query(expression: str, where: str) -> list[WatchedMetric]:
    if len(expression) > _MAX_EXPRESSION_CHARS:
        return []
    match = _SELECT.match(expression)
    if match is None:
        return []
    namespace = match.group("schema_ns") or match.group("ns")
    if namespace != NAMESPACE:
        return []
    metric = match.group("metric")
    rest = match.group("rest") or ""
    tables = _TABLE_FILTER.findall(rest)
    filtered_keys = {
        key for key in _DIMENSION_IN_FILTER.findall(rest) if key.upper() not in ("AND", "OR", "NOT")
    }
    schema_dims = match.group("schema_dims")
    if match.group("schema_ns") is not None:
        # SCHEMA(...) selects metrics with exactly these dimensions.
        keys = frozenset(d.strip().strip('"') for d in (schema_dims or "").split(",") if d.strip())
        dead = not can_have_data(metric, keys)
    else:
        # FROM "namespace" selects every combination that has the filtered dimensions.
        keys = frozenset(filtered_keys)
        published = PUBLISHED_DIMENSIONS.get(metric)
        dead = published is not None and not any(keys <= combo for combo in published)
    if not tables:
        return [WatchedMetric(metric, where, all_tables=True, dimension_keys=keys, dead=dead)]
    return [WatchedMetric(metric, where, table=t, dimension_keys=keys, dead=dead) for t in tables]


def watched_metrics(props: Mapping[str, Any]) -> list[WatchedMetric]:
    """Every DynamoDB (or possibly DynamoDB) metric the alarm reads."""
    watched: list[WatchedMetric] = []
    if props.get("metricName") is not None or props.get("namespace") is not None:
        top = _metric(props, "metricName")
        if top is not None:
            watched.append(top)
    queries = props.get("metricQueries")
    if queries is UNKNOWN:
        watched.append(WatchedMetric(None, "metricQueries", table_unknown=True))
        return watched
    for index, query in enumerate(as_list(queries)):
        if query is UNKNOWN:
            watched.append(WatchedMetric(None, f"metricQueries[{index}]", table_unknown=True))
            continue
        query = as_mapping(query)
        metric = query.get("metric")
        if metric is UNKNOWN:
            watched.append(WatchedMetric(None, f"metricQueries[{index}].metric", table_unknown=True))
        elif isinstance(metric, Mapping):
            found = _metric(metric, f"metricQueries[{index}].metric")
            if found is not None:
                watched.append(found)
        expression = query.get("expression")
        if expression is UNKNOWN:
            watched.append(WatchedMetric(None, f"metricQueries[{index}].expression", table_unknown=True))
        elif isinstance(expression, str):
            watched.extend(_insights_query(expression, f"metricQueries[{index}].expression"))
    return watched


def _mentions_dynamodb(props: Mapping[str, Any]) -> Iterator[bool | None]:
    namespace = props.get("namespace")
    yield None if namespace is UNKNOWN else namespace == NAMESPACE
    queries = props.get("metricQueries")
    if queries is UNKNOWN:
        yield None
        return
    for query in as_list(queries):
        if query is UNKNOWN:
            yield None
            continue
        metric = as_mapping(query).get("metric")
        if metric is UNKNOWN:
            yield None
        elif isinstance(metric, Mapping):
            ns = metric.get("namespace")
            yield None if ns is UNKNOWN else ns == NAMESPACE
        expression = as_mapping(query).get("expression")
        if expression is UNKNOWN:
            yield None
        elif isinstance(expression, str):
            yield NAMESPACE.lower() in expression[:_MAX_EXPRESSION_CHARS].lower()


def is_dynamodb_alarm(props: Mapping[str, Any]) -> bool | None:
    """True when the alarm reads a DynamoDB metric, False when it does not, None when unknown."""
    answers = list(_mentions_dynamodb(props))
    if True in answers:
        return True
    return None if None in answers else False
