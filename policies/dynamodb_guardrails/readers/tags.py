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

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..aws_native_taggable_types import NATIVE_TAG_LIST_TYPES, NATIVE_TAG_MAP_TYPES
from ..model import UNKNOWN, Resource
from ..taggable_types import TAG_LIST_TYPES, TAGGABLE_TYPES
from ..values import as_list, as_mapping, is_list
from . import aws_native
from .aws_classic import replica_label

CLASSIC_FIX = "to the resource's tags or to the provider's defaultTags"
LIST_FIX = "to the resource's tags list"
NATIVE_FIX = "to the resource's tags or to the aws-native provider's defaultTags"


# Not frozen: views are built for every resource of a stack and frozen dataclasses cost ~7x to build;
# nothing writes to one after its reader made it.
@dataclass(slots=True)
class EffectiveTags:
    """The tags a resource will carry, as far as they are known.

    `values` maps key -> value (UNKNOWN when not known yet). When `complete` is false, keys not
    in `values` may still arrive (from an unknown part), so a missing key cannot be reported.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True

    def under(self, inherited: EffectiveTags | None) -> EffectiveTags:
        """These tags over `inherited` ones (these win on a clash); None: inherited unknown."""
        if inherited is None:
            return EffectiveTags(dict(self.values), complete=False)
        return EffectiveTags(
            {**inherited.values, **self.values}, complete=self.complete and inherited.complete
        )


@dataclass(slots=True)
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


def tag_list(tags: Any) -> EffectiveTags | None:
    """`[{key, value}]` tags; None when the whole list is unknown."""
    if tags is UNKNOWN:
        return None
    values: dict[str, Any] = {}
    complete = True
    for entry in as_list(tags) if is_list(tags) else []:
        if not isinstance(entry, Mapping):
            complete = complete and entry is not UNKNOWN
            continue
        key = entry.get("key")
        if key is UNKNOWN:
            complete = False
        elif isinstance(key, str):
            values[key] = entry.get("value")
    return EffectiveTags(values, complete)


def tag_map(tags: Any) -> EffectiveTags | None:
    if tags is UNKNOWN:
        return None
    return EffectiveTags({k: v for k, v in as_mapping(tags).items() if isinstance(k, str)})


def classic_tags(props: Mapping[str, Any]) -> EffectiveTags | None:
    """A classic resource's effective tags (`tagsAll` over `tags`)."""
    tags = props.get("tags")
    tags_all = props.get("tagsAll")
    if tags is UNKNOWN:
        # Own tags unknown: they may still add keys to what `tagsAll` shows.
        return EffectiveTags(dict(tags_all), complete=False) if isinstance(tags_all, Mapping) else None
    own = as_mapping(tags)
    if tags_all is UNKNOWN:
        # Own tags win over defaultTags, so their values are final; defaults may add keys.
        return EffectiveTags(dict(own), complete=False)
    # `tagsAll` is the provider's merge and has the last word; `tags` fills keys it lacks.
    return EffectiveTags({**own, **as_mapping(tags_all)})


def native_default_tags(provider: Resource | None) -> EffectiveTags | None:
    """The aws-native provider's `defaultTags.tags` (JSON-encoded on the wire); None while unknown."""
    if provider is None:
        return EffectiveTags()
    value = provider.props.get("defaultTags")
    if value is UNKNOWN:
        return None
    if isinstance(value, str) and len(value) < 100_000:
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    tags = as_mapping(value).get("tags")
    if tags is UNKNOWN:
        return None
    # The provider also accepts a bare map of tags (its first format).
    if not isinstance(tags, Mapping) and isinstance(value, Mapping) and "tags" not in value:
        tags = value
    return EffectiveTags(
        {k: v for k, v in as_mapping(tags).items() if isinstance(k, str) and isinstance(v, str)}
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
    tags = None if own is None else own.under(native_default_tags(resource.provider))
    return [TaggedItem(resource, _where(resource), (resource.type,), tags, NATIVE_FIX, keys)]


def own_tagged_items(resource: Resource) -> list[TaggedItem]:
    """The resource itself (or, for a GlobalTable, its replicas) when its type takes tags."""
    keys = (resource.name, resource.urn)
    if resource.type in TAGGABLE_TYPES:
        return [
            TaggedItem(
                resource, _where(resource), (resource.type,), classic_tags(resource.props), CLASSIC_FIX, keys
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
