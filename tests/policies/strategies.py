"""Hypothesis strategies shared by the policy tests: junk property trees and the like."""

from __future__ import annotations

from hypothesis import strategies as st

from dynamodb_guardrails.model import UNKNOWN

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.just(UNKNOWN),
)

# Arbitrary JSON-ish trees with UNKNOWN sprinkled in, keyed by plausible and random names.
_keys = st.one_of(
    st.sampled_from(
        [
            "billingMode",
            "serverSideEncryption",
            "enabled",
            "kmsKeyArn",
            "tags",
            "tagsAll",
            "policy",
            "Statement",
            "Action",
            "Resource",
            "dimensions",
            "metricQueries",
            "replicas",
        ]
    ),
    st.text(max_size=8),
)
junk_trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)),
    max_leaves=25,
)

# A resource's property map: plausible and random keys, junk values.
junk_props = st.dictionaries(_keys, junk_trees, max_size=4)
