"""`exemptResources`: the one way every policy lets an organisation skip named resources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .model import Resource
from .values import string_items

CONFIG_KEY = "exemptResources"


def exempt_resources_schema(what: str) -> dict[str, Any]:
    """The config-schema entry; `what` says which resources the policy would skip."""
    return {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": f"Logical names (or URNs) of {what}. A resource inside an embedded "
        "CloudFormation template is `<stack logical name>/<template logical id>`; the stack's own "
        "name exempts its whole template.",
    }


def exempt_names(config: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(string_items(config.get(CONFIG_KEY)))


def is_exempt(resource: Resource, config: Mapping[str, Any]) -> bool:
    names = exempt_names(config)
    return resource.name in names or resource.urn in names


def is_exempt_view(keys: Iterable[str], config: Mapping[str, Any]) -> bool:
    """Whether a view is exempt: any of the names it can be listed under (readers set them; a
    resource inside a CloudFormation template also has `<stack name>/<logical id>`)."""
    names = exempt_names(config)
    return any(key in names for key in keys)
