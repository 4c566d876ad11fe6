"""Adding a seventh policy takes its rule module, its cases and its mutation variants - nothing else.

On a copy of the checkout, `scripts/add_rule.py` scaffolds dynamodb-deletion-protection; the
scaffold fails the tests until it is filled in. Filled in (three hand-written files), the pack
serves it, the docs generator documents it, the contract and golden tests cover it and the mutation
catalogue counts its variants; the only other files that change are the generated ones.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dynamodb_guardrails.rules import ALL_RULES
from policy_preview.analyzer.client import running_pack

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("pyproject.toml", "README.md", "policies", "infra", "tests", "scripts", "docs")
SKIPPED = shutil.ignore_patterns("__pycache__", ".hypothesis", "venv", "*.pyc")
NAME, MODULE = "dynamodb-deletion-protection", "dynamodb_deletion_protection"
RULE_FILE = Path("policies/dynamodb_guardrails/rules", f"{MODULE}.py")
CASES_FILE = Path("tests/policies/cases", f"{MODULE}.py")
VARIANTS_FILE = Path("tests/mutations/variants", f"{MODULE}.py")
GOLDEN_FILE = Path("tests/policies/golden", f"{NAME}.json")
PAGE_FILE = Path("docs/policies", f"{NAME}.md")

RULE_SOURCE = '''"""dynamodb-deletion-protection: DynamoDB tables have deletion protection enabled.

## What it checks
Every `aws:dynamodb/table:Table` sets `deletionProtectionEnabled` to true.

## Why
A table holds data: without deletion protection, one wrong `pulumi destroy` deletes it.

## Example
```python
import pulumi_aws as aws

aws.dynamodb.Table("events", hash_key="id", attributes=[{"name": "id", "type": "S"}])
```

## Use instead
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    hash_key="id",
    attributes=[{"name": "id", "type": "S"}],
    deletion_protection_enabled=True,
)
```

## During preview
A `deletionProtectionEnabled` computed from another resource's output is judged on the update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exemptions import exemption_schema, is_exempt
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..resource_types import DYNAMODB_TABLE
from ..rule import ResourceRule
from ..values import as_bool

META = PolicyMeta(
    name="dynamodb-deletion-protection",
    description="DynamoDB tables must have deletion protection enabled.",
    severity="medium",
    enforcement_level="advisory",
    remediation_steps="Set deletionProtectionEnabled to true, or exempt the table (`exemptions`).",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.html",
    config_schema={**exemption_schema("tables that may be deleted")},
    resource_types=frozenset({DYNAMODB_TABLE}),
    tags=("dynamodb",),
)


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.type != DYNAMODB_TABLE or is_exempt(resource, config):
        return []
    value = resource.props.get("deletionProtectionEnabled")
    if value is UNKNOWN or as_bool(value) is True:
        return []
    message = f"Table '{resource.name}' has no deletion protection. Set deletionProtectionEnabled to true."
    return [Violation(message)]


RULE = ResourceRule(meta=META, check=check, doc=__doc__)
'''

CASES_SOURCE = '''"""dynamodb-deletion-protection: protected tables pass, the others are flagged."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import dynamodb_deletion_protection
from tests.policies.kit import bad, good, table

RULE = dynamodb_deletion_protection.RULE

CASES = (
    good("protected table", table(deletionProtectionEnabled=True)),
    good("protection unknown during preview", table(deletionProtectionEnabled=UNKNOWN)),
    good("exempt table", table(), exemptResources=["events"]),
    bad("protection off", table(deletionProtectionEnabled=False)),
    bad("protection absent", table()),
)
'''

VARIANTS_SOURCE = '''"""dynamodb-deletion-protection: tables the stack leaves unprotected."""

from dynamodb_guardrails.rules import dynamodb_deletion_protection
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS, SESSIONS
from tests.mutations.breakage import TABLE, Breakage, change, setting
from tests.mutations.variant import Variant, tables

RULE = dynamodb_deletion_protection.RULE

VARIANTS = (
    Variant(
        "tables-unprotected-by-config",
        "stack config protectTables=false",
        lambda env: Breakage(config={"protectTables": "false"}),
        RULE,
        tables("events", "sessions", "users"),
        exit_code=0,
    ),
    Variant(
        "events-deletion-protection-off",
        "events table: deletionProtectionEnabled false",
        lambda env: change(
            TABLE, naming.table_resource_name(EVENTS, env), setting(deletion_protection_enabled=False)
        ),
        RULE,
        tables("events"),
        exit_code=0,
    ),
    Variant(
        "sessions-deletion-protection-absent",
        "sessions table: deletionProtectionEnabled unset",
        lambda env: change(
            TABLE, naming.table_resource_name(SESSIONS, env), setting(deletion_protection_enabled=None)
        ),
        RULE,
        tables("sessions"),
        exit_code=0,
    ),
)
'''

# The tests that cover a rule because it is in ALL_RULES, and the mutation catalogue's checks.
COVERING_TESTS = (
    "tests/policies/test_rule_cases.py",
    "tests/policies/test_rule_contract.py",
    "tests/docs/test_doc_examples.py",
    "tests/docs/test_generated_docs.py::test_every_rule_documents_the_fixed_sections_under_its_own_name",
    "tests/mutations/test_mutations.py::test_every_policy_is_broken_several_ways",
)


def copy_checkout(target: Path) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=SKIPPED)
        else:
            shutil.copy(source, target / name)
    return target


def digests(root: Path) -> dict[Path, str]:
    return {
        path.relative_to(root): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file() and not {"__pycache__", ".hypothesis", ".pytest_cache"} & set(path.parts)
    }


def run(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=root, capture_output=True, text=True, timeout=timeout, check=False
    )


def pytest_in(
    root: Path, *args: str, tests: tuple[str, ...] = COVERING_TESTS
) -> subprocess.CompletedProcess[str]:
    # `-k` keeps the other rules' tests out: only what the new policy adds (and the catalogue checks).
    selection = ["-k", "deletion or broken_several_ways or scaffolded"]
    return run(root, "-m", "pytest", *tests, *selection, "-q", "-rA", "-p", "no:cacheprovider", *args)


def test_the_scaffold_creates_four_files_that_fail_until_filled_in(tmp_path: Path) -> None:
    root = copy_checkout(tmp_path)
    scaffold = run(root, "scripts/add_rule.py", NAME, "--root", str(root))
    assert scaffold.returncode == 0, scaffold.stderr
    for path in (RULE_FILE, CASES_FILE, GOLDEN_FILE, VARIANTS_FILE):
        assert (root / path).is_file(), path
    # The quick ones: the golden cases and the mutation catalogue (the contract tests fail too).
    tests = pytest_in(root, tests=(COVERING_TESTS[0], COVERING_TESTS[-1]))
    assert tests.returncode == 1, tests.stdout[-3000:]
    failed = [line for line in tests.stdout.splitlines() if line.startswith("FAILED")]
    assert any("test_no_rule_is_left_as_scaffolded" in line and NAME in line for line in failed), failed
    assert any("a bad case must be flagged" in line or "golden" in line for line in failed), failed
    assert any("broken_several_ways" in line for line in failed), failed
    assert all(NAME in line or "broken_several_ways" in line for line in failed), failed


@pytest.fixture(scope="module")
def seventh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Path, str]]:
    """A checkout with the seventh policy scaffolded and its three files written; its state before."""
    root = copy_checkout(tmp_path_factory.mktemp("checkout"))
    before = digests(root)
    scaffold = run(root, "scripts/add_rule.py", NAME, "--root", str(root))
    assert scaffold.returncode == 0, scaffold.stderr
    for path, source in (
        (RULE_FILE, RULE_SOURCE),
        (CASES_FILE, CASES_SOURCE),
        (VARIANTS_FILE, VARIANTS_SOURCE),
    ):
        (root / path).write_text(source, encoding="utf-8")
    return root, before


def test_the_registry_and_the_running_pack_serve_the_seventh_policy(
    seventh: tuple[Path, dict[Path, str]],
) -> None:
    root, _ = seventh
    code = (
        "import json, dynamodb_guardrails.rules as r; print(json.dumps([x.meta.name for x in r.ALL_RULES]))"
    )
    listed = run(root / "policies", "-c", code)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == sorted([*(r.meta.name for r in ALL_RULES), NAME])
    with running_pack(root / "policies") as pack:
        assert pack.info is not None
        served = {p.name: (p.policy_type, p.enforcement_level) for p in pack.info.policies}
    assert served[NAME] == ("resource", "advisory")
    assert len(served) == len(ALL_RULES) + 1


def test_the_docs_generator_documents_the_seventh_policy(seventh: tuple[Path, dict[Path, str]]) -> None:
    root, _ = seventh
    generated = run(root, "scripts/generate_docs.py", "--root", str(root), "--keep-sample-output")
    assert generated.returncode == 0, generated.stderr
    page = (root / PAGE_FILE).read_text(encoding="utf-8")
    assert page.startswith(
        "<!-- Generated by scripts/generate_docs.py from policies/dynamodb_guardrails/rules/"
    )
    assert "## Configuration" in page and "deletion_protection_enabled=True" in page
    assert f"[`{NAME}`](docs/policies/{NAME}.md)" in (root / "README.md").read_text(encoding="utf-8")
    check = run(root, "scripts/generate_docs.py", "--root", str(root), "--keep-sample-output", "--check")
    assert check.returncode == 0, check.stderr


def test_contract_golden_doc_and_catalogue_tests_cover_the_seventh_policy_and_pass(
    seventh: tuple[Path, dict[Path, str]],
) -> None:
    root, before = seventh
    tests = pytest_in(root, "--update-goldens")
    assert tests.returncode == 0, tests.stdout[-3000:]
    passed = [line for line in tests.stdout.splitlines() if line.startswith("PASSED")]
    covering = (
        "test_rule_contract.py::test_exempt",
        "test_rule_contract.py::test_an_unknown",
        "::test_a_case",
    )
    for test in covering:
        assert any(test in line and NAME in line for line in passed), test
    assert any("test_doc_examples.py" in line and NAME in line for line in passed)
    assert any("broken_several_ways" in line for line in passed)
    golden = json.loads((root / GOLDEN_FILE).read_text(encoding="utf-8"))
    message = "Table 'events' has no deletion protection. Set deletionProtectionEnabled to true."
    assert golden["cases"]["protection off"]["findings"] == [{"on": "events", "message": message}]
    # Hand-written: the rule, its cases, its variants. Everything else that changed was generated.
    changed = {path for path, digest in digests(root).items() if before.get(path) != digest}
    generated = {GOLDEN_FILE, PAGE_FILE, Path("README.md")}
    assert changed - generated == {RULE_FILE, CASES_FILE, VARIANTS_FILE}
