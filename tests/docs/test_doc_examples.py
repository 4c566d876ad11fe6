"""Each policy page's examples do what the page says: the flagged program is flagged by its rule,
the fixed one is not. The programs run under the preview's mock engine and the rule judges what
they register."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from dynamodb_guardrails import docs
from dynamodb_guardrails.model import Resource
from dynamodb_guardrails.rule import Rule
from dynamodb_guardrails.rules import ALL_RULES
from tests.infra.engine import install_engine, program_resources
from tests.policies.kit import config, violations

RULES = pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)


def registered_by(program: str) -> tuple[Resource, ...]:
    """Run a Pulumi Python program under the mock engine; what it registers, as a policy sees it."""
    monitor = install_engine()

    @pulumi.runtime.test
    def run() -> None:
        exec(compile(program, "<docs example>", "exec"), {"__name__": "__main__"})

    run()
    return tuple(
        Resource(
            type=r.type,
            name=r.name,
            urn=r.urn,
            props=r.inputs,
            parent=r.parent or None,
            dependencies=r.dependencies,
            property_dependencies=r.property_dependencies,
        )
        for r in program_resources(monitor.records)
    )


def findings(rule: Rule, program: str) -> list[Any]:
    return violations(rule, registered_by(program), config(rule))


@RULES
def test_the_flagged_example_is_flagged_by_its_rule(rule: Rule) -> None:
    assert findings(rule, docs.parse(rule).bad_example)


@RULES
def test_the_fixed_example_is_not_flagged_by_its_rule(rule: Rule) -> None:
    assert findings(rule, docs.parse(rule).fixed_example) == []
