"""Pulumi's wire form of property values (what travels in a protobuf Struct between SDK, engine and
analyzer): conversions and the special signature objects."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2

from policy_preview.model import UNKNOWN_WIRE

# Special-signature key and values, as in pulumi/sdk/python/lib/pulumi/runtime/rpc.py.
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def struct_to_wire(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A Struct as plain JSON-like data; whole-number floats become ints (as in a stack export)."""
    result = normalise_numbers(json_format.MessageToDict(struct))
    return result if isinstance(result, dict) else {}


def wire_to_struct(values: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(values)
    return struct


def normalise_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: normalise_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_numbers(v) for v in value]
    return value


def secret(value: Any) -> dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def contains_unknown(value: Any) -> bool:
    if value == UNKNOWN_WIRE:
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def reveal(value: Any) -> Any:
    """The plain value inside a secret (used only to compute names and tags, never printed)."""
    return value.get("value") if is_secret(value) else value
