"""Readers for the `aws-native` provider (pulumi-aws-native): dynamodb Table and GlobalTable,
cloudwatch Alarm. Its types are CloudFormation's, with camelCase property names, so the same
readers also read the resources of an embedded CloudFormation template (readers/cloudformation).

CloudFormation semantics (AWS::DynamoDB::Table / GlobalTable, as the pinned SDK documents them):
- an absent `billingMode` is PROVISIONED ("If not specified, the default is PROVISIONED");
- `sseSpecification.sseEnabled` true is KMS with the AWS-managed key unless `kmsMasterKeyId`
  names another ("only provide this parameter if the key is different from the default DynamoDB
  key alias/aws/dynamodb"); false, absent, or no `sseSpecification` at all is an AWS-owned key;
- a GlobalTable enables SSE once for all replicas and names customer-managed keys per replica
  (`replicas[].sseSpecification.kmsMasterKeyId`, required on every replica); AWS-managed and
  customer-managed keys cannot be mixed, so it is customer-managed only when every replica names
  a customer-managed key. Its data lives in every replica's region.
- alarm dimensions are `[{name, value}]` lists; metric queries are `metrics[]` with `metricStat`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..alarm_metrics import AlarmShape, MetricRef, Query
from ..model import UNKNOWN, Resource
from ..resource_types import NATIVE_CLOUDWATCH_ALARM, NATIVE_DYNAMODB_GLOBAL_TABLE, NATIVE_DYNAMODB_TABLE
from ..values import as_bool, as_list, as_mapping, is_list
from ..views.alarms import AlarmView
from ..views.location import Location
from ..views.tables import (
    AWS_MANAGED,
    AWS_OWNED,
    CUSTOMER_MANAGED,
    KeyChoice,
    ReplicaView,
    Spelling,
    TableView,
    named_key,
)
from ..views.tags import EffectiveTags
from .aws_classic import percent_statistic, replica_label
from .location import region_name, resource_location
from .tag_shapes import tag_list

TABLE = NATIVE_DYNAMODB_TABLE
GLOBAL_TABLE = NATIVE_DYNAMODB_GLOBAL_TABLE
ALARM = NATIVE_CLOUDWATCH_ALARM

TABLE_SPELLING = Spelling(
    billing="billingMode",
    capacity="provisionedThroughput (also on globalSecondaryIndexes)",
    enable_sse="sseSpecification.sseEnabled to true",
    table_key="sseSpecification.kmsMasterKeyId",
    replica_key="sseSpecification.kmsMasterKeyId",
)
GLOBAL_TABLE_SPELLING = Spelling(
    billing="billingMode",
    capacity="writeProvisionedThroughputSettings and the replicas' readProvisionedThroughputSettings",
    enable_sse="sseSpecification.sseEnabled to true",
    table_key="replicas[].sseSpecification.kmsMasterKeyId on every replica",
    replica_key="replicas[].sseSpecification.kmsMasterKeyId",
)
_ALARM_INPUTS = ("dimensions", "metrics", "metricName", "namespace")


def _sse_enabled(props: Mapping[str, Any]) -> bool | None:
    """True / False as CloudFormation reads `sseSpecification.sseEnabled`; None while unknown."""
    sse = props.get("sseSpecification")
    if sse is UNKNOWN:
        return None
    enabled = as_mapping(sse).get("sseEnabled")
    if enabled is UNKNOWN:
        return None
    return as_bool(enabled) is True


def _table_key(props: Mapping[str, Any]) -> KeyChoice | None:
    enabled = _sse_enabled(props)
    if enabled is None:
        return None
    if not enabled:
        return KeyChoice(AWS_OWNED)
    return named_key(as_mapping(props.get("sseSpecification")).get("kmsMasterKeyId")) or KeyChoice(
        AWS_MANAGED
    )


class NativeTable(TableView):
    def key(self) -> KeyChoice | None:
        return _table_key(self.props)

    def tags(self) -> EffectiveTags | None:
        return tag_list(self.props.get("tags"))


def _table(resource: Resource, location: Location) -> TableView:
    return NativeTable(
        source=resource,
        label=f"Table '{resource.name}'",
        kind="table",
        spelling=TABLE_SPELLING,
        props=resource.props,
        name=resource.props.get("tableName"),
        location=location,
        regions=frozenset({location.region}) if location.region is not None else None,
        match_urns=(resource.urn,),
        exempt_keys=(resource.name, resource.urn),
        remediable=True,
    )


def _replica_key(entry: Mapping[str, Any]) -> KeyChoice | None:
    sse = entry.get("sseSpecification")
    if sse is UNKNOWN:
        return KeyChoice(CUSTOMER_MANAGED, UNKNOWN)
    return named_key(as_mapping(sse).get("kmsMasterKeyId"))


def _replicas(props: Mapping[str, Any]) -> tuple[list[ReplicaView], bool]:
    """The replicas, and whether all of them (and their regions) are known."""
    raw = props.get("replicas")
    if raw is UNKNOWN or not is_list(raw):
        return [], False
    replicas: list[ReplicaView] = []
    complete = True
    for index, entry in enumerate(as_list(raw)):
        if not isinstance(entry, Mapping):
            complete = complete and entry is not UNKNOWN
            continue
        region = region_name(entry.get("region"))
        complete = complete and region is not None
        replicas.append(ReplicaView(replica_label(region, index), region, _replica_key(entry)))
    return replicas, complete


class NativeGlobalTable(TableView):
    def replicas(self) -> tuple[ReplicaView, ...]:
        return tuple(_replicas(self.props)[0])

    def key(self) -> KeyChoice | None:
        enabled = _sse_enabled(self.props)
        if enabled is None:
            return None
        if not enabled:
            return KeyChoice(AWS_OWNED)
        raw = self.props.get("replicas")
        replicas = self.replicas()
        if (
            raw is UNKNOWN
            or any(entry is UNKNOWN for entry in as_list(raw))
            or any(r.key is not None and r.key.key is UNKNOWN for r in replicas)
        ):
            return None  # which keys the replicas name is not known yet
        if replicas and all(r.key is not None and r.key.level == CUSTOMER_MANAGED for r in replicas):
            return KeyChoice(CUSTOMER_MANAGED)
        return KeyChoice(AWS_MANAGED)


def _global_table(resource: Resource, location: Location) -> TableView:
    replicas, complete = _replicas(resource.props)
    regions: set[str] | None = None
    if complete:
        regions = {r.region for r in replicas if r.region is not None}
        if location.region is not None:
            regions.add(location.region)
    return NativeGlobalTable(
        source=resource,
        label=f"Global table '{resource.name}'",
        kind="global-table",
        spelling=GLOBAL_TABLE_SPELLING,
        props=resource.props,
        name=resource.props.get("tableName"),
        location=location,
        regions=frozenset(regions) if regions is not None else None,
        match_urns=(resource.urn,),
        exempt_keys=(resource.name, resource.urn),
    )


def table_views(resource: Resource, location: Location | None = None) -> list[TableView]:
    """`location`: where the table lives when not its provider's (a CloudFormation stack's)."""
    if resource.type not in (TABLE, GLOBAL_TABLE):
        return []
    where = location or resource_location(resource, arn=resource.props.get("arn"))
    if resource.type == TABLE:
        return [_table(resource, where)]
    return [_global_table(resource, where)]


def dimension_map(value: Any) -> Any:
    """`[{name, value}]` as a map name -> value; UNKNOWN when a name is not known yet."""
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, Mapping):
        return value
    dims: dict[str, Any] = {}
    for entry in as_list(value) if is_list(value) else []:
        if entry is UNKNOWN:
            return UNKNOWN
        entry = as_mapping(entry)
        name = entry.get("name")
        if name is UNKNOWN:
            return UNKNOWN
        if isinstance(name, str):
            dims[name] = entry.get("value")
    return dims


def _metric_stat(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if not isinstance(value, Mapping):
        return None
    metric = value.get("metric")
    if metric is UNKNOWN:
        return UNKNOWN
    if not isinstance(metric, Mapping):
        return None
    dims = dimension_map(metric.get("dimensions"))
    return MetricRef(metric.get("namespace"), metric.get("metricName"), dims, value.get("stat"))


def alarm_shape(props: Mapping[str, Any]) -> AlarmShape:
    top = None
    name = props.get("metricName")
    if name is not None or props.get("namespace") is not None:
        statistic = percent_statistic(props, name)
        top = MetricRef(props.get("namespace"), name, dimension_map(props.get("dimensions")), statistic)
    raw = props.get("metrics")
    queries: Any = UNKNOWN
    if raw is not UNKNOWN:
        items: list[Any] = []
        for index, query in enumerate(as_list(raw)):
            if query is UNKNOWN:
                items.append(UNKNOWN)
                continue
            query = as_mapping(query)
            items.append(
                Query(
                    where=f"metrics[{index}]",
                    metric_property="metricStat.metric",
                    metric=_metric_stat(query.get("metricStat")),
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
        queries_where="metrics",
        comparison=props.get("comparisonOperator"),
        threshold=props.get("threshold"),
        threshold_metric_id=props.get("thresholdMetricId"),
    )


def alarm_views(resource: Resource, location: Location | None = None) -> list[AlarmView]:
    if resource.type != ALARM:
        return []
    props = resource.props
    shape = alarm_shape(props)
    return [
        AlarmView(
            source=resource,
            label=f"Alarm '{resource.name}'",
            shape=shape,
            props=props,
            location=location or resource_location(resource, arn=props.get("arn")),
            record=resource,
            metric_inputs=_ALARM_INPUTS,
            exempt_keys=(resource.name, resource.urn),
        )
    ]
