"""What a bridged provider's `Check` adds to a resource's inputs before the engine hands them to a
policy pack (pkg/resource/deploy/step_generator.go sends the *checked* inputs to analyzers):

- auto-naming: a resource with an input property `name` that the program left out gets
  `<logical name>-<7 hex chars>` (pulumi-aws provider/autonaming.go, tfbridge.AutoName(.., "-"));
- `tagsAll`, only for types built on the Terraform SDKv2 (pulumi-aws provider/tags.go: "only
  process sdkv2 resources"; Plugin Framework types, plugin_framework_types.py, get none before
  the policies run): the provider's `defaultTags.tags` merged with the resource's `tags`, resource
  tags winning, minus the provider's `ignoreTags` keys and key prefixes; unknown if the tags or
  any value of the provider's config is unknown; `{}` when there are none.

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
from policy_preview.program.plugin_framework_types import PLUGIN_FRAMEWORK_TYPES
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
    if shape.has_tags_input and shape.has_tags_all_output and type_token not in PLUGIN_FRAMEWORK_TYPES:
        result["tagsAll"] = merged_tags(result.get("tags"), provider_config)
    return result


def auto_name(logical_name: str, urn: str) -> str:
    # Pulumi uses 7 random hex chars; ours derive from the URN so runs are reproducible.
    return f"{logical_name}-{hashlib.sha256(urn.encode()).hexdigest()[:7]}"


def merged_tags(tags: Any, provider_config: Mapping[str, Any]) -> Any:
    """`tagsAll` as pulumi-aws's applyTags computes it from the tags and the provider's config."""
    tags = reveal(tags)
    # mergeTags: any unknown in the provider's config (not only in defaultTags) or the tags.
    if contains_unknown(tags) or contains_unknown(dict(provider_config)):
        return UNKNOWN_WIRE
    default_tags = _config_object(provider_config.get("defaultTags"))
    ignore_tags = _config_object(provider_config.get("ignoreTags"))
    merged: dict[str, Any] = {}
    if isinstance(default_tags.get("tags"), dict):
        merged.update(default_tags["tags"])
    if isinstance(tags, dict):
        merged.update(tags)
    ignored_keys = _strings(ignore_tags.get("keys"))
    prefixes = _strings(ignore_tags.get("keyPrefixes"))
    return {
        key: value
        for key, value in merged.items()
        if key not in ignored_keys and not any(key.startswith(prefix) for prefix in prefixes)
    }


def _config_object(value: Any) -> dict[str, Any]:
    """A provider input object: provider inputs that are objects travel JSON-encoded (the SDKs'
    Provider classes use to_json; stack config holds them as JSON text)."""
    value = reveal(value)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str))


def _is_property(cls: Any, attribute: str) -> bool:
    return cls is not None and isinstance(getattr(cls, attribute, None), property)
