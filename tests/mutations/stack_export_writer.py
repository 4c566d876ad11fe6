"""Write resources recorded by a program run as the file `pulumi stack export` writes after
`pulumi up`: an apitype.UntypedDeployment with a DeploymentV3 (pulumi/pulumi
sdk/go/common/apitype/core.go: ResourceV3 fields urn, custom, id, type, inputs, outputs, parent,
provider, dependencies, propertyDependencies, protect, sourcePosition). The preview package only
reads exports, so the writer lives with the tests that need it.

Secrets are written the way `--show-secrets` writes them (`plaintext`: the value as JSON), since we
cannot encrypt; a record with an unknown value cannot have come from a deployed stack and is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.urns import split_provider_ref
from policy_preview.wire import SECRET_SIG, SIG_KEY

MANIFEST = {
    "time": "2026-01-01T00:00:00.000000000Z",
    "magic": "0000000000000000000000000000000000000000000000000000000000000000",
    "version": "v3.272.0",
}


def stack_export(records: Sequence[ResourceRecord]) -> dict[str, Any]:
    # A provider's id is only in the references to it ("<provider urn>::<id>").
    provider_ids = dict(split_provider_ref(r.provider) for r in records if r.provider)
    resources = [_resource(r, provider_ids.get(r.urn)) for r in records]
    return {"version": 3, "deployment": {"manifest": MANIFEST, "resources": resources}}


def _resource(record: ResourceRecord, provider_id: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {"urn": record.urn, "custom": record.custom, "type": record.type}
    if record.custom:
        resource["id"] = _state_value(provider_id or record.outputs.get("id", ""), record.urn)
    resource["inputs"] = {k: _state_value(v, record.urn) for k, v in record.inputs.items()}
    # Bridged providers (pulumi-aws) repeat the id among the outputs; the records keep it there too.
    resource["outputs"] = {k: _state_value(v, record.urn) for k, v in record.outputs.items()}
    if record.parent:
        resource["parent"] = record.parent
    if record.protect:
        resource["protect"] = True
    if record.provider:
        resource["provider"] = record.provider
    if record.dependencies:
        resource["dependencies"] = list(record.dependencies)
    if (
        record.property_dependencies
    ):  # every input property, most with no dependency, as the engine keeps them
        resource["propertyDependencies"] = {k: list(v) for k, v in record.property_dependencies.items()}
    if record.source_position:
        resource["sourcePosition"] = record.source_position
    return resource


def _state_value(value: Any, urn: str) -> Any:
    if value == UNKNOWN_WIRE:
        raise ValueError(f"{urn}: an unknown value cannot be in a deployed stack; record in update mode")
    if isinstance(value, list):
        return [_state_value(v, urn) for v in value]
    if isinstance(value, dict):
        if value.get(SIG_KEY) == SECRET_SIG:
            return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(_state_value(value.get("value"), urn))}
        return {k: _state_value(v, urn) for k, v in value.items()}
    return value
