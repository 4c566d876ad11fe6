"""Read a `pulumi stack export` file (apitype.UntypedDeployment wrapping a DeploymentV3, see
pulumi/pulumi sdk/go/common/apitype/core.go) into ResourceRecords, so a deployed stack can be
audited without credentials.

- `version` 3 and 4 (4 = 3 plus a `features` list) are accepted; a file-backend checkpoint
  (`{"version": 3, "checkpoint": {"latest": <deployment>}}`) is read too.
- Resources with `delete: true` are old copies waiting to be deleted after a replacement; the engine
  does not hand them to analyzers, so they are skipped. `pendingReplacement` and `external` (read)
  resources are part of the stack's new state and are kept.
- Resource options come from the state as AnalyzeSnapshot sends them: protect, parent,
  ignoreChanges, additionalSecretOutputs, aliases, customTimeouts (seconds); the state keeps no
  deleteBeforeReplace, so it is unset.
- Secrets stay secrets: `{sig: secret, ciphertext: ...}` becomes a secret whose value is unknown
  (we never decrypt); `{sig: secret, plaintext: "<json>"}` (from `--show-secrets`) becomes a
  secret holding the decoded value.
- `sourcePosition` (`project:///<path>#<line>`, written by CLIs since 2024) is kept as it is;
  older exports have none, and reports then say the position is unknown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policy_preview.errors import ExportError
from policy_preview.model import UNKNOWN_WIRE, CustomTimeouts, ResourceRecord
from policy_preview.urns import is_pulumi_urn, parse_urn
from policy_preview.wire import SECRET_SIG, SIG_KEY, secret

SUPPORTED_VERSIONS = (3, 4)


def read_stack_export(path: Path) -> list[ResourceRecord]:
    document = _load_json(path)
    deployment = _deployment(document, path)
    resources = deployment.get("resources")
    if resources is None:
        resources = []
    if not isinstance(resources, list):
        raise ExportError(f"{path}: `deployment.resources` must be a list, got {type(resources).__name__}.")
    records = []
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            raise ExportError(f"{path}: resource #{index} is not an object.")
        if resource.get("delete") is True:
            continue
        records.append(_record(resource, index, path))
    return records


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportError(f"{path}: no such stack export file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: cannot read: {exc}.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None


def _deployment(document: Any, path: Path) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ExportError(f"{path}: expected the JSON object `pulumi stack export` writes.")
    version = document.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise ExportError(
            f"{path}: deployment version {version!r} is not supported (expected 3 or 4); "
            "export the stack again with a current Pulumi CLI."
        )
    deployment = document.get("deployment")
    if deployment is None and isinstance(document.get("checkpoint"), dict):
        deployment = document["checkpoint"].get("latest") or {}
    if not isinstance(deployment, dict):
        raise ExportError(f"{path}: no `deployment` object; is this a `pulumi stack export` file?")
    return deployment


def _record(resource: dict[str, Any], index: int, path: Path) -> ResourceRecord:
    urn, type_ = resource.get("urn"), resource.get("type")
    parsed = parse_urn(urn) if isinstance(urn, str) and is_pulumi_urn(urn) else None
    if not isinstance(urn, str) or parsed is None:
        raise ExportError(f"{path}: resource #{index} has no valid `urn`.")
    if not isinstance(type_, str) or not type_:
        raise ExportError(f"{path}: resource #{index} ({urn}) has no `type`.")
    property_dependencies = resource.get("propertyDependencies") or {}
    return ResourceRecord(
        urn=urn,
        type=type_,
        name=parsed.name,
        custom=resource.get("custom") is True,
        inputs=_properties(resource.get("inputs")),
        outputs=_properties(resource.get("outputs")),
        parent=resource.get("parent") or None,
        provider=resource.get("provider") or None,
        dependencies=tuple(resource.get("dependencies") or ()),
        property_dependencies={
            key: tuple(urns or ()) for key, urns in property_dependencies.items() if isinstance(urns, list)
        },
        protect=resource.get("protect") is True,
        ignore_changes=_strings(resource, "ignoreChanges", urn, path),
        additional_secret_outputs=_strings(resource, "additionalSecretOutputs", urn, path),
        aliases=_strings(resource, "aliases", urn, path),
        custom_timeouts=_custom_timeouts(resource.get("customTimeouts"), urn, path),
        source_position=_source_position(resource.get("sourcePosition")),
    )


def _strings(resource: dict[str, Any], key: str, urn: str, path: Path) -> tuple[str, ...]:
    values = resource.get(key)
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ExportError(f"{path}: resource {urn}: `{key}` must be a list of strings.")
    return tuple(values)


def _custom_timeouts(value: Any, urn: str, path: Path) -> CustomTimeouts:
    if value is None:
        return CustomTimeouts()
    seconds: dict[str, float] = {}
    if isinstance(value, dict):
        for op in ("create", "update", "delete", "read"):
            given = value.get(op, 0)
            if isinstance(given, bool) or not isinstance(given, int | float):
                break
            seconds[op] = float(given)
        else:
            return CustomTimeouts(**seconds)
    raise ExportError(
        f"{path}: resource {urn}: `customTimeouts` must be an object of seconds "
        '(`{"create": 300, "update": 0, "delete": 0, "read": 0}`).'
    )


def _source_position(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _properties(values: Any) -> dict[str, Any]:
    return {k: _wire_value(v) for k, v in values.items()} if isinstance(values, dict) else {}


def _wire_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_wire_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get(SIG_KEY) == SECRET_SIG:
        if "plaintext" in value:
            try:
                return secret(_wire_value(json.loads(value["plaintext"])))
            except (TypeError, ValueError):
                return secret(UNKNOWN_WIRE)
        if "value" in value:
            return secret(_wire_value(value["value"]))
        return secret(UNKNOWN_WIRE)  # ciphertext: never decrypted offline
    return {k: _wire_value(v) for k, v in value.items()}
