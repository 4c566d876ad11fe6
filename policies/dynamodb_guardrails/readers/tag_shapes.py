"""Tags as each form writes them: a map (`aws`, with `tagsAll` from the provider), a list of
`{key, value}` objects (aws-native, CloudFormation, autoscaling groups). See readers/tags.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import UNKNOWN
from ..values import as_list, as_mapping, is_list
from ..views.tags import EffectiveTags


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
