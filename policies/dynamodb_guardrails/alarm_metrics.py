"""What a CloudWatch alarm watches and whether it can ever fire, for every provider's alarm shape.

Readers put an alarm's metric inputs into one `AlarmShape` (top-level metric, metric queries,
comparison); this module decides what it reads. An alarm names its metric in one of three ways:
the top-level namespace / metric name / dimensions, a metric query's metric (metric math), or a
query's `expression` holding a Metrics Insights query (`SELECT SUM(SystemErrors) FROM
SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = 'events'`). SEARCH expressions are
ignored: CloudWatch cannot alarm on them ("You can't create an alarm based on the SEARCH
expression", CloudWatch User Guide, "Using search expressions in graphs").

An alarm can never fire when what it reads never has data - a namespace, metric or dimension name
that differs from what DynamoDB publishes (CloudWatch names are case-sensitive, also in Metrics
Insights: "identifiers such as the names of metrics, namespaces, and dimensions are case
sensitive", CloudWatch User Guide, "Metrics Insights query components and syntax"), or a
dimension set DynamoDB never publishes - or when its comparison asks for a value the metric never
takes (every DynamoDB metric is a count, size, duration or percentage: never below 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .cloudwatch_metrics import (
    NAMESPACE,
    PERCENT_METRICS,
    PUBLISHED_DIMENSIONS,
    TABLE,
    can_have_data,
    describe_dimensions,
    published_spelling,
)
from .model import UNKNOWN
from .values import as_bool, as_mapping

# Metrics Insights: SELECT FUNC(Metric) FROM SCHEMA("ns", Dim, ...) | FROM "ns" [WHERE ...]
_SELECT = re.compile(
    r"^\s*SELECT\s+(?P<function>\w+)\s*\(\s*\"?(?P<metric>[A-Za-z0-9_.\-]+)\"?\s*\)\s+FROM\s+"
    r"(?:SCHEMA\s*\(\s*\"?(?P<schema_ns>[^\",)]+)\"?\s*(?P<schema_dims>(?:,\s*\"?[A-Za-z0-9_.\-]+\"?\s*)*)\)"
    r"|\"?(?P<ns>[^\"\s]+)\"?)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_TABLE_FILTER = re.compile(r"\"?\bTableName\"?\s*=\s*'([^']*)'")
_DIMENSION_IN_FILTER = re.compile(r"\"?\b([A-Za-z][A-Za-z0-9_]*)\"?\s*(?:=|!=|<>|\bIN\b)", re.IGNORECASE)
_MAX_EXPRESSION_CHARS = 4096
# Names shown in a message; anything else may be free text.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.\-/]{1,64}")
# Metric math that never turns non-negative inputs negative: ids, numbers, + * , ( ) [ ] and a few
# aggregate functions (CloudWatch User Guide, "Metric math syntax and functions").
_NON_NEGATIVE_MATH = re.compile(r"[A-Za-z0-9_.\s(),+*\[\]]*")
_NON_NEGATIVE_FUNCTIONS = frozenset({"SUM", "MAX", "MIN", "AVG", "METRICS"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SUMMING_STATISTICS = frozenset({"sum", "samplecount"})

# How to fix each kind of dead metric, for messages.
FIX_NAMES = "Spell namespace, metric and dimension names exactly as DynamoDB publishes them (case-sensitive)"
FIX_DIMENSIONS = (
    "Use exactly the dimensions DynamoDB publishes, or a Metrics Insights query (metric query "
    "expression) that filters on TableName"
)
FIX_COMPARISON = "Use a comparison and threshold the metric can reach (for example GreaterThanThreshold 0)"
FIX_LOCATION = (
    "Create the alarm in the table's account and region (the provider's region, or the alarm's own "
    "`region` argument), or read the table's account with the metric query's accountId"
)

# comparison operator -> words for a message
_COMPARISONS = {
    "GreaterThanThreshold": "greater than",
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


# Plain dataclasses: views are built for every resource of a stack, and frozen ones cost ~7x to
# build (slots ones are built twice at import); nothing writes to one after its reader made it.
@dataclass
class WatchedMetric:
    """One DynamoDB metric an alarm reads, and which table it filters on.

    `metric` is None when the name is unknown (preview). `table` is the TableName filter when
    it is a known string. `table_unknown`: the filter is an unknown value. `all_tables`: a Metrics
    Insights query without a TableName filter, which sees every table. `account`: the account a
    cross-account query reads (`accountId`), None for the alarm's own. `problem`: why this metric
    never has data (DynamoDB never publishes it so), already worded for a message; None if it may;
    `problem_fix` says how to fix it.
    """

    metric: str | None
    where: str
    table: str | None = None
    table_unknown: bool = False
    all_tables: bool = False
    dimension_keys: frozenset[str] | None = None
    account: str | None = None
    problem: str | None = None
    problem_fix: str | None = None

    @property
    def dead(self) -> bool:
        return self.problem is not None


@dataclass
class MetricRef:
    """A metric named by namespace, name and dimensions (a map name -> value, UNKNOWN or None)."""

    namespace: Any
    name: Any
    dimensions: Any
    statistic: Any = None


@dataclass
class Query:
    """One metric query of an alarm (`metricQueries[]` / `metrics[]`), in one form for every provider.
    `metric` is a MetricRef, UNKNOWN, or None; `metric_property` is where the form keeps it."""

    where: str
    metric_property: str = "metric"
    metric: Any = None
    expression: Any = None
    account: Any = None
    return_data: Any = None
    id: Any = None


@dataclass
class AlarmShape:
    """An alarm's metric inputs. `top` is the top-level metric when the alarm names one;
    `queries` is a tuple of Query, or UNKNOWN."""

    top: MetricRef | None = None
    top_where: str = "metricName"
    queries: Any = ()
    queries_where: str = "metricQueries"
    comparison: Any = None
    threshold: Any = None
    threshold_metric_id: Any = None


def _shown(name: str) -> str:
    return f"'{name}'" if _SAFE_NAME.fullmatch(name) else "a name that is not valid"


def _keys_shown(keys: frozenset[str]) -> str:
    if not keys:
        return "no dimensions"
    return "+".join(sorted(k if _SAFE_NAME.fullmatch(k) else "(an invalid name)" for k in keys))


def _namespace_problem(namespace: str, where: str) -> str | None:
    """A namespace that is DynamoDB's but for case (case-sensitive, so it never has data)."""
    if namespace != NAMESPACE and namespace.casefold() == NAMESPACE.casefold():
        return (
            f"{where} reads namespace {_shown(namespace)}, but CloudWatch names are case-sensitive: "
            f"DynamoDB publishes to '{NAMESPACE}'"
        )
    return None


def _metric_name_problem(name: str, where: str) -> str | None:
    if name in PUBLISHED_DIMENSIONS:
        return None
    spelled = published_spelling(name)
    if spelled is not None and spelled != name:
        return (
            f"{where} reads metric {_shown(name)}, but CloudWatch names are case-sensitive: DynamoDB "
            f"publishes '{spelled}'"
        )
    return None


def _dimensions_problem(name: str, keys: frozenset[str], where: str) -> str | None:
    if can_have_data(name, keys):
        return None
    return (
        f"{where} reads {name} with {_keys_shown(keys)}, but DynamoDB publishes {name} with "
        f"{describe_dimensions(name)}"
    )


def metric_watch(metric: MetricRef, where: str, account: Any = None) -> WatchedMetric | None:
    """What one named metric reads; None when it is not a DynamoDB metric (nor maybe one)."""
    namespace = metric.namespace
    account = account if isinstance(account, str) else None
    name = metric.name if isinstance(metric.name, str) else None
    if namespace is not UNKNOWN:
        if not isinstance(namespace, str):
            return None
        problem = _namespace_problem(namespace, where)
        if problem is not None:
            return WatchedMetric(name, where, account=account, problem=problem, problem_fix=FIX_NAMES)
        if namespace != NAMESPACE:
            return None
    dims = metric.dimensions
    if dims is UNKNOWN:
        return WatchedMetric(name, where, table_unknown=True, account=account)
    dims = as_mapping(dims)
    keys = frozenset(k for k in dims if isinstance(k, str))
    table = dims.get(TABLE)
    problem, fix = None, None
    if namespace == NAMESPACE and name is not None:
        problem, fix = _metric_name_problem(name, where), FIX_NAMES
        if problem is None:
            problem, fix = _dimensions_problem(name, keys, where), FIX_DIMENSIONS
    return WatchedMetric(
        name,
        where,
        table=table if isinstance(table, str) else None,
        table_unknown=table is UNKNOWN,
        dimension_keys=keys,
        account=account,
        problem=problem,
        problem_fix=fix if problem is not None else None,
    )


def insights_watch(expression: str, where: str, account: Any = None) -> list[WatchedMetric]:
    """The DynamoDB metrics a Metrics Insights query reads (none for math or other namespaces)."""
    if len(expression) > _MAX_EXPRESSION_CHARS:
        return []
    match = _SELECT.match(expression)
    if match is None:
        return []
    account = account if isinstance(account, str) else None
    namespace = (match.group("schema_ns") or match.group("ns") or "").strip()
    metric = match.group("metric")
    problem = _namespace_problem(namespace, where)
    if problem is not None:
        return [WatchedMetric(metric, where, account=account, problem=problem, problem_fix=FIX_NAMES)]
    if namespace != NAMESPACE:
        return []
    rest = match.group("rest") or ""
    tables = _TABLE_FILTER.findall(rest)
    filtered = frozenset(
        key for key in _DIMENSION_IN_FILTER.findall(rest) if key.upper() not in ("AND", "OR", "NOT")
    )
    problem = _metric_name_problem(metric, where)
    fix = FIX_NAMES if problem is not None else FIX_DIMENSIONS
    if match.group("schema_ns") is not None:
        # SCHEMA(...) selects metrics with exactly these dimensions; a filter on any other
        # dimension matches none of them.
        schema_dims = match.group("schema_dims") or ""
        keys = frozenset(d.strip().strip('"') for d in schema_dims.split(",") if d.strip())
        if problem is None:
            problem = _dimensions_problem(metric, keys, where)
        if problem is None and not filtered <= keys:
            problem = (
                f"{where} filters on {_keys_shown(filtered - keys)}, which SCHEMA({NAMESPACE}, "
                f"{_keys_shown(keys)}) does not have, so the query matches no metric"
            )
    else:
        # FROM "namespace" selects every combination that has the filtered dimensions.
        keys = filtered
        published = PUBLISHED_DIMENSIONS.get(metric)
        if problem is None and published is not None and not any(keys <= combo for combo in published):
            problem = (
                f"{where} filters {metric} on {_keys_shown(keys)}, but DynamoDB publishes {metric} with "
                f"{describe_dimensions(metric)}"
            )
    shown_fix = fix if problem is not None else None
    if not tables:
        return [
            WatchedMetric(
                metric,
                where,
                all_tables=True,
                dimension_keys=keys,
                account=account,
                problem=problem,
                problem_fix=fix,
            )
        ]
    return [
        WatchedMetric(
            metric,
            where,
            table=t,
            dimension_keys=keys,
            account=account,
            problem=problem,
            problem_fix=shown_fix,
        )
        for t in tables
    ]


def watched_metrics(shape: AlarmShape) -> list[WatchedMetric]:
    """Every DynamoDB (or possibly DynamoDB) metric the alarm reads."""
    watched: list[WatchedMetric] = []
    if shape.top is not None:
        top = metric_watch(shape.top, shape.top_where)
        if top is not None:
            watched.append(top)
    if shape.queries is UNKNOWN:
        watched.append(WatchedMetric(None, shape.queries_where, table_unknown=True))
        return watched
    for query in shape.queries:
        if query is UNKNOWN:
            watched.append(WatchedMetric(None, shape.queries_where, table_unknown=True))
            continue
        metric_where = f"{query.where}.{query.metric_property}"
        if query.metric is UNKNOWN:
            watched.append(WatchedMetric(None, metric_where, table_unknown=True))
        elif isinstance(query.metric, MetricRef):
            found = metric_watch(query.metric, metric_where, query.account)
            if found is not None:
                watched.append(found)
        if query.expression is UNKNOWN:
            watched.append(WatchedMetric(None, f"{query.where}.expression", table_unknown=True))
        elif isinstance(query.expression, str):
            watched.extend(insights_watch(query.expression, f"{query.where}.expression", query.account))
    return watched


def _mentions_dynamodb(shape: AlarmShape) -> Iterator[bool | None]:
    if shape.top is not None:
        namespace = shape.top.namespace
        yield None if namespace is UNKNOWN else _is_dynamodb_namespace(namespace)
    if shape.queries is UNKNOWN:
        yield None
        return
    for query in shape.queries:
        if query is UNKNOWN or query.metric is UNKNOWN:
            yield None
            continue
        if isinstance(query.metric, MetricRef):
            namespace = query.metric.namespace
            yield None if namespace is UNKNOWN else _is_dynamodb_namespace(namespace)
        if query.expression is UNKNOWN:
            yield None
        elif isinstance(query.expression, str):
            yield NAMESPACE.casefold() in query.expression[:_MAX_EXPRESSION_CHARS].casefold()


def _is_dynamodb_namespace(namespace: Any) -> bool:
    # A DynamoDB alarm in wrong case is still meant to watch DynamoDB (and is reported dead).
    return isinstance(namespace, str) and namespace.casefold() == NAMESPACE.casefold()


def reads_dynamodb(shape: AlarmShape) -> bool | None:
    """True when the alarm reads a DynamoDB metric, False when it does not, None when unknown."""
    answers = list(_mentions_dynamodb(shape))
    if True in answers:
        return True
    return None if None in answers else False


# --- can its comparison ever be met? ----------------------------------------------------------------

Bounds = tuple[float, float | None]  # lowest and highest value (None: unbounded)


def _metric_bounds(metric: MetricRef) -> Bounds | None:
    if metric.namespace != NAMESPACE or not isinstance(metric.name, str):
        return None
    statistic = metric.statistic.casefold() if isinstance(metric.statistic, str) else None
    if metric.name in PERCENT_METRICS and statistic is not None and statistic not in _SUMMING_STATISTICS:
        return (0.0, 100.0)
    return (0.0, None)


def _query_bounds(query: Query, by_id: Mapping[str, Query], depth: int = 0) -> Bounds | None:
    if depth > 8:
        return None
    if isinstance(query.metric, MetricRef):
        return _metric_bounds(query.metric)
    expression = query.expression
    if not isinstance(expression, str) or len(expression) > _MAX_EXPRESSION_CHARS:
        return None
    match = _SELECT.match(expression)
    if match is not None:
        namespace = (match.group("schema_ns") or match.group("ns") or "").strip()
        function = match.group("function").upper()
        known = function in ("SUM", "COUNT", "AVG", "MIN", "MAX")
        return (0.0, None) if namespace == NAMESPACE and known else None
    if not _NON_NEGATIVE_MATH.fullmatch(expression):
        return None
    for word in _WORD.findall(expression):
        if word.upper() in _NON_NEGATIVE_FUNCTIONS:
            continue
        referenced = by_id.get(word)
        if referenced is None or referenced is query:
            return None
        bounds = _query_bounds(referenced, by_id, depth + 1)
        if bounds is None:
            return None
    return (0.0, None)


def _alarm_value_bounds(shape: AlarmShape) -> Bounds | None:
    """The range of the value the alarm compares, when it is provably limited."""
    if shape.queries is UNKNOWN:
        return None
    queries = [q for q in shape.queries if isinstance(q, Query)]
    if len(queries) != len(shape.queries):
        return None
    if not queries:
        return _metric_bounds(shape.top) if shape.top is not None else None
    returned = [q for q in queries if as_bool(q.return_data) is True]
    if len(returned) != 1:
        if len(queries) != 1 or any(q.return_data is UNKNOWN for q in queries):
            return None
        returned = queries
    by_id = {q.id: q for q in queries if isinstance(q.id, str)}
    return _query_bounds(returned[0], by_id)


def never_fires(shape: AlarmShape) -> str | None:
    """Why the alarm's comparison can never be met (worded for a message), or None."""
    comparison, threshold = shape.comparison, shape.threshold
    # Junk may be unhashable: only a text comparison can be looked up.
    if not isinstance(comparison, str) or comparison not in _COMPARISONS:
        return None
    if shape.threshold_metric_id not in (None, ""):
        return None
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or threshold != threshold:
        return None
    bounds = _alarm_value_bounds(shape)
    if bounds is None:
        return None
    low, high = bounds
    t = float(threshold)
    impossible = {
        "GreaterThanThreshold": high is not None and high <= t,
        "GreaterThanOrEqualToThreshold": high is not None and high < t,
        "LessThanThreshold": low >= t,
        "LessThanOrEqualToThreshold": low > t,
    }[comparison]
    if not impossible:
        return None
    limit = f"never below {low:g}" if comparison.startswith("Less") else f"never above {high:g}"
    return (
        f"it alarms when its value is {_COMPARISONS[comparison]} {t:g} ({comparison}), but the DynamoDB "
        f"metric it reads is {limit}"
    )
