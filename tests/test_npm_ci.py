"""scripts/npm_ci.py: `npm ci` only when node_modules is not what the lockfile pins."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "npm_ci.py"
LOCKED = {
    "node_modules/left-pad": {"version": "1.3.0", "integrity": "sha512-a"},
    "node_modules/@scope/tool": {"version": "2.0.1", "integrity": "sha512-b"},
}


@pytest.fixture(scope="module")
def npm_ci() -> ModuleType:
    spec = importlib.util.spec_from_file_location("npm_ci", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, packages: dict[str, Any], root: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {"": {"name": "demo", "dependencies": {"left-pad": "1.3.0"}}} if root else {}
    path.write_text(json.dumps({"name": "demo", "lockfileVersion": 3, "packages": {**entries, **packages}}))


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A package directory as `npm ci` leaves it: lockfile, installed folders, npm's hidden lockfile."""
    _write(tmp_path / "package-lock.json", LOCKED, root=True)
    _write(tmp_path / "node_modules" / ".package-lock.json", LOCKED, root=False)
    for path in LOCKED:
        (tmp_path / path).mkdir(parents=True)
    return tmp_path


def test_an_installed_tree_matching_the_lockfile_is_current(npm_ci: ModuleType, package: Path) -> None:
    assert npm_ci.installed_tree_is_current(package)


def test_a_fresh_clone_a_changed_lockfile_or_a_removed_folder_is_not(
    npm_ci: ModuleType, package: Path
) -> None:
    fresh = package / "fresh"
    _write(fresh / "package-lock.json", LOCKED, root=True)
    assert not npm_ci.installed_tree_is_current(fresh)

    bumped = {**LOCKED, "node_modules/left-pad": {"version": "1.3.1", "integrity": "sha512-c"}}
    _write(package / "package-lock.json", bumped, root=True)
    assert not npm_ci.installed_tree_is_current(package)

    _write(package / "package-lock.json", LOCKED, root=True)
    (package / "node_modules" / "left-pad").rmdir()
    assert not npm_ci.installed_tree_is_current(package)


def test_npm_ci_runs_only_when_the_tree_is_not_current(
    npm_ci: ModuleType, package: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[list[str]] = []

    def fake_run(command: list[str], check: bool) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(npm_ci.subprocess, "run", fake_run)
    assert npm_ci.main([str(package)]) == 0
    assert calls == [] and "npm ci skipped" in capsys.readouterr().out
    (package / "node_modules" / ".package-lock.json").unlink()
    assert npm_ci.main([str(package), "--prefer-offline"]) == 0
    assert calls == [[*npm_ci.NPM_CI, "--prefix", str(package), "--prefer-offline"]]


def test_the_committed_lockfiles_are_ones_the_check_reads(npm_ci: ModuleType) -> None:
    root = SCRIPT.parents[1]
    for directory in ("scripts/aws-managed-policies", "tests/preview/fixtures/node"):
        assert npm_ci._packages(root / directory / "package-lock.json"), directory
