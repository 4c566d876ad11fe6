"""IAM document parsing and IAM's wildcard semantics."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails import dynamodb_actions
from dynamodb_guardrails.iam_documents import (
    expand_dynamodb,
    granted_dynamodb_actions,
    parse_document,
    reaches_every_resource,
    wildcard_match,
)
from dynamodb_guardrails.model import UNKNOWN
from tests.policies.strategies import junk_trees
from tests.policies.strategies_iam import junk_documents


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("dynamodb:Get*", "dynamodb:GetItem", True),
        ("dynamodb:get*", "DynamoDB:GETITEM", True),
        ("dynamodb:?etItem", "dynamodb:GetItem", True),
        ("dynamodb:?etItem", "dynamodb:BatchGetItem", False),
        ("dynamodb:GetItem", "dynamodb:GetItems", False),
        # fnmatch would treat [] as a character class; IAM does not.
        ("dynamodb:[GP]etItem", "dynamodb:GetItem", False),
        ("dynamodb:[GP]etItem", "dynamodb:[GP]etItem", True),
        ("a.c", "abc", False),
        ("*", "anything:at all", True),
    ],
)
def test_wildcards_follow_iam_not_fnmatch(pattern: str, value: str, expected: bool) -> None:
    assert wildcard_match(pattern, value) is expected


def test_expansion_of_put_star_includes_put_resource_policy() -> None:
    assert {a.name for a in expand_dynamodb("dynamodb:Put*")} == {"PutItem", "PutResourcePolicy"}


def test_expansion_covers_service_wildcards_and_ignores_other_services() -> None:
    assert [a.name for a in expand_dynamodb("*:GetItem")] == ["GetItem"]
    assert len(expand_dynamodb("*")) == len(expand_dynamodb("dynamodb:*")) == len(dynamodb_actions.ACTIONS)
    assert expand_dynamodb("s3:*") == ()
    assert expand_dynamodb("not-an-action") == ()


def test_single_values_and_lists_parse_the_same() -> None:
    single = parse_document({"Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "x"}})
    listed = parse_document(
        json.dumps({"Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": ["x"]}]})
    )
    assert single.status == listed.status == "ok"
    assert single.statements == listed.statements


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (None, "absent"),
        (UNKNOWN, "unknown"),
        ("{not json", "invalid"),
        ("[1, 2]", "invalid"),
        (42, "invalid"),
    ],
)
def test_document_status(value: Any, status: str) -> None:
    assert parse_document(value).status == status


def test_unknown_elements_are_dropped_and_flagged() -> None:
    doc = parse_document(
        {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", UNKNOWN], "Resource": UNKNOWN}]}
    )
    [statement] = doc.statements
    assert statement.actions == ("dynamodb:GetItem",)
    assert statement.actions_unknown and statement.resources_unknown


def test_not_action_grants_the_rest_of_the_catalogue() -> None:
    [statement] = parse_document(
        {"Statement": {"Effect": "Allow", "NotAction": "dynamodb:Delete*"}}
    ).statements
    granted = {a.name for a in granted_dynamodb_actions(statement)}
    assert "DeleteTable" not in granted and "PutItem" in granted


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("*", True),
        ("arn:aws:dynamodb:*:*:table/*", True),
        ("arn:aws:dynamodb:us-east-1:123:*", True),
        ("arn:aws:dynamodb:us-east-1:123:table/events", False),
        ("arn:aws:dynamodb:us-east-1:123:table/events/index/*", False),
    ],
)
def test_every_table_resources(resource: str, expected: bool) -> None:
    assert reaches_every_resource(resource) is expected


@given(junk_documents)
def test_parsing_junk_never_raises(document: Any) -> None:
    parsed = parse_document(document)
    for statement in parsed.statements:
        granted_dynamodb_actions(statement)


@given(junk_trees)
def test_parsing_junk_trees_never_raises(document: Any) -> None:
    parse_document(document)
