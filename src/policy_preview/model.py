"""What the preview passes between its stages: resources as the engine would send them to a
policy pack, and the findings the pack returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Pulumi's wire sentinel for an unknown value (computed output not known during preview).
UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

Level = Literal["advisory", "mandatory", "remediate", "disabled"]


@dataclass(frozen=True)
class CustomTimeouts:
    """A resource's `customTimeouts` in seconds, as the engine keeps them (0 = not set)."""

    create: float = 0.0
    update: float = 0.0
    delete: float = 0.0
    read: float = 0.0


@dataclass(frozen=True)
class ResourceRecord:
    """One registered resource, as the engine hands it to an analyzer.

    `inputs` and `outputs` are wire-form property maps (camelCase keys; unknowns are
    UNKNOWN_WIRE; secrets use Pulumi's secret signature map). For a program run in
    preview mode `outputs` equals `inputs` plus unknown computed values.
    """

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None
    provider: str | None = None  # provider reference "<provider urn>::<id>"
    dependencies: tuple[str, ...] = ()
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    protect: bool = False
    # The other resource options the engine hands an analyzer (AnalyzerResourceOptions).
    ignore_changes: tuple[str, ...] = ()
    delete_before_replace: bool | None = None  # None: not set by the program
    additional_secret_outputs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # alias URNs the engine matched in the previous state
    custom_timeouts: CustomTimeouts = field(default_factory=CustomTimeouts)
    # Where the user's code constructed it, as `pulumi stack export` stores it:
    # `project:///<path relative to the project root>#<line>` (see source_positions.py).
    source_position: str | None = None


@dataclass(frozen=True)
class Finding:
    """One policy diagnostic, as the CLI prints it."""

    policy_pack: str
    policy_pack_version: str
    policy: str
    level: Level
    message: str
    urn: str | None = None
    severity: str | None = None
    description: str = ""
