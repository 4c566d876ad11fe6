"""Good and bad cases of a rule, and what a rule reports on them.

A case module (tests/policies/cases/<rule module>.py) declares `RULE` and `CASES`; each case is a
few resources and config overrides, and says whether the rule must flag it. The exact messages
live in the rule's golden file (golden.py), because messages are the product's interface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, assert_never

from dynamodb_guardrails.edits import CannotApply, PropertyEdit, apply_edits
from dynamodb_guardrails.model import Resource, Violation
from dynamodb_guardrails.rule import ResourceRule, Rule, StackRule

from .config import config as rule_config

STACK_LEVEL = "(stack)"  # where a stack policy's finding without a resource goes


@dataclass(frozen=True)
class Case:
    name: str  # what it shows; also its key in the golden file
    resources: tuple[Resource, ...]
    flagged: bool  # a bad case must get at least one finding, a good case none
    config: Mapping[str, Any] = field(default_factory=dict)  # overrides of the schema defaults


def good(name: str, *resources: Resource, **config: Any) -> Case:
    return Case(name, resources, flagged=False, config=config)


def bad(name: str, *resources: Resource, **config: Any) -> Case:
    return Case(name, resources, flagged=True, config=config)


def violations(rule: Rule, resources: tuple[Resource, ...], config: Mapping[str, Any]) -> list[Violation]:
    """What the rule reports on these resources, in the order the pack would report it."""
    match rule:
        case ResourceRule():
            return [
                Violation(v.message, v.urn or resource.urn)
                for resource in resources
                for v in rule.check(resource, config)
            ]
        case StackRule():
            return rule.check_stack(list(resources), config)
        case _:
            assert_never(rule)


def outcome(rule: Rule, case: Case) -> dict[str, Any]:
    """The case's findings (and remediations) as the golden file records them."""
    config = rule_config(rule, **case.config)
    names = {resource.urn: resource.name for resource in case.resources}
    result: dict[str, Any] = {
        "findings": [
            {"on": names.get(v.urn or "", v.urn or STACK_LEVEL), "message": v.message}
            for v in violations(rule, case.resources, config)
        ]
    }
    if isinstance(rule, ResourceRule) and rule.remediate is not None:
        result["remediations"] = {
            resource.name: remediated(resource, edits)
            for resource in case.resources
            if (edits := rule.remediate(resource, config))
        }
    return result


def remediated(resource: Resource, edits: Sequence[PropertyEdit]) -> dict[str, Any] | str:
    """The resource's properties after the rule's edits, or why they cannot be applied."""
    try:
        return apply_edits(resource.props, edits)
    except CannotApply as reason:
        return f"declined: {reason}"
