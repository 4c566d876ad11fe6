"""Tags as each form writes them: a map (`aws`, with `tagsAll` from the provider), a list of
`{key, value}` objects (aws-native, CloudFormation, autoscaling groups). See readers/tags.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import UNKNOWN
from ..values import as_list, as_mapping, is_list, parse_json_document
from ..views.tags import EffectiveTags

TAGS_ALL = "tagsAll"
WITH_DEFAULTS = "tags + provider defaultTags"


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
    return EffectiveTags(values, complete, "tags list")


def tag_map(tags: Any) -> EffectiveTags | None:
    if tags is UNKNOWN:
        return None
    return EffectiveTags({k: v for k, v in as_mapping(tags).items() if isinstance(k, str)})


def provider_default_tags(provider_props: Mapping[str, Any] | None) -> Any:
    """The provider's `defaultTags.tags`: a map, UNKNOWN, or None when there are none. Provider
    inputs that are objects travel JSON-encoded (the SDKs' Provider classes use to_json)."""
    if provider_props is None:
        return None
    default_tags = parse_json_document(provider_props.get("defaultTags"))
    if default_tags is UNKNOWN:
        return UNKNOWN
    tags = as_mapping(default_tags).get("tags")
    return tags if tags is UNKNOWN or isinstance(tags, Mapping) else None


def classic_tags(
    props: Mapping[str, Any], provider_props: Mapping[str, Any] | None = None
) -> EffectiveTags | None:
    """A classic resource's effective tags: `tagsAll` over `tags`. pulumi-aws computes `tagsAll`
    before the policies run only for Terraform SDKv2 resources (provider/tags.go); a Plugin
    Framework resource arrives without it, so then the provider's `defaultTags` are merged here."""
    tags = props.get("tags")
    if "tagsAll" not in props and provider_props is not None:
        return _merged_with_provider_defaults(tags, provider_default_tags(provider_props))
    tags_all = props.get("tagsAll")
    if tags is UNKNOWN:
        # Own tags unknown: they may still add keys to what `tagsAll` shows.
        if isinstance(tags_all, Mapping):
            return EffectiveTags(dict(tags_all), complete=False, source=TAGS_ALL)
        return None
    own = as_mapping(tags)
    if tags_all is UNKNOWN:
        # Own tags win over defaultTags, so their values are final; defaults may add keys.
        return EffectiveTags(dict(own), complete=False)
    if "tagsAll" not in props:
        return EffectiveTags(dict(own))
    # `tagsAll` is the provider's merge and has the last word; `tags` fills keys it lacks.
    return EffectiveTags({**own, **as_mapping(tags_all)}, source=TAGS_ALL)


def _merged_with_provider_defaults(tags: Any, defaults: Any) -> EffectiveTags | None:
    """What pulumi-aws would put in `tagsAll`: defaultTags, then the resource's tags on top."""
    if tags is UNKNOWN:
        return None  # own tags may add keys and override any default value
    own = as_mapping(tags)
    if defaults is UNKNOWN:
        return EffectiveTags(dict(own), complete=False, source=WITH_DEFAULTS)
    return EffectiveTags({**as_mapping(defaults), **own}, source=WITH_DEFAULTS)
