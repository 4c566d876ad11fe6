"""The tags a resource will carry, for every form that takes tags.

- Classic `aws`: pulumi-aws merges the provider's `defaultTags` and the resource's own `tags`
  (which win on a clash) into `tagsAll`; so the effective tags are `tagsAll` when it is a map,
  with `tags` filling in keys it lacks. Autoscaling groups take a list of `{key, value}` objects.
- `aws-native`: `tags` is a `[{key, value}]` list (or a map for some types, both generated from
  the pinned SDK); the provider merges its `defaultTags` into `tags` during Check, resource tags
  winning, so the provider's defaults are merged here too (the same result when Check already
  did). A GlobalTable has no tags of its own: each replica carries its `tags`.
- A resource of a CloudFormation template carries its own `Tags` plus the stack's tags, which
  CloudFormation propagates to every resource that supports tags.

During a preview a tag map or a value may be unknown: an unknown value counts as present;
when a part that may add keys is unknown, the tags are `complete=False`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..aws_native_taggable_types import NATIVE_TAG_LIST_TYPES, NATIVE_TAG_MAP_TYPES
from ..model import UNKNOWN, Resource
from ..taggable_types import TAG_LIST_TYPES, TAGGABLE_TYPES
from ..values import as_list, as_mapping, is_list, parse_json_document
from ..views.tags import EffectiveTags
from . import aws_native
from .replicas import replica_label
from .tag_shapes import classic_tags, provider_default_tags, tag_list, tag_map

CLASSIC_FIX = "to the resource's tags or to the provider's defaultTags"
LIST_FIX = "to the resource's tags list"
NATIVE_FIX = "to the resource's tags or to the aws-native provider's defaultTags"


# Plain dataclasses: views are built for every resource of a stack, and frozen ones cost ~7x to
# build (slots ones are built twice at import); nothing writes to one after its reader made it.
@dataclass
class TaggedItem:
    """One thing that must carry the required tags: a resource, a replica, a template resource.

    `types` are the type names `exemptResourceTypes` may list; `tags` is None while nothing
    about them is known; `fix` says where to add a tag.
    """

    source: Resource
    label: str
    types: tuple[str, ...]
    tags: EffectiveTags | None
    fix: str
    exempt_keys: tuple[str, ...]


TAGGED_TYPES = (
    TAGGABLE_TYPES | TAG_LIST_TYPES | NATIVE_TAG_LIST_TYPES | NATIVE_TAG_MAP_TYPES | {aws_native.GLOBAL_TABLE}
)


def native_default_tags(provider_props: Mapping[str, Any] | None) -> EffectiveTags | None:
    """The aws-native provider's `defaultTags.tags`; None while unknown. (The provider also takes
    a bare map of tags, its first format.)"""
    defaults = provider_default_tags(provider_props)
    if defaults is UNKNOWN:
        return None
    if defaults is None and provider_props is not None:
        bare = parse_json_document(provider_props.get("defaultTags"))
        if isinstance(bare, Mapping) and "tags" not in bare:
            defaults = bare
    return EffectiveTags(
        {k: v for k, v in as_mapping(defaults).items() if isinstance(k, str) and isinstance(v, str)}
    )


def native_tags(resource_type: str, props: Mapping[str, Any]) -> EffectiveTags | None:
    """An aws-native resource's own tags, by the shape its type takes them in."""
    if resource_type in NATIVE_TAG_MAP_TYPES:
        return tag_map(props.get("tags"))
    return tag_list(props.get("tags"))


def _where(resource: Resource) -> str:
    return f"Resource '{resource.name}' ({resource.type})"


def _native_items(resource: Resource) -> list[TaggedItem]:
    keys = (resource.name, resource.urn)
    if resource.type == aws_native.GLOBAL_TABLE:
        items = []
        replicas = resource.props.get("replicas")
        for index, entry in enumerate(as_list(replicas) if is_list(replicas) else []):
            if not isinstance(entry, Mapping):
                continue
            label = f"{_where(resource)}, {replica_label(entry.get('region'), index)},"
            tags = tag_list(entry.get("tags"))
            items.append(
                TaggedItem(resource, label, (resource.type,), tags, "to the replica's tags list", keys)
            )
        return items
    own = native_tags(resource.type, resource.props)
    if own is not None and resource.provider_props is not None:
        own = own.under(native_default_tags(resource.provider_props), "provider defaultTags")
    tags = own
    return [TaggedItem(resource, _where(resource), (resource.type,), tags, NATIVE_FIX, keys)]


def own_tagged_items(resource: Resource) -> list[TaggedItem]:
    """The resource itself (or, for a GlobalTable, its replicas) when its type takes tags."""
    keys = (resource.name, resource.urn)
    if resource.type in TAGGABLE_TYPES:
        return [
            TaggedItem(
                resource,
                _where(resource),
                (resource.type,),
                classic_tags(resource.props, resource.provider_props),
                CLASSIC_FIX,
                keys,
            )
        ]
    if resource.type in TAG_LIST_TYPES:
        return [
            TaggedItem(
                resource,
                _where(resource),
                (resource.type,),
                tag_list(resource.props.get("tags")),
                LIST_FIX,
                keys,
            )
        ]
    if (
        resource.type in NATIVE_TAG_LIST_TYPES
        or resource.type in NATIVE_TAG_MAP_TYPES
        or resource.type == aws_native.GLOBAL_TABLE
    ):
        return _native_items(resource)
    return []
