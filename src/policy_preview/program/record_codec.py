"""ResourceRecord <-> JSON-ready dict (the program worker sends records to its parent this way)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from policy_preview.model import CustomTimeouts, ResourceRecord


def record_to_json(record: ResourceRecord) -> dict[str, Any]:
    # Field by field, not dataclasses.asdict: asdict deep-copies every property map, which is most
    # of the cost for thousands of resources, and json.dumps only reads them.
    return {
        "urn": record.urn,
        "type": record.type,
        "name": record.name,
        "custom": record.custom,
        "inputs": record.inputs,
        "outputs": record.outputs,
        "parent": record.parent,
        "provider": record.provider,
        "dependencies": list(record.dependencies),
        "property_dependencies": {k: list(v) for k, v in record.property_dependencies.items()},
        "protect": record.protect,
        "ignore_changes": list(record.ignore_changes),
        "delete_before_replace": record.delete_before_replace,
        "additional_secret_outputs": list(record.additional_secret_outputs),
        "aliases": list(record.aliases),
        "custom_timeouts": asdict(record.custom_timeouts),
        "source_position": record.source_position,
    }


def record_from_json(data: dict[str, Any]) -> ResourceRecord:
    dbr = data.get("delete_before_replace")
    return ResourceRecord(
        urn=data["urn"],
        type=data["type"],
        name=data["name"],
        custom=bool(data["custom"]),
        inputs=dict(data.get("inputs") or {}),
        outputs=dict(data.get("outputs") or {}),
        parent=data.get("parent"),
        provider=data.get("provider"),
        dependencies=tuple(data.get("dependencies") or ()),
        property_dependencies={k: tuple(v) for k, v in (data.get("property_dependencies") or {}).items()},
        protect=bool(data.get("protect", False)),
        ignore_changes=tuple(data.get("ignore_changes") or ()),
        delete_before_replace=None if dbr is None else bool(dbr),
        additional_secret_outputs=tuple(data.get("additional_secret_outputs") or ()),
        aliases=tuple(data.get("aliases") or ()),
        custom_timeouts=CustomTimeouts(**(data.get("custom_timeouts") or {})),
        source_position=data.get("source_position") or None,
    )
