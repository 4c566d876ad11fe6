"""Plain data passed between the SDK adapter and the pure policy functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Severity = Literal["low", "medium", "high", "critical"]
EnforcementLevel = Literal["advisory", "mandatory", "remediate", "disabled"]


class _Unknown:
    """A value Pulumi cannot know yet (an output of another resource during preview)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        # An unknown is never "truthy enough" to count as compliant by accident.
        return False


UNKNOWN: Final = _Unknown()


@dataclass(frozen=True)
class Resource:
    """One resource as a policy sees it: wire-name (camelCase) properties as plain data.

    Values Pulumi cannot know yet are `UNKNOWN`. Stack policies also get the graph edges.
    `provider_props` are the properties of the resource's provider (its `defaultTags`, `region`,
    ...), as plain data; None when the engine sent no provider. `provider_type` and `provider_urn`
    say which provider it is (`pulumi:providers:aws-native`, ...): where the resource lives
    (region, account) and provider-wide tags come from it.
    """

    type: str
    name: str
    urn: str
    props: Mapping[str, Any]
    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    protect: bool = False
    provider_props: Mapping[str, Any] | None = None
    provider_type: str | None = None
    provider_urn: str | None = None


@dataclass(frozen=True)
class Violation:
    """A finding: what is wrong, with which value, and how to fix it.

    `urn` names the resource the finding is about when it is not the one being checked
    (stack policies report on the table, not on the stack).
    """

    message: str
    urn: str | None = None


@dataclass(frozen=True)
class PolicyMeta:
    """A policy's identity, shown by `pulumi policy` commands and in every finding."""

    name: str
    description: str
    severity: Severity
    enforcement_level: EnforcementLevel
    remediation_steps: str
    url: str
    # JSON-schema `properties` of the policy's config; each property has a `default`.
    config_schema: Mapping[str, Any]
    # Resource types the policy looks at (a stack policy is given only these); None means every type.
    resource_types: frozenset[str] | None = None
    tags: tuple[str, ...] = ()
