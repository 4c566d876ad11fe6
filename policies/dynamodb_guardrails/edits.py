"""Remediations as edits: a rule says what it changes, and nothing else of the resource is touched.

A rule's `remediate` sees plain data (secrets unwrapped, unknowns as UNKNOWN), so it must never hand
properties back itself: that would turn secrets into plain values and unknowns into whatever the
rule saw. It returns `PropertyEdit`s instead; `apply_edits` applies them to the properties exactly as
the SDK handed them over, copying only the containers on an edited path. How a value is opened
(a secret wrapper, an SDK proxy) is the caller's `open_value`: the SDK adapter knows the SDK's
types, this module knows none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PathStep = str | int
# open_value(value) -> (content, wrap): the value inside any wrapper, and how to wrap a
# replacement the same way (a secret stays a secret).
Opener = Callable[[Any], tuple[Any, Callable[[Any], Any]]]


@dataclass(frozen=True)
class PropertyEdit:
    """Set the property at `path` to `value`, or remove it (`remove=True`).

    `path` runs from a top-level property through map keys (str) and list indices (int)."""

    path: tuple[PathStep, ...]
    value: Any = None
    remove: bool = False


class CannotApply(Exception):
    """An edit's path runs through something that is not the container it needs (an unknown, junk):
    the remediation cannot produce complete properties and must decline."""


def _identity(value: Any) -> Any:
    return value


def open_plain(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    return value, _identity


def apply_edits(
    props: Mapping[str, Any], edits: Iterable[PropertyEdit], open_value: Opener = open_plain
) -> dict[str, Any]:
    """A copy of `props` with `edits` applied; every value off the edited paths is the same object.

    Raises CannotApply when a path cannot be followed."""
    top, _ = open_value(props)
    if not isinstance(top, Mapping):
        raise CannotApply("the properties are not a map")
    result = dict(top)
    for edit in edits:
        if not edit.path:
            raise CannotApply("an edit without a path")
        _apply(result, edit, open_value)
    return result


def _apply(top: dict[str, Any], edit: PropertyEdit, open_value: Opener) -> None:
    container: dict[Any, Any] | list[Any] = top
    *parents, last = edit.path
    for step in parents:
        raw = _child(container, step)
        inner, wrap = open_value(raw)
        copy = _copy_container(inner)
        container[step] = wrap(copy)  # type: ignore[index]
        container = copy
    if edit.remove:
        if not isinstance(container, dict):
            raise CannotApply("only map entries can be removed")
        container.pop(last, None)
        return
    prior = _child(container, last) if _has(container, last) else None
    _, wrap = open_value(prior)
    container[last] = wrap(edit.value)  # type: ignore[index]


def _has(container: dict[Any, Any] | list[Any], step: PathStep) -> bool:
    if isinstance(container, dict):
        return isinstance(step, str) and step in container
    return isinstance(step, int) and 0 <= step < len(container)


def _child(container: dict[Any, Any] | list[Any], step: PathStep) -> Any:
    if not _has(container, step):
        raise CannotApply(f"no {step!r} on the path")
    return container[step]  # type: ignore[index]


def _copy_container(inner: Any) -> dict[Any, Any] | list[Any]:
    if isinstance(inner, Mapping):
        return dict(inner)
    if isinstance(inner, Sequence) and not isinstance(inner, str | bytes):
        return list(inner)
    raise CannotApply("the path runs through a value that is not a map or a list")
