"""What every rule of ALL_RULES promises, whatever it checks (tests/policies/cases/ feeds it):

- it never raises, on junk property trees and junk config alike;
- an unknown value (a preview's not-yet-computed output) never adds a violation;
- `exemptResources` skips resources by logical name and by URN;
- its config schema is valid JSON schema and its defaults validate against it;
- its messages never echo free text from the resources' properties.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import resolve_config
from dynamodb_guardrails.edits import PropertyEdit
from dynamodb_guardrails.exemptions import CONFIG_KEY as EXEMPT_RESOURCES
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rule import ResourceRule, Rule, StackRule
from dynamodb_guardrails.rules import ALL_RULES
from tests.policies.cases import CASES_BY_POLICY
from tests.policies.kit import config, resource, violations
from tests.policies.kit.cases import Case
from tests.policies.strategies import junk_props, junk_trees

RULES = pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)
OTHER_TYPE = "aws:s3/bucket:Bucket"
CANARY = "s3cr3t canary!"


def cases(rule: Rule, *, flagged: bool | None = None) -> list[Case]:
    found = CASES_BY_POLICY.get(rule.meta.name, ())
    return [case for case in found if flagged is None or case.flagged == flagged]


def case_violations(
    rule: Rule, case: Case, resources: tuple[Resource, ...] | None = None, **extra: Any
) -> list:
    return violations(
        rule, case.resources if resources is None else resources, config(rule, **case.config, **extra)
    )


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a property tree a value can be: map keys and list indices, outermost first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def leaf_paths(value: Any) -> list[tuple[Any, ...]]:
    return [path for path in paths(value) if not isinstance(get_at(value, path), dict | list)]


def set_at(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: set_at(value[head], rest, new)}
    copy = list(value)
    copy[head] = set_at(copy[head], rest, new)
    return copy


def get_at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def with_props(resources: tuple[Resource, ...], index: int, props: dict[str, Any]) -> tuple[Resource, ...]:
    return (*resources[:index], replace(resources[index], props=props), *resources[index + 1 :])


# --- never raises ------------------------------------------------------------------------------


def junk_input(rule: Rule) -> st.SearchStrategy[tuple[list[Resource], dict[str, Any]]]:
    """A few resources of the rule's types (and one other type) with junk properties, junk config."""
    types = [*sorted(rule.meta.resource_types or ()), OTHER_TYPE]
    one = st.builds(
        lambda type_, name, props: resource(type_, name, **props),
        st.sampled_from(types),
        st.sampled_from(["a", "b", "events"]),
        junk_props,
    )
    settings = st.dictionaries(st.sampled_from(sorted(rule.meta.config_schema)), junk_trees, max_size=2)
    return st.tuples(st.lists(one, min_size=1, max_size=3), settings)


JUNK = {rule.meta.name: junk_input(rule) for rule in ALL_RULES}


@RULES
@given(data=st.data())
def test_a_rule_never_raises_on_junk_properties_or_config(rule: Rule, data: st.DataObject) -> None:
    resources, given_config = data.draw(JUNK[rule.meta.name])
    settings = resolve_config(rule.meta.config_schema, given_config)
    linked = [replace(r, dependencies=tuple(o.urn for o in resources if o is not r)) for r in resources]
    found = violations(rule, tuple(linked), settings)
    assert all(isinstance(v.message, str) and v.message for v in found)
    if isinstance(rule, ResourceRule) and rule.remediate is not None:
        for one in linked:
            edits = rule.remediate(one, settings)
            assert edits is None or all(isinstance(edit, PropertyEdit) for edit in edits)


# --- unknowns ------------------------------------------------------------------------------------


def unknown_variants(rule: Rule, case: Case) -> Iterator[tuple[str, tuple[Resource, ...]]]:
    """The case with one value made unknown, everywhere in turn. For a stack rule the resource then
    depends on every other one: an unknown value is some other resource's output."""
    for index, res in enumerate(case.resources):
        props = dict(res.props)
        for path in paths(props):
            changed = with_props(case.resources, index, set_at(props, path, UNKNOWN))
            if isinstance(rule, StackRule):
                others = tuple(r.urn for r in case.resources if r.urn != res.urn)
                edges = {**changed[index].property_dependencies, str(path[0]): others}
                linked = replace(changed[index], dependencies=others, property_dependencies=edges)
                changed = (*changed[:index], linked, *changed[index + 1 :])
            yield f"{res.name}.{'.'.join(map(str, path))}", changed


@RULES
def test_an_unknown_value_never_adds_a_violation(rule: Rule) -> None:
    for case in cases(rule):
        before = len(case_violations(rule, case))
        for where, resources in unknown_variants(rule, case):
            after = case_violations(rule, case, resources)
            assert len(after) <= before, f"{case.name}: {where} unknown adds {after}"


# --- exemptions ----------------------------------------------------------------------------------


@RULES
def test_exempt_resources_are_skipped_by_logical_name_and_by_urn(rule: Rule) -> None:
    assert EXEMPT_RESOURCES in rule.meta.config_schema, "every policy lets an organisation exempt resources"
    for case in cases(rule, flagged=True):
        assert case_violations(rule, case), case.name
        for key in ("name", "urn"):
            exempt = [getattr(r, key) for r in case.resources]
            assert case_violations(rule, case, **{EXEMPT_RESOURCES: exempt}) == [], f"{case.name} by {key}"


# --- config schema -------------------------------------------------------------------------------


@RULES
def test_the_config_schema_is_valid_and_its_defaults_validate(rule: Rule) -> None:
    schema = {"type": "object", "properties": dict(rule.meta.config_schema)}
    jsonschema.Draft7Validator.check_schema(schema)
    for key, prop in rule.meta.config_schema.items():
        assert "default" in prop and prop.get("description"), f"{rule.meta.name}.{key}"
    jsonschema.validate(config(rule), schema)


# --- free text -----------------------------------------------------------------------------------


@RULES
def test_messages_never_echo_free_text_from_properties(rule: Rule) -> None:
    for case in cases(rule):
        for index, res in enumerate(case.resources):
            props = dict(res.props)
            for path in leaf_paths(props):
                if not isinstance(get_at(props, path), str):
                    continue
                resources = with_props(case.resources, index, set_at(props, path, CANARY))
                for violation in case_violations(rule, case, resources):
                    assert "s3cr3t" not in violation.message, f"{case.name}: {res.name}.{path}"
