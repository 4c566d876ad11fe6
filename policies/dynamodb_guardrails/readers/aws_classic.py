"""Readers for the classic `aws` provider (pulumi-aws): Table, TableReplica, MetricAlarm.

Semantics (pulumi-aws 7 / the Terraform provider): an absent `billingMode` is PROVISIONED;
`serverSideEncryption.enabled` false or absent is an AWS-owned key, enabled without `kmsKeyArn`
the AWS-managed key, enabled with one a customer-managed key (or the AWS-managed key again when
it is the `alias/aws/dynamodb` alias). A replica entry names its own key when the table uses a
customer-managed one (KMS keys are regional); without one it inherits the table's type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..alarm_metrics import AlarmShape, MetricRef, Query
from ..cloudwatch_metrics import PERCENT_METRICS
from ..model import UNKNOWN, Resource
from ..resource_types import DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA, METRIC_ALARM
from ..values import as_bool, as_list, as_mapping
from ..views.alarms import AlarmView
from ..views.tables import AWS_MANAGED, AWS_OWNED, KeyChoice, ReplicaView, Spelling, TableView, named_key
from ..views.tags import EffectiveTags
from .location import region_name, resource_location
from .tag_shapes import classic_tags

SPELLING = Spelling(
    billing="billingMode",
    capacity="readCapacity/writeCapacity",
    enable_sse="serverSideEncryption.enabled to true",
    table_key="serverSideEncryption.kmsKeyArn",
    replica_key="replicas[].kmsKeyArn",
)
_ALARM_INPUTS = ("dimensions", "metricQueries", "metricName", "namespace")


def replica_label(region: Any, index: int) -> str:
    shown = region_name(region)
    return f"replica in {shown}" if shown is not None else f"replica #{index + 1}"


def _table_key(props: Mapping[str, Any]) -> KeyChoice | None:
    sse = props.get("serverSideEncryption")
    if sse is UNKNOWN:
        return None
    sse = as_mapping(sse)
    enabled = sse.get("enabled")
    if enabled is UNKNOWN:
        return None
    if as_bool(enabled) is not True:
        return KeyChoice(AWS_OWNED)
    return named_key(sse.get("kmsKeyArn")) or KeyChoice(AWS_MANAGED)


def _replicas(props: Mapping[str, Any]) -> tuple[list[ReplicaView], bool]:
    """The `replicas` entries, and whether all of them (and their regions) are known."""
    raw = props.get("replicas")
    if raw is UNKNOWN:
        return [], False
    replicas: list[ReplicaView] = []
    complete = True
    for index, entry in enumerate(as_list(raw)):
        if not isinstance(entry, Mapping):
            complete = complete and entry is not UNKNOWN
            continue
        region = region_name(entry.get("regionName"))
        complete = complete and region is not None
        replicas.append(ReplicaView(replica_label(region, index), region, named_key(entry.get("kmsKeyArn"))))
    return replicas, complete


class ClassicTable(TableView):
    def key(self) -> KeyChoice | None:
        return _table_key(self.props)

    def replicas(self) -> tuple[ReplicaView, ...]:
        return tuple(_replicas(self.props)[0])

    def tags(self) -> EffectiveTags | None:
        return classic_tags(self.props)


class ClassicTableReplica(TableView):
    def billing(self) -> Any:
        return None  # a replica has its table's billing

    def key(self) -> KeyChoice | None:
        return named_key(self.props.get("kmsKeyArn"))


def _table(resource: Resource) -> TableView:
    props = resource.props
    location = resource_location(resource, region=props.get("region"), arn=props.get("arn"))
    regions: frozenset[str] | None = None
    if location.region is not None:
        replicas, complete = _replicas(props) if props.get("replicas") is not None else ([], True)
        if complete:
            regions = frozenset({location.region, *(r.region for r in replicas if r.region is not None)})
    return ClassicTable(
        source=resource,
        label=f"Table '{resource.name}'",
        kind="table",
        spelling=SPELLING,
        props=props,
        name=props.get("name"),
        location=location,
        regions=regions,
        match_urns=(resource.urn,),
        exempt_keys=(resource.name, resource.urn),
        remediable=True,
    )


def _table_replica(resource: Resource) -> TableView:
    props = resource.props
    location = resource_location(resource, region=props.get("region"), arn=props.get("arn"))
    return ClassicTableReplica(
        source=resource,
        label=f"Table replica '{resource.name}'",
        kind="table-replica",
        spelling=SPELLING,
        props=props,
        location=location,
        regions=frozenset({location.region}) if location.region is not None else None,
        match_urns=(resource.urn,),
        exempt_keys=(resource.name, resource.urn),
    )


def table_views(resource: Resource) -> list[TableView]:
    if resource.type == DYNAMODB_TABLE:
        return [_table(resource)]
    if resource.type == DYNAMODB_TABLE_REPLICA:
        return [_table_replica(resource)]
    return []


def _metric(value: Any, statistic: Any = None) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if not isinstance(value, Mapping):
        return None
    return MetricRef(value.get("namespace"), value.get("metricName"), value.get("dimensions"), statistic)


def percent_statistic(props: Mapping[str, Any], metric: Any) -> Any:
    """The top-level statistic, read only where it matters: it bounds only percentages (readers
    read as few properties as they need; a stack policy reads every alarm)."""
    if not isinstance(metric, str) or metric not in PERCENT_METRICS:  # junk may be unhashable
        return None
    return props.get("statistic") or props.get("extendedStatistic")


def alarm_shape(props: Mapping[str, Any]) -> AlarmShape:
    top = None
    name = props.get("metricName")
    if name is not None or props.get("namespace") is not None:
        top = MetricRef(props.get("namespace"), name, props.get("dimensions"), percent_statistic(props, name))
    raw = props.get("metricQueries")
    queries: Any = UNKNOWN
    if raw is not UNKNOWN:
        items: list[Any] = []
        for index, query in enumerate(as_list(raw)):
            if query is UNKNOWN:
                items.append(UNKNOWN)
                continue
            query = as_mapping(query)
            metric = query.get("metric")
            items.append(
                Query(
                    where=f"metricQueries[{index}]",
                    metric=_metric(metric, as_mapping(metric).get("stat")),
                    expression=query.get("expression"),
                    account=query.get("accountId"),
                    return_data=query.get("returnData"),
                    id=query.get("id"),
                )
            )
        queries = tuple(items)
    return AlarmShape(
        top=top,
        queries=queries,
        queries_where="metricQueries",
        comparison=props.get("comparisonOperator"),
        threshold=props.get("threshold"),
        threshold_metric_id=props.get("thresholdMetricId"),
    )


def alarm_views(resource: Resource) -> list[AlarmView]:
    if resource.type != METRIC_ALARM:
        return []
    props = resource.props
    shape = alarm_shape(props)
    return [
        AlarmView(
            source=resource,
            label=f"Alarm '{resource.name}'",
            shape=shape,
            props=props,
            location=resource_location(resource, region=props.get("region"), arn=props.get("arn")),
            record=resource,
            metric_inputs=_ALARM_INPUTS,
            exempt_keys=(resource.name, resource.urn),
        )
    ]
