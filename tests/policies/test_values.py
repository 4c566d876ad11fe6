"""The defensive readers every rule and reader reads wire properties through: a missing key, a null,
a wrong type or an unknown value gives a default, never an exception, and every documented
spelling is read the way the providers read it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.values import (
    MAX_JSON_CHARS,
    as_bool,
    as_list,
    as_mapping,
    as_str,
    get_path,
    is_list,
    is_unknown,
    parse_json_document,
    safe_display,
    string_items,
)

TREE = {"a": {"b": [{"c": 1}, {"c": None}], "u": UNKNOWN}, "n": None}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("a", "b", 0, "c"), 1),
        (("a", "b", -1, "c"), "default"),  # a null value is the default
        (("a", "b", -2, "c"), 1),
        (("a", "b", 2, "c"), "default"),  # past the end
        (("a", "b", -3, "c"), "default"),  # before the start
        (("a", "missing"), "default"),
        (("a", "u", "deeper"), UNKNOWN),  # an unknown on the way stays unknown
        (("a", "u"), UNKNOWN),
        (("a", 0), "default"),  # an index into a map
        (("a", "b", "c"), "default"),  # a key into a list
        (("n",), "default"),
        ((), TREE),
    ],
)
def test_get_path_follows_keys_and_indexes_and_defaults_where_the_path_breaks(
    path: tuple[Any, ...], expected: Any
) -> None:
    assert get_path(TREE, *path, default="default") == expected


def test_get_path_defaults_to_none() -> None:
    assert get_path({}, "x") is None
    assert get_path("text", 0) is None  # text is not a list
    assert get_path("text", "e") is None  # nor a mapping: "e" in "text" is no key
    assert get_path(["x"], "x", default="default") == "default"  # a key does not index a list


@pytest.mark.parametrize(
    ("value", "expected"),
    [([1], True), ((1,), True), ("ab", False), (b"ab", False), (bytearray(b"ab"), False), ({}, False)],
)
def test_is_list_is_a_json_array_never_text(value: Any, expected: bool) -> None:
    assert is_list(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), ("a", ["a"]), (["a", 1], ["a", 1]), (("a",), ["a"]), (0, [0]), ({}, [{}]), ("", [""])],
)
def test_as_list_takes_a_single_value_where_a_list_is_expected(value: Any, expected: list[Any]) -> None:
    assert as_list(value) == expected


def test_as_list_copies() -> None:
    original = ["a"]
    assert as_list(original) is not original


def test_string_items_keeps_only_strings() -> None:
    assert string_items(["a", 1, None, "b", UNKNOWN]) == ["a", "b"]
    assert string_items("a") == ["a"]
    assert string_items(None) == []


class _Map(dict[str, Any]):
    pass


@pytest.mark.parametrize(
    ("value", "expected"),
    [({"a": 1}, {"a": 1}), (_Map(a=1), {"a": 1}), (None, {}), ([("a", 1)], {}), ("x", {})],
)
def test_as_mapping_gives_an_empty_map_for_anything_else(value: Any, expected: dict[str, Any]) -> None:
    assert as_mapping(value) == expected


def test_as_mapping_returns_the_map_itself() -> None:
    given = _Map(a=1)
    assert as_mapping(given) is given


def test_as_str_and_is_unknown() -> None:
    assert as_str("x") == "x"
    assert as_str(1) is None
    assert is_unknown(UNKNOWN) is True
    assert is_unknown(None) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        (" TRUE ", True),
        ("False", False),
        (" false", False),
        ("yes", None),
        ("", None),
        (1, None),
        (0, None),
        (None, None),
        (UNKNOWN, None),
    ],
)
def test_as_bool_reads_booleans_and_their_spellings(value: Any, expected: bool | None) -> None:
    assert as_bool(value) is expected


def test_parse_json_document_reads_text_and_objects() -> None:
    document = {"Version": "2012-10-17", "Statement": []}
    assert parse_json_document(json.dumps(document)) == document
    assert parse_json_document(document) is document
    assert parse_json_document(UNKNOWN) is UNKNOWN


@pytest.mark.parametrize("value", ["{not json", "[" * 100_000, None, 7, ["a"]])
def test_parse_json_document_gives_none_for_what_is_not_json(value: Any) -> None:
    assert parse_json_document(value) is None


def test_parse_json_document_refuses_absurdly_large_text() -> None:
    at_limit = json.dumps({"k": "x" * (MAX_JSON_CHARS - 10)})
    at_limit += " " * (MAX_JSON_CHARS - len(at_limit))
    assert parse_json_document(at_limit) == {"k": "x" * (MAX_JSON_CHARS - 10)}
    assert parse_json_document(at_limit + " ") is None


def test_safe_display_quotes_and_shortens() -> None:
    assert safe_display("abc") == "'abc'"
    assert safe_display("it's") == "'it's'"  # quoted as written, not as repr() would
    assert safe_display(5) == "5"
    assert safe_display(None) == "None"
    assert safe_display("x" * 78) == "'" + "x" * 78 + "'"  # 80 characters: shown whole
    assert safe_display("x" * 79) == "'" + "x" * 76 + "..."  # 81: cut to 80
    assert safe_display("abcdef", limit=5) == "'a..."
