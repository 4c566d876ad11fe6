"""Records cross from the program worker to its parent as JSON: every field, options included,
comes back as it went."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from policy_preview.model import CustomTimeouts, ResourceRecord
from policy_preview.program.record_codec import record_from_json, record_to_json

_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | _names,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_names, inner, max_size=3),
    max_leaves=10,
)
_urns = st.builds(lambda n: f"urn:pulumi:dev::p::aws:sns/topic:Topic::{n}", _names)
_seconds = st.floats(0, 1e6, allow_nan=False)

records = st.builds(
    ResourceRecord,
    urn=_urns,
    type=st.just("aws:sns/topic:Topic"),
    name=_names,
    custom=st.booleans(),
    inputs=st.dictionaries(_names, _json, max_size=4),
    outputs=st.dictionaries(_names, _json, max_size=4),
    parent=st.none() | _urns,
    provider=st.none() | _urns,
    dependencies=st.lists(_urns, max_size=3).map(tuple),
    property_dependencies=st.dictionaries(_names, st.lists(_urns, max_size=2).map(tuple), max_size=3),
    protect=st.booleans(),
    ignore_changes=st.lists(_names, max_size=3).map(tuple),
    delete_before_replace=st.none() | st.booleans(),
    additional_secret_outputs=st.lists(_names, max_size=3).map(tuple),
    aliases=st.lists(_urns, max_size=2).map(tuple),
    custom_timeouts=st.builds(CustomTimeouts, _seconds, _seconds, _seconds, _seconds),
)


@given(records)
def test_a_record_survives_the_trip_through_json(record: ResourceRecord) -> None:
    assert record_from_json(json.loads(json.dumps(record_to_json(record)))) == record
