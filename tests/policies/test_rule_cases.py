"""Every rule's good and bad cases (tests/policies/cases/) give exactly the messages in its golden
file (tests/policies/golden/<policy>.json). `pytest --update-goldens` rewrites the files."""

from __future__ import annotations

import json

import pytest

from dynamodb_guardrails.rule import Rule
from dynamodb_guardrails.rules import ALL_RULES
from tests.policies.cases import CASES_BY_POLICY
from tests.policies.kit import golden
from tests.policies.kit.cases import Case, outcome

CASE_PARAMS = [
    pytest.param(rule, case, id=f"{rule.meta.name}: {case.name}")
    for rule in ALL_RULES
    for case in CASES_BY_POLICY.get(rule.meta.name, ())
]


@pytest.fixture(scope="module", autouse=True)
def _update_goldens(request: pytest.FixtureRequest) -> None:
    if golden.updating(request.config.getoption("--update-goldens")):
        for rule in ALL_RULES:
            golden.write(rule, CASES_BY_POLICY.get(rule.meta.name, ()))


def test_every_rule_has_cases_and_every_case_module_a_rule() -> None:
    assert set(CASES_BY_POLICY) == {rule.meta.name for rule in ALL_RULES}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)
def test_every_rule_has_good_and_bad_cases(rule: Rule) -> None:
    cases = CASES_BY_POLICY.get(rule.meta.name, ())
    assert any(case.flagged for case in cases), "no bad case"
    assert any(not case.flagged for case in cases), "no good case"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)
def test_no_rule_is_left_as_scaffolded(rule: Rule) -> None:
    meta = rule.meta
    texts = [rule.doc or "", meta.description, meta.remediation_steps, meta.url]
    texts += [str(prop.get("description", "")) for prop in meta.config_schema.values()]
    texts += [case.name for case in CASES_BY_POLICY.get(meta.name, ())]
    assert not [text for text in texts if "TODO" in text], "fill in the TODOs scripts/add_rule.py left"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)
def test_the_golden_file_holds_exactly_the_cases(rule: Rule) -> None:
    recorded = golden.load(rule)
    assert recorded["policy"] == rule.meta.name
    cases = [case.name for case in CASES_BY_POLICY.get(rule.meta.name, ())]
    assert list(recorded["cases"]) == cases, "run: pytest tests/policies --update-goldens"


@pytest.mark.parametrize(("rule", "case"), CASE_PARAMS)
def test_a_case_gets_exactly_its_golden_findings(rule: Rule, case: Case) -> None:
    got = json.loads(json.dumps(outcome(rule, case), default=repr))
    assert bool(got["findings"]) == case.flagged, (
        f"a {'bad' if case.flagged else 'good'} case must {'' if case.flagged else 'not '}be flagged: {got}"
    )
    expected = golden.load(rule)["cases"].get(case.name)
    assert got == expected, "messages changed; if intended, run: pytest tests/policies --update-goldens"
