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

from ..model import UNKNOWN, Resource
from ..resource_types import DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA, METRIC_ALARM
from ..values import as_bool, as_list, as_mapping
from ..views.alarms import AlarmView
from ..views.tables import AWS_MANAGED, AWS_OWNED, KeyChoice, ReplicaView, Spelling, TableView, named_key
from ..views.tags import EffectiveTags
from .alarm_wire import AlarmWire, alarm_view
from .common import exempt_keys
from .location import resource_location
from .replicas import data_regions, replica_views
from .tag_shapes import classic_tags

SPELLING = Spelling(
    billing="billingMode",
    capacity="readCapacity/writeCapacity",
    enable_sse="serverSideEncryption.enabled to true",
    table_key="serverSideEncryption.kmsKeyArn",
    replica_key="replicas[].kmsKeyArn",
)
# metricQueries[].metric holds the metric and its `stat`; dimensions are a map.
ALARM_WIRE = AlarmWire(queries="metricQueries", stat_block="metric")


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


def _replica_key(entry: Mapping[str, Any]) -> KeyChoice | None:
    return named_key(entry.get("kmsKeyArn"))


def _replicas(props: Mapping[str, Any]) -> tuple[list[ReplicaView], bool]:
    """The `replicas` entries, and whether all of them (and their regions) are known."""
    raw = props.get("replicas")
    if raw is UNKNOWN:
        return [], False
    return replica_views(as_list(raw), "regionName", _replica_key)


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
    regions = data_regions(location.region, *_replicas(props))
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
        exempt_keys=exempt_keys(resource),
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
        regions=data_regions(location.region),
        match_urns=(resource.urn,),
        exempt_keys=exempt_keys(resource),
    )


def table_views(resource: Resource) -> list[TableView]:
    if resource.type == DYNAMODB_TABLE:
        return [_table(resource)]
    if resource.type == DYNAMODB_TABLE_REPLICA:
        return [_table_replica(resource)]
    return []


def alarm_views(resource: Resource) -> list[AlarmView]:
    if resource.type != METRIC_ALARM:
        return []
    props = resource.props
    return [
        alarm_view(
            resource,
            ALARM_WIRE,
            resource_location(resource, region=props.get("region"), arn=props.get("arn")),
        )
    ]
