"""Hypothesis strategies for tag maps, secret-looking values and resolving unknowns."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from dynamodb_guardrails.model import UNKNOWN
from tests.policies.strategies import scalars

REQUIRED = ("Environment", "Repository", "Team", "CostCenter")

# Keys without quotes, so a key named in a message can be found again in it.
tag_keys = st.one_of(
    st.sampled_from(REQUIRED), st.text(string.ascii_letters + ":/-_", min_size=1, max_size=10)
)
blank_values = st.text(" \t\n", max_size=4)
# Values that must never show up in a message: a marker plus random text.
secret_values = st.text(string.ascii_letters + string.digits, min_size=4, max_size=16).map(
    lambda s: f"s3cr3t{s}"
)
tag_values = st.one_of(secret_values, blank_values, st.just(UNKNOWN))
tag_maps = st.dictionaries(tag_keys, tag_values, max_size=8)
full_tag_maps = st.fixed_dictionaries({key: secret_values for key in REQUIRED})


def resolve_unknowns(tree: Any, draw: Any) -> Any:
    """`tree` with every UNKNOWN replaced by a drawn known value (what the update later sees)."""
    if tree is UNKNOWN:
        known = scalars.filter(lambda v: v is not UNKNOWN)
        return draw(st.one_of(known, full_tag_maps, tag_maps, st.lists(tag_maps, max_size=2)))
    if isinstance(tree, dict):
        return {key: resolve_unknowns(value, draw) for key, value in tree.items()}
    if isinstance(tree, list):
        return [resolve_unknowns(item, draw) for item in tree]
    return tree
