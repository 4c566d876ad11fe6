"""Readers for the classic `aws` provider (pulumi-aws): Table, TableReplica, MetricAlarm.

Semantics (pulumi-aws 7 / the Terraform provider): an absent `billingMode` is PROVISIONED;
`serverSideEncryption.enabled` false or absent is an AWS-owned key, enabled without `kmsKeyArn`
the AWS-managed key, enabled with one a customer-managed key (or the AWS-managed key again when
it is the `alias/aws/dynamodb` alias). A replica entry names its own key when the table uses a
customer-managed one (KMS keys are regional); without one it inherits the table's type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..alarm_metrics import AlarmShape, MetricRef, Query
from ..model import UNKNOWN, Resource
from ..resource_types import DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA, METRIC_ALARM
from ..values import as_bool, as_list, as_mapping
from ..views.alarms import AlarmView
from ..views.tables import AWS_MANAGED, AWS_OWNED, KeyChoice, ReplicaView, Spelling, TableView, named_key
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


def _table(resource: Resource) -> TableView:
    props = resource.props
    location = resource_location(resource, region=props.get("region"), arn=props.get("arn"))
    raw_replicas = props.get("replicas")
    replicas: list[ReplicaView] = []
    regions: set[str] | None = {location.region} if location.region is not None else None
    if raw_replicas is UNKNOWN:
        regions = None
    for index, entry in enumerate(as_list(raw_replicas) if raw_replicas is not UNKNOWN else []):
        if not isinstance(entry, Mapping):
            regions = None if entry is UNKNOWN else regions
            continue
        region = region_name(entry.get("regionName"))
        replicas.append(ReplicaView(replica_label(region, index), region, named_key(entry.get("kmsKeyArn"))))
        if regions is not None:
            if region is None:
                regions = None
            else:
                regions.add(region)
    return TableView(
        source=resource,
        label=f"Table '{resource.name}'",
        kind="table",
        spelling=SPELLING,
        name=props.get("name"),
        billing=props.get("billingMode"),
        key=_table_key(props),
        replicas=tuple(replicas),
        tags=classic_tags(props),
        location=location,
        regions=frozenset(regions) if regions is not None else None,
        match_urns=(resource.urn,),
        exempt_keys=(resource.name, resource.urn),
        remediable=True,
    )


def _table_replica(resource: Resource) -> TableView:
    props = resource.props
    location = resource_location(resource, region=props.get("region"), arn=props.get("arn"))
    return TableView(
        source=resource,
        label=f"Table replica '{resource.name}'",
        kind="table-replica",
        spelling=SPELLING,
        key=named_key(props.get("kmsKeyArn")),
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


def alarm_shape(props: Mapping[str, Any]) -> AlarmShape:
    top = None
    if props.get("metricName") is not None or props.get("namespace") is not None:
        statistic = props.get("statistic") or props.get("extendedStatistic")
        top = MetricRef(props.get("namespace"), props.get("metricName"), props.get("dimensions"), statistic)
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


def metric_dependencies(alarm: Resource, inputs: Iterable[str]) -> tuple[str, ...]:
    """URNs the alarm's metric inputs come from; all its dependencies when those are not recorded."""
    by_input = [urn for key in inputs for urn in alarm.property_dependencies.get(key, ())]
    return tuple(by_input) or alarm.dependencies


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
            actions_enabled=as_bool(props.get("actionsEnabled")),
            actions=props.get("alarmActions"),
            location=resource_location(resource, region=props.get("region"), arn=props.get("arn")),
            depends_on=metric_dependencies(resource, _ALARM_INPUTS),
            exempt_keys=(resource.name, resource.urn),
        )
    ]
