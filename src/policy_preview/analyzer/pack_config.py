"""`--policy-pack-config` in the CLI's format, reconciled with the pack's defaults and validated.

The file is a JSON object mapping a policy name (or `all`) to an enforcement level string, or to an
object with an optional `enforcementLevel` and the policy's properties. As the CLI does
(pulumi/pulumi pkg/resource/analyzer/config.go `parsePolicyPackConfig`, `ReconcilePolicyPackConfig`):
every policy starts at its own enforcement level with its schema defaults, then the pack's
initial config, then `all`, then each named policy apply, and each policy's properties are validated
against its schema (with `enforcementLevel` added) using JSON Schema.

Deliberately stricter than the CLI, which silently ignores them: a policy name the pack does not
have, and a property a policy's schema does not declare, are errors naming the key - a typo would
otherwise switch nothing off and nobody would notice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema

from policy_preview.analyzer.client import AnalyzerInfo, PolicyConfig
from policy_preview.errors import ConfigError
from policy_preview.model import Level

LEVELS: tuple[Level, ...] = ("advisory", "mandatory", "remediate", "disabled")
ALL = "all"


def load_pack_config_file(path: Path) -> dict[str, Any]:
    """The raw JSON object of a policy pack config file ({} for an empty file, as the CLI)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read policy pack config {path}: {exc.strerror or exc}") from exc
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"policy pack config {path} is not valid JSON: {exc.msg} "
            f"at line {exc.lineno}, column {exc.colno}."
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(
            f"policy pack config {path} must be a JSON object mapping policy names to settings."
        )
    return data


def _level(value: Any, where: str) -> Level:
    if not isinstance(value, str) or value not in LEVELS:
        raise ConfigError(
            f"{where}: {json.dumps(value)} is not a valid enforcement level; use one of {', '.join(LEVELS)}."
        )
    return value


def parse_pack_config(raw: Mapping[str, Any], source: str) -> dict[str, tuple[Level | None, dict[str, Any]]]:
    """Per policy: (enforcement level or None, properties), checked for shape like the CLI."""
    parsed: dict[str, tuple[Level | None, dict[str, Any]]] = {}
    for key, value in raw.items():
        where = f"{source}: key {key!r}"
        if key == "environments":
            raise ConfigError(f"{where}: Pulumi ESC environments cannot be resolved offline; remove the key.")
        if isinstance(value, str):
            parsed[key] = (_level(value, where), {})
        elif isinstance(value, dict):
            props = dict(value)
            level = (
                _level(props.pop("enforcementLevel"), f"{where}, enforcementLevel")
                if "enforcementLevel" in props
                else None
            )
            parsed[key] = (level, props)
        else:
            raise ConfigError(
                f"{where}: {json.dumps(value)} is not a valid value; it must be a string or an object."
            )
    return parsed


def _defaults(info: AnalyzerInfo) -> dict[str, PolicyConfig]:
    result = {}
    for policy in info.policies:
        props = (policy.config_schema or {}).get("properties") or {}
        defaults = {k: v["default"] for k, v in props.items() if isinstance(v, dict) and "default" in v}
        result[policy.name] = PolicyConfig(policy.enforcement_level, defaults)
    return result


def _apply(result: dict[str, PolicyConfig], given: Mapping[str, tuple[Level | None, dict[str, Any]]]) -> None:
    everything = given.get(ALL)
    if everything and everything[0]:
        for name, cfg in result.items():
            result[name] = PolicyConfig(everything[0], cfg.properties)
    for name, (level, props) in given.items():
        if name == ALL:
            continue
        current = result.get(name)
        merged = {**(current.properties if current else {}), **props}
        result[name] = PolicyConfig(level or (current.enforcement_level if current else "advisory"), merged)


def _validate(info: AnalyzerInfo, config: Mapping[str, PolicyConfig], source: str) -> None:
    for policy in info.policies:
        schema = policy.config_schema or {}
        properties = dict(schema.get("properties") or {})
        properties["enforcementLevel"] = {"type": "string", "enum": list(LEVELS)}
        document = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
            **({"required": list(schema["required"])} if schema.get("required") else {}),
        }
        cfg = config.get(policy.name)
        given = dict(cfg.properties) if cfg else {}
        validator = jsonschema.Draft7Validator(document)
        errors = sorted(validator.iter_errors(given), key=lambda e: list(e.absolute_path))
        if not errors:
            continue
        error = errors[0]
        if error.validator == "additionalProperties":
            unknown = sorted(set(given) - set(properties))
            known = ", ".join(sorted(set(properties) - {"enforcementLevel"})) or "none"
            raise ConfigError(
                f"{source}: policy {policy.name!r} of pack {info.name!r} has no config key {unknown[0]!r} "
                f"(its keys: {known})."
            )
        path = "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        key = f"key {path.lstrip('.')!r}" if path else "its config"
        raise ConfigError(f"{source}: policy {policy.name!r} of pack {info.name!r}, {key}: {error.message}.")


def reconcile_pack_config(
    info: AnalyzerInfo, raw: Mapping[str, Any] | None = None, source: str = "policy pack config"
) -> dict[str, PolicyConfig]:
    """The configuration to send with Configure: defaults < initial config < `raw`, validated."""
    given = parse_pack_config(raw or {}, source)
    if given and not info.supports_config:
        raise ConfigError(f"{source}: policy pack {info.name!r} does not support config.")
    unknown = sorted(set(given) - {p.name for p in info.policies} - {ALL})
    if unknown:
        known = ", ".join(p.name for p in info.policies)
        raise ConfigError(
            f"{source}: policy pack {info.name!r} has no policy named {unknown[0]!r} (its policies: {known})."
        )
    result = _defaults(info)
    _apply(result, {k: (v.enforcement_level, dict(v.properties)) for k, v in info.initial_config.items()})
    _apply(result, given)
    _validate(info, result, source)
    return result
