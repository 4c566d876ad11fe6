"""ResourceRecord <-> JSON-ready dict (the program worker sends records to its parent this way)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from policy_preview.model import ResourceRecord


def record_to_json(record: ResourceRecord) -> dict[str, Any]:
    data = asdict(record)
    data["dependencies"] = list(record.dependencies)
    data["property_dependencies"] = {k: list(v) for k, v in record.property_dependencies.items()}
    return data


def record_from_json(data: dict[str, Any]) -> ResourceRecord:
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
        source_position=data.get("source_position") or None,
    )
