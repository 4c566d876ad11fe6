"""Defensive readers over plain property trees.

Policies run inside every deployment of the organisation, so they read properties through
these helpers: a missing key, a null, a wrong type or an unknown value yields a default instead
of an exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .model import UNKNOWN

# Refuse to parse absurdly large policy strings rather than spend seconds on them.
MAX_JSON_CHARS = 1_000_000


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def get_path(tree: Any, *path: str | int, default: Any = None) -> Any:
    """Follow keys/indexes through nested mappings and lists; `default` where the path breaks.

    An unknown on the way is returned as UNKNOWN (the caller decides what unknown means).
    """
    node = tree
    for step in path:
        if node is UNKNOWN:
            return UNKNOWN
        if isinstance(step, str) and isinstance(node, Mapping):
            if step not in node:
                return default
            node = node[step]
        elif isinstance(step, int) and is_list(node):
            if not -len(node) <= step < len(node):
                return default
            node = node[step]
        else:
            return default
    return default if node is None else node


def is_list(value: Any) -> bool:
    """A JSON array: any sequence that is not text or bytes."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def as_list(value: Any) -> list[Any]:
    """IAM and Pulumi accept a single value where a list is expected; normalise to a list."""
    if value is None:
        return []
    if is_list(value):
        return list(value)
    return [value]


def string_items(value: Any) -> list[str]:
    """The strings of a list-valued config entry (anything else in it is ignored)."""
    return [item for item in as_list(value) if isinstance(item, str)]


def as_mapping(value: Any) -> Mapping[str, Any]:
    if type(value) is dict:  # the common case, without the slower ABC check
        return value
    return value if isinstance(value, Mapping) else {}


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_bool(value: Any) -> bool | None:
    """True/False for booleans and their usual string spellings; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def parse_json_document(value: Any) -> Any:
    """A policy document given as a JSON string or as an object; None when it is not JSON.

    UNKNOWN stays UNKNOWN.
    """
    if value is UNKNOWN or isinstance(value, Mapping):
        return value
    if isinstance(value, str):
        if len(value) > MAX_JSON_CHARS:
            return None
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return None
    return None


def safe_display(value: Any, limit: int = 80) -> str:
    """A short, quoted rendering of a value for a message (never the whole of a big value)."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 3] + "..."
