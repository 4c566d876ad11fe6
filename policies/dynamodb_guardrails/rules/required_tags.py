"""required-tags: every taggable AWS resource carries the organisation's tags, with allowed values.

## What it checks
Every resource of a taggable AWS type carries each key of `requiredTags` with a non-empty value,
and, for keys listed in `allowedValues`, one of the listed values. Taggable means: the pinned
pulumi-aws {{pulumi_aws_version}} SDK gives the type a `tags` map ({{taggable_types}} types,
generated into `taggable_types.py`) or a list of `{key, value}` tags ({{tag_list_types}} more, such
as autoscaling groups).

The tags a resource ends up with: pulumi-aws merges the provider's `defaultTags` and the
resource's own `tags` (which win on a clash) into `tagsAll`; so the effective tags are `tagsAll`
when it is a map, with `tags` filling in keys it lacks. pulumi-aws computes `tagsAll` before the
policies run only for resources built on the Terraform SDKv2 (provider/tags.go); a Plugin Framework
resource arrives without it, so then the rule merges the provider's `defaultTags` (the policy SDK
hands a resource policy its provider) with `tags` itself, and says so in the message. Without a
provider, `tags` alone count. Keys are case-sensitive (a key that exists only in another casing is
pointed out); an empty or whitespace-only value counts as missing.
Messages name the missing keys but never echo tag values, which may be secret.

## Why
Cost allocation, ownership and incident routing all read these tags: an untagged resource is
paid for by nobody and paged to nobody.

## Example
```python
import pulumi_aws as aws

aws.sns.Topic("alerts", tags={"Team": "data"})
```

## Use instead
```python
import pulumi_aws as aws

aws.sns.Topic(
    "alerts",
    tags={"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"},
)
```
Or set the tags once for the whole stack with the AWS provider's `default_tags`.

## During preview
A tag map or a tag value may be unknown in a preview. An unknown value counts as present (and is
not checked against `allowedValues`); when `tagsAll` is unknown, keys missing from `tags` may still
come from the provider, so only known values are judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..exemptions import exemption_schema, is_exempt
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..rule import ResourceRule
from ..taggable_types import PULUMI_AWS_VERSION, TAG_LIST_TYPES, TAGGABLE_TYPES
from ..values import as_list, as_mapping, is_list, parse_json_document, string_items

DEFAULT_REQUIRED_TAGS = ("Environment", "Repository", "Team", "CostCenter")

META = PolicyMeta(
    name="required-tags",
    description="Every taggable AWS resource must carry the required tags (non-empty), with allowed values "
    "where the policy lists them.",
    severity="medium",
    enforcement_level="mandatory",
    remediation_steps=(
        "Add the missing tags to the resource's `tags`, or to the AWS provider's `defaultTags` to tag every "
        "resource of the stack at once. Tag keys are case-sensitive and values must not be empty. To exempt "
        "a resource, add it with a reason to `exemptions`, or its type to `exemptResourceTypes`."
    ),
    url="https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html",
    config_schema={
        "requiredTags": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(DEFAULT_REQUIRED_TAGS),
            "description": "Tag keys (case-sensitive) every taggable resource must carry, "
            "each with a non-empty value.",
        },
        "allowedValues": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "default": {},
            "description": 'Tag key -> the values it may take, e.g. {"Environment": ["dev", "prod"]}; '
            "keys not listed may take any non-empty value.",
        },
        **exemption_schema("resources the policy skips"),
        "exemptResourceTypes": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "Pulumi type tokens (e.g. aws:s3/bucketObject:BucketObject) the policy skips.",
        },
    },
    resource_types=TAGGABLE_TYPES | TAG_LIST_TYPES,
    tags=("cost", "governance"),
)


@dataclass(frozen=True)
class EffectiveTags:
    """The tags a resource will carry, as far as they are known.

    `values` maps key -> value (UNKNOWN when not known yet). When `complete` is false, keys not
    in `values` may still arrive (from an unknown map), so a missing key cannot be reported.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True
    # Where they come from, as a message names it.
    source: str = "tags"


TAGS_ALL = "tagsAll"
WITH_DEFAULTS = "tags + provider defaultTags"


def _from_tag_list(tags: Any) -> EffectiveTags | None:
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


def effective_tags(resource: Resource) -> EffectiveTags | None:
    """The resource's effective tags; None when nothing about them is known yet."""
    props = resource.props
    tags = props.get("tags")
    if resource.type in TAG_LIST_TYPES:
        return _from_tag_list(tags)
    if "tagsAll" not in props and resource.provider_props is not None:
        return _merged_with_provider_defaults(tags, provider_default_tags(resource.provider_props))
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


def usable(value: Any) -> bool:
    """A value that counts as present: unknown, or non-empty after trimming."""
    if value is UNKNOWN:
        return True
    if isinstance(value, str):
        return bool(value.strip())
    # Numbers and booleans become strings on the wire; null, maps and lists are no value.
    return isinstance(value, int | float)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _exempt(resource: Resource, config: Mapping[str, Any]) -> bool:
    return is_exempt(resource, config) or resource.type in string_items(config.get("exemptResourceTypes"))


def _quoted(keys: list[str]) -> str:
    return ", ".join(f"'{key}'" for key in keys)


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.type not in TAGGABLE_TYPES and resource.type not in TAG_LIST_TYPES:
        return []
    if _exempt(resource, config):
        return []
    tags = effective_tags(resource)
    if tags is None:
        return []  # the whole tag map is unknown during preview: judged on the update
    required = list(dict.fromkeys(key for key in string_items(config.get("requiredTags")) if key))
    # An empty list restricts nothing (like a key that is not listed).
    allowed = {
        key: set(string_items(values))
        for key, values in as_mapping(config.get("allowedValues")).items()
        if string_items(values)
    }

    missing = [key for key in required if not usable(tags.values.get(key))]
    if not tags.complete:
        # A key absent from what is known may still come from the unknown part.
        missing = [key for key in missing if key in tags.values]
    disallowed = [
        key
        for key, values in allowed.items()
        if isinstance(tags.values.get(key), str | int | float)
        and usable(tags.values[key])
        and _as_text(tags.values[key]) not in values
    ]

    found: list[Violation] = []
    where = f"Resource '{resource.name}' ({resource.type})"
    if missing:
        hints = _case_hints(missing, tags.values)
        # defaultTags reach every type with a `tags` map, but not the list-shaped ones.
        fix = (
            "to the resource's tags list"
            if resource.type in TAG_LIST_TYPES
            else "to the resource's tags or to the provider's defaultTags"
        )
        found.append(
            Violation(
                f"{where} is missing required tag(s) {_quoted(missing)} (absent or empty in "
                f"{tags.source}{hints}). "
                f"Add them {fix}, with non-empty values."
            )
        )
    if disallowed:
        found.append(
            Violation(
                f"{where} has tag(s) {_quoted(disallowed)} with a value the policy does not allow. Use one "
                "of the values listed for each key in the policy's allowedValues config."
            )
        )
    return found


def _case_hints(missing: list[str], present: Mapping[str, Any]) -> str:
    """Point at keys that differ only in case: tag keys are case-sensitive. Only config keys are named."""
    folded = {key.casefold() for key in present if isinstance(key, str)}
    near = [key for key in missing if key not in present and key.casefold() in folded]
    return f"; tag keys are case-sensitive and {_quoted(near)} only exist with other casing" if near else ""


RULE = ResourceRule(
    meta=META,
    check=check,
    doc=__doc__,
    facts={
        "pulumi_aws_version": PULUMI_AWS_VERSION,
        "taggable_types": len(TAGGABLE_TYPES),
        "tag_list_types": len(TAG_LIST_TYPES),
    },
)
