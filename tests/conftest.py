"""Test-wide settings: deterministic, time-bounded Hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/policies/golden/*.json from the rules' current messages (also UPDATE_GOLDENS=1)",
    )


# Every collected test, before `-m` deselects any (tests/test_test_selection.py reads it): a
# conftest hook runs before the built-in one that deselects.
COLLECTED = pytest.StashKey[list[tuple[str, bool]]]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[COLLECTED] = [
        (_relative(item.path, config.rootpath), item.get_closest_marker("slow") is not None) for item in items
    ]


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if config.getoption("markexpr") == "not slow":
        left_out = sum(slow for _, slow in config.stash.get(COLLECTED, []))
        if left_out:
            terminalreporter.write_line(f"{left_out} slow tests left out: `nox -s tests -- --all` runs them")
