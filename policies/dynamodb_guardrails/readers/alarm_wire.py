"""An alarm's metric inputs read once for both providers; each provider names only its wire.

pulumi-aws's MetricAlarm and aws-native's Alarm (CloudFormation's AWS::CloudWatch::Alarm) carry the
same inputs under different names: a top-level `namespace` / `metricName` / `dimensions` (with a
`statistic` or `extendedStatistic`) or a list of metric queries, each with an `id`, an `expression`
or a metric block (the statistic `stat` in it), `accountId` and `returnData`. They differ in the
list's name, where a query keeps its metric and how dimensions are spelled (`AlarmWire`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..alarm_metrics import AlarmShape, MetricRef, Query
from ..cloudwatch_metrics import PERCENT_METRICS
from ..model import UNKNOWN, Resource
from ..values import as_list, as_mapping
from ..views.alarms import AlarmView
from ..views.location import Location
from .common import exempt_keys


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class AlarmWire:
    """How one provider spells an alarm's metric inputs.

    - `queries`: the metric query list (`metricQueries`, `metrics`);
    - `stat_block`: a query's block that holds `stat` (`metric`, `metricStat`), and `metric_in_block`
      where in it the metric's namespace, name and dimensions are (None: in the block itself);
    - `dimensions`: turns the wire's dimensions into a map name -> value (or UNKNOWN).
    """

    queries: str
    stat_block: str
    metric_in_block: str | None = None
    dimensions: Callable[[Any], Any] = _same

    @property
    def metric_property(self) -> str:
        """Where a query keeps its metric, as messages name it."""
        return f"{self.stat_block}.{self.metric_in_block}" if self.metric_in_block else self.stat_block

    @property
    def inputs(self) -> tuple[str, ...]:
        """The properties whose dependencies say which table the alarm watches."""
        return ("dimensions", self.queries, "metricName", "namespace")


def percent_statistic(props: Mapping[str, Any], metric: Any) -> Any:
    """The top-level statistic, read only where it matters: it bounds only percentages (readers
    read as few properties as they need; a stack policy reads every alarm)."""
    if not isinstance(metric, str) or metric not in PERCENT_METRICS:  # junk may be unhashable
        return None
    return props.get("statistic") or props.get("extendedStatistic")


def _query_metric(query: Mapping[str, Any], wire: AlarmWire) -> Any:
    """A query's metric: a MetricRef, UNKNOWN while its block is not known, None without one."""
    block = query.get(wire.stat_block)
    if block is UNKNOWN:
        return UNKNOWN
    if not isinstance(block, Mapping):
        return None
    metric = block if wire.metric_in_block is None else block.get(wire.metric_in_block)
    if metric is UNKNOWN:
        return UNKNOWN
    if not isinstance(metric, Mapping):
        return None
    dimensions = wire.dimensions(metric.get("dimensions"))
    return MetricRef(metric.get("namespace"), metric.get("metricName"), dimensions, block.get("stat"))


def _queries(raw: Any, wire: AlarmWire) -> Any:
    if raw is UNKNOWN:
        return UNKNOWN
    items: list[Any] = []
    for index, query in enumerate(as_list(raw)):
        if query is UNKNOWN:
            items.append(UNKNOWN)
            continue
        query = as_mapping(query)
        items.append(
            Query(
                where=f"{wire.queries}[{index}]",
                metric_property=wire.metric_property,
                metric=_query_metric(query, wire),
                expression=query.get("expression"),
                account=query.get("accountId"),
                return_data=query.get("returnData"),
                id=query.get("id"),
            )
        )
    return tuple(items)


def alarm_shape(props: Mapping[str, Any], wire: AlarmWire) -> AlarmShape:
    top = None
    name = props.get("metricName")
    if name is not None or props.get("namespace") is not None:
        dimensions = wire.dimensions(props.get("dimensions"))
        top = MetricRef(props.get("namespace"), name, dimensions, percent_statistic(props, name))
    return AlarmShape(
        top=top,
        queries=_queries(props.get(wire.queries), wire),
        queries_where=wire.queries,
        comparison=props.get("comparisonOperator"),
        threshold=props.get("threshold"),
        threshold_metric_id=props.get("thresholdMetricId"),
    )


def alarm_view(resource: Resource, wire: AlarmWire, location: Location) -> AlarmView:
    props = resource.props
    return AlarmView(
        source=resource,
        label=f"Alarm '{resource.name}'",
        shape=alarm_shape(props, wire),
        props=props,
        location=location,
        record=resource,
        metric_inputs=wire.inputs,
        exempt_keys=exempt_keys(resource),
    )
