"""required-tags: every taggable AWS resource carries the organisation's tags, with allowed values.

Which tags a resource ends up with is read by readers/tags.py, for every taggable type of the
`aws` provider, of the `aws-native` provider and for every resource of an embedded CloudFormation
template:
- `aws`: pulumi-aws merges the provider's `defaultTags` and the resource's own `tags` (which win on
  a clash) into `tagsAll`; so the effective tags are `tagsAll` when it is a map, with `tags` filling
  in keys it lacks. pulumi-aws computes `tagsAll` before the policies run only for resources built
  on the Terraform SDKv2 (provider/tags.go); a Plugin Framework resource arrives without it, so
  then the provider's `defaultTags` (the policy SDK hands a resource policy its provider) are merged
  with `tags`, and the message says so. Without a provider, `tags` alone count. Autoscaling groups
  take `tags` as a list of `{key, value}` objects.
- `aws-native`: `[{key, value}]` tags (a map for some types) plus the provider's `defaultTags`; a
  GlobalTable's tags are on its replicas.
- a template's resource: its `Tags` plus the stack's, which CloudFormation propagates.
Keys are case-sensitive; an empty or whitespace-only value counts as missing.

During a preview a tag map or a value may be unknown: an unknown value counts as present (and
is not checked against the allowed values); when `tagsAll` is unknown, keys missing from `tags`
may still come from the provider, so only known values are judged. Tag values are never echoed
in a message (they may be secret); keys from the policy config are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exemptions import exemption_schema, is_exempt_view
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..readers import TAGGED_TYPES, tagged_items
from ..readers.tags import TaggedItem
from ..values import as_mapping, string_items

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
            "description": "Pulumi type tokens (e.g. aws:s3/bucketObject:BucketObject, "
            "aws-native:s3:Bucket) the policy skips; CloudFormation types (AWS::S3::Bucket) skip those "
            "resources of embedded templates.",
        },
    },
    resource_types=TAGGED_TYPES,
    tags=("cost", "governance"),
)


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


def _exempt(item: TaggedItem, config: Mapping[str, Any]) -> bool:
    skipped = string_items(config.get("exemptResourceTypes"))
    return is_exempt_view(item.exempt_keys, config) or any(kind in skipped for kind in item.types)


def _quoted(keys: list[str]) -> str:
    return ", ".join(f"'{key}'" for key in keys)


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    found: list[Violation] = []
    for item in tagged_items(resource):
        if not _exempt(item, config):
            found += _check_item(item, config)
    return found


def _check_item(item: TaggedItem, config: Mapping[str, Any]) -> list[Violation]:
    tags = item.tags
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
    where = item.label
    if missing:
        hints = _case_hints(missing, tags.values)
        found.append(
            Violation(
                f"{where} is missing required tag(s) {_quoted(missing)} (absent or empty in "
                f"{tags.source}{hints}). "
                f"Add them {item.fix}, with non-empty values."
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
