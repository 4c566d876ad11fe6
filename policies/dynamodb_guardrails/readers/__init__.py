"""One reader per resource form; each turns wire properties into the views rules read. Readers are
plain functions of a `Resource`, so they read a record expanded from an embedded CloudFormation
template exactly as a resource of the provider whose token it carries.

Tables, alarms, tags and locations:
- `aws_classic`: `aws:dynamodb/table:Table`, `aws:dynamodb/tableReplica:TableReplica`,
  `aws:cloudwatch/metricAlarm:MetricAlarm`;
- `aws_native`: `aws-native:dynamodb:Table`, `aws-native:dynamodb:GlobalTable`,
  `aws-native:cloudwatch:Alarm`;
- `cloudformation`: `aws:cloudformation/stack:Stack`, `aws-native:cloudformation:Stack` - the
  template's resources as aws-native records, read by the aws-native readers;
- `tags`: every taggable type of both providers, and template resources;
- `location`: account and region of a resource, from its ARN, `region` argument and provider;
- `alarm_wire`, `replicas`: what both providers' alarm and table readers share, each provider
  naming only its wire properties.

Permissions: `permissions` (the list of forms that grant them: `iam_classic`, `iam_native`,
`identity_center`, `resource_policies`; `iam_forms` the IAM shapes they share).

`table_views`, `alarm_views` and `tagged_items` are what rules call. A table or alarm inside a
template is reported on the stack that carries the template, named by its logical id; it can be
exempted by the stack's name (all of its template) or by `<stack name>/<logical id>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from ..model import Resource
from ..resource_types import CLOUDFORMATION_HOSTS as HOST_TYPES
from ..resource_types import DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA, METRIC_ALARM
from ..views.alarms import AlarmView
from ..views.location import Location
from ..views.tables import Spelling, TableView
from . import aws_classic, aws_native, tags

if TYPE_CHECKING:
    from .cloudformation import Expansion, TemplateResource

TABLE_TYPES = (
    frozenset({DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA, aws_native.TABLE, aws_native.GLOBAL_TABLE})
    | HOST_TYPES
)
ALARM_TYPES = frozenset({METRIC_ALARM, aws_native.ALARM}) | HOST_TYPES
TAGGED_TYPES = tags.TAGGED_TYPES | HOST_TYPES

# How a template spells what a fix must change (CloudFormation's property names).
_CFN_SPELLING = {
    aws_native.TABLE: Spelling(
        billing="BillingMode",
        capacity="ProvisionedThroughput (also on GlobalSecondaryIndexes)",
        enable_sse="SSESpecification.SSEEnabled to true",
        table_key="SSESpecification.KMSMasterKeyId",
        replica_key="SSESpecification.KMSMasterKeyId",
    ),
    aws_native.GLOBAL_TABLE: Spelling(
        billing="BillingMode",
        capacity="WriteProvisionedThroughputSettings and the replicas' ReadProvisionedThroughputSettings",
        enable_sse="SSESpecification.SSEEnabled to true",
        table_key="Replicas[].SSESpecification.KMSMasterKeyId on every replica",
        replica_key="Replicas[].SSESpecification.KMSMasterKeyId",
    ),
}
_View = TypeVar("_View", TableView, AlarmView)
_TEMPLATE_TAG_FIX = (
    "to the resource's Tags in the template, or to the stack's tags (CloudFormation propagates them)"
)


def template_expansion(resource: Resource) -> Expansion | None:
    """The template a CloudFormation stack carries, read; None for any other resource.
    readers/cloudformation.py (and PyYAML) are imported on first use: the pack starts faster."""
    if resource.type not in HOST_TYPES:
        return None
    from . import cloudformation

    return cloudformation.expand(resource)


def _describe(host: Resource, item: TemplateResource) -> str:
    from . import cloudformation

    return cloudformation.describe(host, item.logical_id, item.cfn_type)


def _template_keys(expansion: Expansion, item: TemplateResource) -> tuple[str, ...]:
    host = expansion.host
    return (host.name, host.urn, f"{host.name}/{item.logical_id}")


def _kind_word(view: TableView) -> str:
    return "Global table" if view.kind == "global-table" else "Table"


def _template_views(
    expansion: Expansion,
    read: Callable[[Resource, Location], list[_View]],
    restate: Callable[[_View, TemplateResource, str], dict[str, Any]],
) -> list[_View]:
    """The views `read` finds in the template, reported on the stack that carries it and exempted
    by its keys; `restate(view, item, described)`: the fields a template spells its own way."""
    return [
        replace(
            view,
            source=expansion.host,
            exempt_keys=_template_keys(expansion, item),
            **restate(view, item, _describe(expansion.host, item)),
        )
        for item in expansion.resources
        for view in read(item.record, expansion.location)
    ]


def _template_tables(expansion: Expansion) -> list[TableView]:
    def restate(view: TableView, item: TemplateResource, described: str) -> dict[str, Any]:
        return {
            "label": f"{_kind_word(view)} {described}",
            "spelling": _CFN_SPELLING.get(item.record.type, view.spelling),
            "match_urns": (item.record.urn, expansion.host.urn),
            "remediable": False,
        }

    return _template_views(expansion, aws_native.table_views, restate)


def _template_alarms(expansion: Expansion) -> list[AlarmView]:
    def restate(view: AlarmView, item: TemplateResource, described: str) -> dict[str, Any]:
        return {
            "label": f"Alarm {described}",
            "actions_property": "AlarmActions",
            "enabled_property": "ActionsEnabled",
        }

    return _template_views(expansion, aws_native.alarm_views, restate)


def table_views(resource: Resource) -> list[TableView]:
    """Every DynamoDB table (or stand-alone replica) the resource declares."""
    if resource.type in (DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA):
        return aws_classic.table_views(resource)
    if resource.type in (aws_native.TABLE, aws_native.GLOBAL_TABLE):
        return aws_native.table_views(resource)
    expansion = template_expansion(resource)
    return _template_tables(expansion) if expansion is not None else []


def alarm_views(resource: Resource) -> list[AlarmView]:
    """Every CloudWatch metric alarm the resource declares."""
    if resource.type == METRIC_ALARM:
        return aws_classic.alarm_views(resource)
    if resource.type == aws_native.ALARM:
        return aws_native.alarm_views(resource)
    expansion = template_expansion(resource)
    return _template_alarms(expansion) if expansion is not None else []


def _host_tags(host: Resource) -> tags.EffectiveTags | None:
    """The tags a stack carries, which CloudFormation propagates to its resources."""
    own = tags.own_tagged_items(host)
    return own[0].tags if own else tags.EffectiveTags()


def tagged_items(resource: Resource) -> list[tags.TaggedItem]:
    """The resource (or its replicas) when it takes tags, and every taggable template resource."""
    items = tags.own_tagged_items(resource)
    expansion = template_expansion(resource)
    if expansion is None:
        return items
    inherited = _host_tags(resource)
    for item in expansion.resources:
        record = item.record
        if record.type not in tags.TAGGED_TYPES:
            continue
        described = _describe(resource, item)
        keys = _template_keys(expansion, item)
        for own in tags.own_tagged_items(replace(record, provider_props=None)):
            effective = own.tags.under(inherited, "the stack's tags") if own.tags is not None else None
            suffix = own.label.removeprefix(f"Resource '{record.name}' ({record.type})")
            items.append(
                tags.TaggedItem(
                    resource,
                    f"Resource {described}{suffix}",
                    (record.type, item.cfn_type),
                    effective,
                    _TEMPLATE_TAG_FIX,
                    keys,
                )
            )
    return items


def stack_views(resource: Resource) -> tuple[list[TableView], list[AlarmView]]:
    """Tables and alarms of one resource, for a stack policy (a template is read once)."""
    if resource.type in HOST_TYPES:
        expansion = template_expansion(resource)
        if expansion is None:
            return [], []
        return _template_tables(expansion), _template_alarms(expansion)
    if resource.type in TABLE_TYPES:
        return table_views(resource), []
    if resource.type in ALARM_TYPES:
        return [], alarm_views(resource)
    return [], []
