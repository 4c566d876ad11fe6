"""Test-wide settings: deterministic, time-bounded Hypothesis profiles."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# `ci`: the same examples on every run (derandomize), bounded count, no flaky deadlines on a
# loaded 2-core CI machine. `dev`: more examples, random, for hunting bugs locally.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
