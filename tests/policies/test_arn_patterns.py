"""Resource patterns that reach every table, in any spelling; ARNs compare case-sensitively."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails import arn_patterns
from dynamodb_guardrails.arn_patterns import MAX_PATTERN_CHARS, reaches_every_table
from dynamodb_guardrails.iam_documents import reaches_every_resource

ACCOUNT_ARN = "arn:aws:dynamodb:us-east-1:123456789012"
TABLE = f"{ACCOUNT_ARN}:table/events"


@pytest.fixture(autouse=True)
def fresh_automaton() -> None:
    """The ARN automaton and verdicts are cached: each test builds and walks them afresh (so a
    mutation run sees every test reach the automaton's construction)."""
    arn_patterns._automaton.cache_clear()
    reaches_every_table.cache_clear()


@pytest.mark.parametrize(
    "pattern",
    [
        "arn:aws:dynamodb:*",
        "arn:*",
        "*:table/*",
        "arn:aws:dynamodb:*:*:table*",
        "arn:aws:dynamodb:*:*:*",
        f"{ACCOUNT_ARN}:table*",
        f"{ACCOUNT_ARN}:tab*",
        f"{ACCOUNT_ARN}:table/?*",
        "arn:aws:dynamodb:us-*",
        "arn:aws*:dynamodb:*:123456789012:table/*",
        "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/*",
        f"{ACCOUNT_ARN}:table/*/stream/*",
        "arn:aws:dynamodb:*:*:table/*/index/*",
        f"{ACCOUNT_ARN}:table/*/backup/*",
        f"{ACCOUNT_ARN}:table/*/export/*",
        f"{ACCOUNT_ARN}:table/*/import/*",
    ],
)
def test_every_spelling_that_reaches_every_table_is_every_table(pattern: str) -> None:
    assert reaches_every_table(pattern)
    assert reaches_every_resource(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        TABLE,
        f"{TABLE}/index/*",
        f"{TABLE}*",  # events, events-archive, ...: tables by prefix, not every table
        f"{ACCOUNT_ARN}:table/prod-*",
        f"{ACCOUNT_ARN}:table/*-dev",  # the dev tables
        f"{ACCOUNT_ARN}:table/*/index/by-date",
        f"{ACCOUNT_ARN}:table/???",  # three-letter names only
        "arn:aws:dynamodb:*:*:global-table/*",
        f"{ACCOUNT_ARN}:table/*/BACKUP/*",  # sub-resource names are lower case
        f"{ACCOUNT_ARN}:table/*/Export/*",
        f"{ACCOUNT_ARN}:table/*/IMPORT/*",
        f"{ACCOUNT_ARN}:table/*/exports/*",
        "arn:aws:s3:::*",
        "arn:aws:dynamodb",
        "",
    ],
)
def test_patterns_that_reach_some_tables_are_not_every_table(pattern: str) -> None:
    assert not reaches_every_table(pattern)


@pytest.mark.parametrize(
    "pattern",
    ["ARN:AWS:DYNAMODB:*:*:TABLE/*", "arn:aws:DynamoDB:*:*:table/*", f"{ACCOUNT_ARN}:Table/*"],
)
def test_arns_compare_case_sensitively_as_iam_does(pattern: str) -> None:
    # These match no ARN AWS issues, so they reach no table at all.
    assert not reaches_every_resource(pattern)


def test_overlong_text_is_not_walked() -> None:
    assert not reaches_every_table("*" + "a" * MAX_PATTERN_CHARS)
    assert reaches_every_table("*" * 500)


_NAME = "\u2603" * 40  # no pattern below has this character, so only wildcards can match it


def _iam_match(pattern: str, value: str) -> bool:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(body, value, re.DOTALL) is not None


@st.composite
def patterns_from_an_arn(draw: st.DrawFn) -> str:
    """A real ARN with a few spans replaced by `*` or `?`."""
    text = draw(st.sampled_from([TABLE, f"{TABLE}/index/by-date", f"{TABLE}/stream/2026-01-01T00:00:00.000"]))
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 30)))
        text = text[:start] + draw(st.sampled_from(["*", "?", "**"])) + text[end:]
    return text


@given(patterns_from_an_arn())
def test_every_table_means_it_matches_a_table_of_any_name(pattern: str) -> None:
    any_name = [
        f"{ACCOUNT_ARN}:table/{_NAME}",
        f"{ACCOUNT_ARN}:table/{_NAME}/index/{_NAME}",
        f"{ACCOUNT_ARN}:table/{_NAME}/stream/{_NAME}",
    ]
    assert reaches_every_table(pattern) == any(_iam_match(pattern, arn) for arn in any_name)


@given(st.text(max_size=80))
def test_any_text_is_answered(pattern: str) -> None:
    assert reaches_every_table(pattern) in (True, False)


@pytest.mark.parametrize("letter", [chr(c) for c in range(ord("A"), ord("Z") + 1)])
def test_an_upper_case_letter_in_the_partition_region_or_account_reaches_no_table(letter: str) -> None:
    # Partitions and regions are lower case, accounts are digits: such a pattern matches no ARN.
    assert not reaches_every_table(f"arn:a{letter}s:dynamodb:*:*:table/*")
    assert not reaches_every_table(f"arn:aws:dynamodb:us-{letter}ast-1:*:table/*")
    assert not reaches_every_table(f"arn:aws:dynamodb:*:12345678901{letter}:table/*")
