"""Policy configuration: schema defaults merged with what `--policy-pack-config` sets.

The CLI validates config against each policy's schema, but the pack must not crash if an older
CLI, a hand-written config or a test sends something else: a value of the wrong JSON type is
replaced by the schema default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (Mapping,),
    "integer": (int,),
    "number": (int, float),
}


def _matches(schema: Mapping[str, Any], value: Any) -> bool:
    expected = schema.get("type")
    if expected is None:
        return True
    kinds = _JSON_TYPES.get(expected, (object,))
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    return isinstance(value, kinds)


def resolve_config(schema: Mapping[str, Any], given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every key of `schema` with the given value when it has the right type, else the default."""
    given = given if isinstance(given, Mapping) else {}
    resolved: dict[str, Any] = {}
    for key, prop in schema.items():
        value = given.get(key, prop.get("default"))
        # protobuf Structs carry every number as a float.
        if prop.get("type") == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        resolved[key] = value if _matches(prop, value) else prop.get("default")
    return resolved


def defaults(schema: Mapping[str, Any]) -> dict[str, Any]:
    return resolve_config(schema, None)
