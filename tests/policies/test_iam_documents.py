"""IAM document parsing and IAM's wildcard semantics."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails import dynamodb_actions
from dynamodb_guardrails.iam_documents import (
    Document,
    Statement,
    expand_dynamodb,
    granted_dynamodb_actions,
    names,
    parse_document,
    reaches_every_resource,
    safe_action_text,
    split_action,
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


def test_statements_are_normalised_field_by_field() -> None:
    doc = parse_document(
        {
            "Statement": [
                "junk",
                {"Sid": "Read", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": ["a", 7, "b"]},
                {"Sid": 5, "Effect": ["Allow"], "NotAction": ["iam:*", None], "NotResource": "arn"},
                {"Effect": "Deny", "NotAction": None, "NotResource": None},
            ]
        }
    )
    # The junk entry is skipped but keeps its place: statements are numbered as IAM shows them.
    assert doc == Document(
        "ok",
        (
            Statement(1, "Read", "Allow", ("dynamodb:GetItem",), None, ("a", "b"), None),
            Statement(2, None, None, (), ("iam:*",), (), ("arn",)),
            Statement(3, None, "Deny", (), None, (), None),
        ),
    )


@pytest.mark.parametrize(
    ("statement", "actions_unknown", "resources_unknown"),
    [
        ({"Action": ["a:b"], "Resource": ["r"]}, False, False),
        ({"Action": UNKNOWN, "Resource": "r"}, True, False),
        ({"Action": "a:b", "Resource": ["r", UNKNOWN]}, False, True),
        ({"Action": "a:b", "NotAction": [UNKNOWN]}, True, False),
        ({"Action": [UNKNOWN], "NotAction": ["a:b"]}, True, False),
        ({"NotResource": UNKNOWN}, False, True),
        ({"Resource": [UNKNOWN], "NotResource": ["r"]}, False, True),
    ],
)
def test_unknown_flags(statement: dict[str, Any], actions_unknown: bool, resources_unknown: bool) -> None:
    [parsed] = parse_document({"Statement": [{"Effect": "Allow", **statement}]}).statements
    assert (parsed.actions_unknown, parsed.resources_unknown) == (actions_unknown, resources_unknown)


@pytest.mark.parametrize("statements", [UNKNOWN, None, "junk", [], [1, None]])
def test_statement_list_status(statements: Any) -> None:
    expected = Document("unknown") if statements is UNKNOWN else Document("ok")
    assert parse_document({"Version": "2012-10-17", "Statement": statements}) == expected


@pytest.mark.parametrize(
    ("action", "parts"),
    [
        ("*", ("*", "*")),
        ("dynamodb:GetItem", ("dynamodb", "GetItem")),
        ("a:b:c", ("a", "b:c")),
        ("dynamodb:", None),
        (":GetItem", None),
        (":", None),
        ("dynamodb", None),
        ("", None),
    ],
)
def test_split_action(action: str, parts: tuple[str, str] | None) -> None:
    assert split_action(action) == parts


@pytest.mark.parametrize(
    ("action", "shown"),
    [
        ("dynamodb:Get*", "'dynamodb:Get*'"),
        ("*", "'*'"),
        ("s3cr3t value*", "(an action name that is not valid IAM)"),
        ("dynamodb:a:b", "(an action name that is not valid IAM)"),
    ],
)
def test_safe_action_text(action: str, shown: str) -> None:
    assert safe_action_text(action) == shown


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, ""),
        (1, "BatchGetItem"),
        (6, "A1, A2, A3, A4, A5, A6"),
        (7, "A1, A2, A3, A4, A5, A6 and 1 more"),
        (9, "A1, A2, A3, A4, A5, A6 and 3 more"),
    ],
)
def test_names_lists_six_then_counts_the_rest(count: int, shown: str) -> None:
    actions = [dynamodb_actions.BY_NAME["batchgetitem"]] if count == 1 else []
    if count > 1:
        base = dynamodb_actions.ACTIONS[0]
        actions = [dataclasses.replace(base, name=f"A{i + 1}") for i in range(count)]
    assert names(actions) == shown


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


def test_granted_actions_come_in_catalogue_order_without_duplicates() -> None:
    [statement] = parse_document(
        {
            "Statement": {
                "Effect": "Allow",
                "Action": ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:getitem"],
            }
        }
    ).statements
    assert [a.name for a in granted_dynamodb_actions(statement)] == [
        a.name for a in dynamodb_actions.ACTIONS if a.name in ("Query", "GetItem")
    ]


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
