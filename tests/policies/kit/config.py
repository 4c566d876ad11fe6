"""A rule's config as the adapter hands it over: schema defaults, then overrides."""

from __future__ import annotations

from typing import Any

from dynamodb_guardrails.config import resolve_config
from dynamodb_guardrails.rule import Rule


def config(rule: Rule, **overrides: Any) -> dict[str, Any]:
    """The rule's schema defaults with `overrides` (config keys, as in --policy-pack-config).

    An override the schema does not declare is a mistake in the test, not a config to ignore.
    """
    schema = rule.meta.config_schema
    unknown = sorted(set(overrides) - set(schema))
    if unknown:
        raise KeyError(f"{rule.meta.name} has no config key {unknown[0]!r}; it has {sorted(schema)}")
    return resolve_config(schema, overrides)
