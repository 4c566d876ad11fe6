"""Shared fixtures of the preview tests: the one npm install every Node.js test program uses, and the
resources `policy-preview` judges when a test injects them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policy_preview import cli
from policy_preview.model import ResourceRecord

from .engine_helpers import root_stack

NODE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "node"
INSTALL_COMMAND = "npm ci --prefix tests/preview/fixtures/node"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def node_fixtures() -> Path:
    """The Node.js test programs' folder, once its packages are installed (`.ci/run` installs them).

    Outside CI the Node.js tests skip, saying why, while `node` or the install is missing; in CI
    (CI=true) they must run, so a missing install fails them instead.
    """
    if shutil.which("node") is None:
        problem = "`node` is not on PATH"
    elif not (NODE_FIXTURES / "node_modules" / "@pulumi" / "pulumi" / "package.json").is_file():
        problem = f"the Node.js test programs' packages are not installed (run `{INSTALL_COMMAND}`)"
    else:
        return NODE_FIXTURES
    if in_ci():
        pytest.fail(f"{problem}; CI=true, so the Node.js tests must run.")
    pytest.skip(f"{problem}; the Node.js tests run once it is (and always in CI).")


@pytest.fixture
def records(monkeypatch: pytest.MonkeyPatch) -> list[ResourceRecord]:
    """The resources `policy-preview` judges, instead of running the program: the root stack, and
    whatever the test adds to the list."""
    given: list[ResourceRecord] = [root_stack()]
    monkeypatch.setattr(cli, "load_records", lambda plan, stack, mode: list(given))
    return given
