"""What a rule is: its identity (`PolicyMeta`), its pure check, an optional remediation, and its
user documentation.

Every module in `rules/` ends with one declaration, `RULE = ResourceRule(...)` or
`RULE = StackRule(...)`; `rules.ALL_RULES` collects them and everything else (the pack, the docs,
the tests) derives from that tuple. The two kinds are separate classes with typed callables, so
mypy rejects a stack check declared as a resource rule, and the adapter dispatches on the class.

`doc` is the rule module's docstring: the user documentation, in fixed sections (see `docs.py`);
`facts` are the computed values its `{{placeholders}}` stand for (counts, versions), so no number
in the prose is typed by hand; a fact may be a function returning the value, called when the docs
are built (a count of data the pack loads only on first use).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .edits import PropertyEdit
from .model import PolicyMeta, Resource, Violation

Config = Mapping[str, Any]
ResourceCheck = Callable[[Resource, Config], list[Violation]]
StackCheck = Callable[[Sequence[Resource], Config], list[Violation]]
# The edits that fix the resource (edits.py), or None when nothing needs to change or it cannot be fixed.
Remediation = Callable[[Resource, Config], Sequence[PropertyEdit] | None]


@dataclass(frozen=True)
class ResourceRule:
    """A policy that judges one resource at a time (Analyze), optionally fixing it (Remediate)."""

    meta: PolicyMeta
    check: ResourceCheck
    remediate: Remediation | None = None
    doc: str | None = None
    facts: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class StackRule:
    """A policy that judges the whole stack at once (AnalyzeStack), e.g. to match alarms to tables."""

    meta: PolicyMeta
    check_stack: StackCheck
    doc: str | None = None
    facts: Mapping[str, object] = field(default_factory=dict)


Rule = ResourceRule | StackRule
