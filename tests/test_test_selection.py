"""Which tests each run takes: `nox -s tests` (the fast set, `-m "not slow"`) and `nox -s tests --
--all` (every test, as CI runs it). No test file falls out of both, and the fast set keeps end-to-end
tests of every area (the README's development table says what each command runs)."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import COLLECTED

ROOT = Path(__file__).resolve().parents[1]
PYTEST_INI = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
    "ini_options"
]
# Files that start real processes (the pack over gRPC, programs, the console script): each keeps at
# least one test in the fast run.
END_TO_END_IN_THE_FAST_RUN = (
    "tests/policies/test_pack_over_grpc.py",
    "tests/policies/test_remediation_over_grpc.py",
    "tests/infra/test_program.py",
    "tests/preview/test_program.py",
    "tests/preview/test_analyzer_protocol.py",
    "tests/preview/test_cli_errors.py",
    "tests/mutations/test_stack_is_clean.py",
    "tests/docs/test_generated_docs.py",
)


def _defines_tests(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"))
        or (isinstance(node, ast.ClassDef) and node.name.startswith("Test"))
        for node in tree.body
    )


def _files_with_tests() -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("*.py")
        if "node_modules" not in path.parts and _defines_tests(path)
    }


@pytest.fixture
def collected(request: pytest.FixtureRequest) -> list[tuple[str, bool]]:
    config = request.config
    if config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        pytest.skip("checks a run of the whole suite (no paths given), as both nox runs are")
    return config.stash[COLLECTED]


def test_every_file_that_defines_tests_is_collected(collected: list[tuple[str, bool]]) -> None:
    # A file pytest does not collect (e.g. `tests/preview/check_x.py`) would be in neither run.
    missing = _files_with_tests() - {path for path, _ in collected}
    assert not missing, f"pytest does not collect these; name them test_*.py: {sorted(missing)}"


def test_every_area_keeps_end_to_end_tests_in_the_fast_run(collected: list[tuple[str, bool]]) -> None:
    fast = {path for path, slow in collected if not slow}
    assert [path for path in END_TO_END_IN_THE_FAST_RUN if path not in fast] == []
    areas = {path.split("/")[1] for path, _ in collected if path.count("/") > 1}
    assert areas - {path.split("/")[1] for path in fast if path.count("/") > 1} <= {"bench"}


def test_the_runs_differ_only_by_the_slow_marker() -> None:
    # Plain `pytest` and `--all` take every test: nothing else deselects or skips whole files.
    assert PYTEST_INI["testpaths"] == ["tests"] and "python_files" not in PYTEST_INI
    assert not re.search(r"(^|\s)(-m|-k|--ignore|--deselect)", PYTEST_INI["addopts"])
    assert any(marker.startswith("slow:") for marker in PYTEST_INI["markers"])
    for conftest in (ROOT / "tests").rglob("conftest.py"):
        assert "collect_ignore" not in conftest.read_text(encoding="utf-8"), conftest
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert 'FAST_ONLY = ("-m", "not slow")' in noxfile and 'ALL = "--all"' in noxfile
