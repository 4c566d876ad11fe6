"""required-tags: every taggable AWS resource carries the organisation's tags, with allowed values.

## What it checks
Every resource of a taggable AWS type carries each key of `requiredTags` with a non-empty value,
and, for keys listed in `allowedValues`, one of the listed values. Taggable means: the pinned
pulumi-aws {{pulumi_aws_version}} SDK gives the type a `tags` map ({{taggable_types}} types,
generated into `taggable_types.py`) or a list of `{key, value}` tags ({{tag_list_types}} more, such
as autoscaling groups); or the pulumi-aws-native {{pulumi_aws_native_version}} SDK (pinned for tests)
gives the type `tags` ({{native_taggable_types}} types, generated into
`aws_native_taggable_types.py`): a `[{key, value}]` list for most, a map for some, plus the
aws-native provider's `defaultTags`; a `aws-native:dynamodb:GlobalTable` carries its tags on each
replica. Every resource of an embedded CloudFormation template of such a type is judged too, with
its own `Tags` plus the stack's tags, which CloudFormation propagates to its resources.

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
from typing import Any

from ..aws_native_taggable_types import NATIVE_TAG_LIST_TYPES, NATIVE_TAG_MAP_TYPES, PULUMI_AWS_NATIVE_VERSION
from ..exemptions import exemption_schema, is_exempt_view
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..readers import TAGGED_TYPES, tagged_items
from ..readers.tags import TaggedItem
from ..rule import ResourceRule
from ..taggable_types import PULUMI_AWS_VERSION, TAG_LIST_TYPES, TAGGABLE_TYPES
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


RULE = ResourceRule(
    meta=META,
    check=check,
    doc=__doc__,
    facts={
        "pulumi_aws_version": PULUMI_AWS_VERSION,
        "taggable_types": len(TAGGABLE_TYPES),
        "tag_list_types": len(TAG_LIST_TYPES),
        "pulumi_aws_native_version": PULUMI_AWS_NATIVE_VERSION,
        "native_taggable_types": len(NATIVE_TAG_LIST_TYPES | NATIVE_TAG_MAP_TYPES),
    },
)
