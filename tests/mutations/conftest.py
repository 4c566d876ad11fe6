"""One set of program runs and one pack process for this directory's tests, started as soon as
the first test of this directory runs; the tests that do not need them (whole `policy-preview`
runs) go first, so both cores stay busy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mutations.harness import Suite

HERE = Path(__file__).resolve().parent
_wanted = {"suite": False}  # whether any collected test of this run uses the shared suite


def _mine(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def _uses_suite(item: pytest.Item) -> bool:
    return "suite" in getattr(item, "fixturenames", ())


# trylast: after `-m` deselected tests, so a run without the suite's users (`nox -s tests`, where
# they are marked slow) does not start the suite's program runs for nothing (~40 s of CPU).
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    slots = [i for i, item in enumerate(items) if _mine(item)]
    ours = [items[i] for i in slots]
    _wanted["suite"] = any(_uses_suite(item) for item in ours)
    # Stable: only moves this directory's suite-free tests ahead, within this directory's slots.
    ours.sort(key=_uses_suite)
    for slot, item in zip(slots, ours, strict=True):
        items[slot] = item


@pytest.fixture(scope="package", autouse=True)
def _background_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite | None]:
    if not _wanted["suite"]:
        yield None
        return
    started = Suite(tmp_path_factory.mktemp("pack-configs")).begin()
    try:
        yield started
    finally:
        started.stop()  # the pack process, also when a program run failed


@pytest.fixture(scope="package")
def suite(_background_suite: Suite | None) -> Suite:
    assert _background_suite is not None
    return _background_suite.ready()
