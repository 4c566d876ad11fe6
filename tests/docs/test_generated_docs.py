"""The generated documentation (README tables and sample output, docs/policies/, PulumiPolicy.yaml's
description) matches the code, and `scripts/generate_docs.py --check` notices when it does not."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from dynamodb_guardrails import docs
from dynamodb_guardrails.rule import Rule
from dynamodb_guardrails.rules import ALL_RULES, billing_mode, required_tags
from dynamodb_guardrails.taggable_types import PULUMI_AWS_VERSION, TAGGABLE_TYPES
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
RULES = pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.meta.name)


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_script("generate_docs")


@pytest.mark.slow
def test_every_generated_text_is_current(generator: ModuleType) -> None:
    # Also runs the preview for the README's sample output, as the generator does.
    assert generator.main(["--check"]) == 0, "run: python scripts/generate_docs.py"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The files the generator reads and writes, copied: a checkout to make stale."""
    for path in ("README.md", "policies/PulumiPolicy.yaml", "docs/policies"):
        source, target = ROOT / path, tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return tmp_path


def test_check_names_every_stale_file_and_writing_fixes_them(generator: ModuleType, checkout: Path) -> None:
    readme = checkout / "README.md"
    page = checkout / "docs" / "policies" / f"{billing_mode.META.name}.md"
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("| `team` |", "| `crew` |"), encoding="utf-8"
    )
    page.write_text(page.read_text(encoding="utf-8") + "hand edit\n", encoding="utf-8")
    (checkout / "docs" / "policies" / "retired-policy.md").write_text("old\n", encoding="utf-8")
    args = ["--root", str(checkout), "--keep-sample-output"]
    expected = generator.expected_files(checkout, run_preview=False)
    assert sorted(map(str, generator.stale_files(checkout, expected))) == [
        "README.md",
        f"docs/policies/{billing_mode.META.name}.md",
        "docs/policies/retired-policy.md",
    ]
    assert generator.main([*args, "--check"]) == 1
    assert generator.main(args) == 0
    assert generator.main([*args, "--check"]) == 0
    assert not (checkout / "docs" / "policies" / "retired-policy.md").exists()


def test_the_readme_lists_every_policy_with_a_link_to_its_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in ALL_RULES:
        assert f"[`{rule.meta.name}`](docs/policies/{rule.meta.name}.md)" in readme
        assert (ROOT / "docs" / "policies" / f"{rule.meta.name}.md").is_file()


def test_counts_in_the_prose_are_computed_from_the_code() -> None:
    page = docs.policy_page(required_tags.RULE, source="x.py")
    assert f"pulumi-aws {PULUMI_AWS_VERSION} SDK" in page
    assert f"({len(TAGGABLE_TYPES)} types," in page
    fewer = replace(required_tags.RULE, facts={**required_tags.RULE.facts, "taggable_types": 3})
    assert "(3 types," in docs.policy_page(fewer, source="x.py")


# --- the docstring format ------------------------------------------------------------------------


@RULES
def test_every_rule_documents_the_fixed_sections_under_its_own_name(rule: Rule) -> None:
    doc = docs.parse(rule)  # raises DocError naming what is missing
    assert doc.name == rule.meta.name
    assert list(doc.sections)[: len(docs.SECTIONS)] == list(docs.SECTIONS)
    compile(doc.bad_example, f"{rule.meta.name} example", "exec")
    compile(doc.fixed_example, f"{rule.meta.name} fixed example", "exec")


def _with_doc(doc: str, **facts: object) -> Rule:
    return replace(billing_mode.RULE, doc=doc, facts=facts)


GOOD_DOC = billing_mode.RULE.doc or ""


@pytest.mark.parametrize(
    ("rule", "complaint"),
    [
        (_with_doc(GOOD_DOC.replace("dynamodb-on-demand-billing:", "other-name:", 1)), "must start with"),
        (_with_doc(GOOD_DOC.replace("## Why\n", "## Reasons\n")), "needs the sections"),
        (_with_doc(GOOD_DOC.replace("```python", "```text", 1)), "exactly one ```python block"),
        (_with_doc(GOOD_DOC.replace("## Why\n", "## Why\n{{count}} ")), "declares no such fact"),
        (_with_doc(GOOD_DOC, count=3), "declared but not used"),
    ],
    ids=["other name", "section renamed", "no code block", "unknown placeholder", "unused fact"],
)
def test_a_docstring_off_the_format_is_an_error_naming_the_rule(rule: Rule, complaint: str) -> None:
    with pytest.raises(docs.DocError, match=complaint) as raised:
        docs.parse(rule)
    assert rule.meta.name in str(raised.value)
