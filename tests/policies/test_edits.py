"""apply_edits: only the edited paths change; a path through something else declines."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails.edits import CannotApply, PropertyEdit, apply_edits
from tests.policies.strategies import junk_trees


class Wrapped:
    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Wrapped) and other.value == self.value


def open_wrapped(value: Any) -> tuple[Any, Any]:
    return (value.value, Wrapped) if isinstance(value, Wrapped) else (value, lambda v: v)


def test_a_value_written_over_a_wrapped_one_is_wrapped_and_wrapped_containers_are_rewrapped() -> None:
    props = {"mode": Wrapped("A"), "list": Wrapped([{"x": 1, "y": 2}]), "other": Wrapped("s")}
    edits = [PropertyEdit(("mode",), "B"), PropertyEdit(("list", 0, "x"), remove=True)]
    fixed = apply_edits(props, edits, open_wrapped)
    assert fixed == {"mode": Wrapped("B"), "list": Wrapped([{"y": 2}]), "other": Wrapped("s")}
    assert fixed["other"] is props["other"]
    assert props["list"].value == [{"x": 1, "y": 2}]  # the input is never changed


@pytest.mark.parametrize(
    ("props", "path"),
    [
        ({"a": "text"}, ("a", "b")),
        ({"a": [1]}, ("a", 5, "b")),
        ({"a": {"b": 1}}, ("a", 0, "b")),
        ({}, ("a", "b")),
    ],
)
def test_a_path_that_cannot_be_followed_declines(props: dict[str, Any], path: tuple[Any, ...]) -> None:
    with pytest.raises(CannotApply):
        apply_edits(props, [PropertyEdit(path, remove=True)])


@given(junk_trees)
def test_values_off_the_edited_path_are_the_same_objects(tree: Any) -> None:
    props = {"edited": {"x": 1}, "kept": tree}
    fixed = apply_edits(props, [PropertyEdit(("edited", "x"), remove=True), PropertyEdit(("new",), 1)])
    assert fixed["kept"] is tree and fixed["edited"] == {} and fixed["new"] == 1


@pytest.mark.parametrize(
    ("props", "edit", "reason"),
    [
        ("not a map", PropertyEdit(("a",), 1), "the properties are not a map"),
        ({}, PropertyEdit((), 1), "an edit without a path"),
        ({"a": [1]}, PropertyEdit(("a", 0), remove=True), "only map entries can be removed"),
        ({"a": [1]}, PropertyEdit(("a", 1, "b"), 1), "no 1 on the path"),  # one past the end
        (
            {"a": "text"},
            PropertyEdit(("a", 0), "x"),
            "the path runs through a value that is not a map or a list",
        ),
        ({"a": 5}, PropertyEdit(("a", "b"), 1), "the path runs through a value that is not a map or a list"),
    ],
)
def test_a_declined_edit_says_why(props: Any, edit: PropertyEdit, reason: str) -> None:
    with pytest.raises(CannotApply) as declined:
        apply_edits(props, [edit])
    assert str(declined.value) == reason


def test_removing_an_absent_entry_changes_nothing() -> None:
    assert apply_edits({"a": {"b": 1}}, [PropertyEdit(("a", "c"), remove=True)]) == {"a": {"b": 1}}
