"""Every copy-paste code snippet a policy shows is valid Python.

Snippets in messages (and in a policy's description and remediation steps) are written between
backticks; this takes the messages of every rule's cases (tests/policies/cases/), extracts every
backticked span and parses it with `ast`. Code-looking text outside backticks (`name=[...`, `name(...)`) is a
finding too: a snippet the reader cannot tell from prose is a snippet nobody checked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

import pytest

from dynamodb_guardrails.model import PolicyMeta
from dynamodb_guardrails.rules import ALL_RULES
from tests.policies.cases import CASES_BY_POLICY
from tests.policies.kit import config, violations

SNIPPET = re.compile(r"`([^`]+)`")
# Code outside backticks: a keyword argument taking a list/dict/call, or a dotted call.
UNMARKED_CODE = re.compile(r"\b[A-Za-z_]\w*=[\[{(]|\b[A-Za-z_]\w*\.[A-Za-z_][\w.]*\(")


def case_messages() -> Iterator[tuple[str, str]]:
    """Every message of every bad case of every rule (tests/policies/cases/)."""
    for rule in ALL_RULES:
        for case in CASES_BY_POLICY.get(rule.meta.name, ()):
            for violation in violations(rule, case.resources, config(rule, **case.config)):
                yield f"{rule.meta.name}: {case.name}", violation.message


def meta_texts(meta: PolicyMeta) -> Iterator[tuple[str, str]]:
    # What the CLI shows with a finding. (Config schema descriptions document JSON config values,
    # where backticks quote literals such as `*`: not Python, so not scanned.)
    yield meta.name, meta.description
    yield meta.name, meta.remediation_steps


ALL_TEXTS = [*case_messages(), *(text for rule in ALL_RULES for text in meta_texts(rule.meta))]


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[w for w, _ in ALL_TEXTS])
def test_every_snippet_is_valid_python_and_marked(where: str, text: str) -> None:
    for snippet in SNIPPET.findall(text):
        try:
            ast.parse(snippet)
        except SyntaxError as error:
            pytest.fail(f"{where}: snippet {snippet!r} is not valid Python: {error}")
    prose = SNIPPET.sub("", text)
    assert not UNMARKED_CODE.search(prose), f"{where}: code outside backticks in {text!r}"


def test_the_alarms_message_suggests_a_metrics_insights_query_that_python_accepts() -> None:
    [missing] = [m for w, m in case_messages() if w.endswith(": table without alarms")]
    [snippet] = [s for s in SNIPPET.findall(missing) if "metric_queries" in s]
    tree = ast.parse(snippet)
    # metric_queries=[{...}]: the query is one string, with its own quotes intact.
    [assign] = tree.body
    assert isinstance(assign, ast.Assign)
    [query] = ast.literal_eval(assign.value)
    assert query["expression"] == (
        'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
        "WHERE TableName = 'events-dev'"
    )
    assert query["return_data"] is True
