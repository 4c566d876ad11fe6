"""What a bridged provider's `Check` adds to a resource's inputs before the engine hands them to a
policy pack (pkg/resource/deploy/step_generator.go sends the *checked* inputs to analyzers):

- auto-naming: a resource with an input property `name` that the program left out gets
  `<logical name>-<7 hex chars>` (pulumi-aws provider/autonaming.go, tfbridge.AutoName(.., "-"));
- `tagsAll`: the provider's `defaultTags.tags` merged with the resource's `tags`, resource tags
  winning; unknown if either is unknown; `{}` when there are none (pulumi-aws provider/tags.go).

Which types have `name`/`tags`/`tags_all` is read from the program's own SDK classes, so every
type of the installed pulumi-aws is covered without a hand-kept list.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policy_preview.model import UNKNOWN_WIRE
from policy_preview.wire import contains_unknown, reveal

# Packages whose bridged provider applies these Check rules.
BRIDGED_TAGGING_PACKAGES = frozenset({"aws"})


@dataclass(frozen=True)
class TypeShape:
    """Which inputs/outputs the SDK declares for a resource type."""

    has_name_input: bool = False
    has_tags_input: bool = False
    has_tags_all_output: bool = False


def type_shape(type_token: str) -> TypeShape:
    """Look the type up in its Python SDK (`aws:dynamodb/table:Table` -> pulumi_aws.dynamodb.Table)."""
    try:
        package, module_path, class_name = type_token.split(":")
    except ValueError:
        return TypeShape()
    module_name = f"pulumi_{package.replace('-', '_')}"
    top_module = module_path.split("/")[0]
    if top_module != "index":
        module_name += f".{top_module}"
    try:
        module = importlib.import_module(module_name)
        resource_cls = getattr(module, class_name, None)
        args_cls = getattr(module, f"{class_name}Args", None)
    except Exception:  # noqa: BLE001 - an SDK we cannot introspect just gets no Check emulation
        return TypeShape()
    return TypeShape(
        has_name_input=_is_property(args_cls, "name"),
        has_tags_input=_is_property(args_cls, "tags"),
        has_tags_all_output=_is_property(resource_cls, "tags_all"),
    )


def checked_inputs(
    type_token: str,
    urn: str,
    name: str,
    inputs: Mapping[str, Any],
    provider_config: Mapping[str, Any],
) -> dict[str, Any]:
    """`inputs` as the provider's Check would return them (wire form in, wire form out)."""
    result = dict(inputs)
    if not type_token.startswith("aws:"):
        return result
    shape = type_shape(type_token)
    if shape.has_name_input and result.get("name") is None and result.get("namePrefix") is None:
        result["name"] = auto_name(name, urn)
    if shape.has_tags_input and shape.has_tags_all_output:
        result["tagsAll"] = merged_tags(result.get("tags"), provider_config.get("defaultTags"))
    return result


def auto_name(logical_name: str, urn: str) -> str:
    # Pulumi uses 7 random hex chars; ours derive from the URN so runs are reproducible.
    return f"{logical_name}-{hashlib.sha256(urn.encode()).hexdigest()[:7]}"


def merged_tags(tags: Any, default_tags: Any) -> Any:
    tags, default_tags = reveal(tags), reveal(default_tags)
    if contains_unknown(tags) or contains_unknown(default_tags):
        return UNKNOWN_WIRE
    if isinstance(default_tags, str):
        # Provider inputs that are objects travel JSON-encoded (pulumi-aws Provider uses to_json).
        try:
            default_tags = json.loads(default_tags)
        except ValueError:
            default_tags = None
    merged: dict[str, Any] = {}
    if isinstance(default_tags, dict) and isinstance(default_tags.get("tags"), dict):
        merged.update(default_tags["tags"])
    if isinstance(tags, dict):
        merged.update(tags)
    return merged


def _is_property(cls: Any, attribute: str) -> bool:
    return cls is not None and isinstance(getattr(cls, attribute, None), property)
