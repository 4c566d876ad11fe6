"""The GitHub Actions workflow is valid and does what the README says: tests, then the policy
preview whose SARIF is uploaded to code scanning even when the preview fails the job."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from policy_preview.cli import build_parser

from .preview.conftest import INSTALL_COMMAND as NODE_INSTALL

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "policy.yml"
MUTATION_WORKFLOW = REPO / ".github" / "workflows" / "mutation.yml"
# check-jsonschema (pinned in the test extra) ships GitHub's workflow schema: no network needed.
LINT = [
    str(Path(sys.executable).with_name("check-jsonschema")),
    "--builtin-schema",
    "vendor.github-workflows",
]


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LINT, str(path)], capture_output=True, text=True, timeout=120)


def workflow(path: Path = WORKFLOW) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text())
    return loaded


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


@pytest.mark.parametrize("path", [WORKFLOW, MUTATION_WORKFLOW], ids=lambda p: p.name)
def test_the_workflow_passes_the_workflow_schema_lint(path: Path) -> None:
    done = lint(path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("runs-on: ubuntu-latest\n    timeout-minutes: 30", "run-on: ubuntu-latest\n    timeout-minutes: 30"),
        ("security-events: write", "security-events: writable"),
        ("      - uses: actions/checkout@v6\n", "      - usess: actions/checkout@v6\n"),
    ],
)
def test_the_lint_catches_broken_workflows(tmp_path: Path, old: str, new: str) -> None:
    text = WORKFLOW.read_text()
    assert old in text
    broken = tmp_path / "policy.yml"
    broken.write_text(text.replace(old, new, 1))
    assert lint(broken).returncode != 0


@pytest.mark.parametrize("path", [WORKFLOW, MUTATION_WORKFLOW], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_version(path: Path) -> None:
    for job in workflow(path)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                version = step["uses"].partition("@")[2]
                assert version.startswith("v") and version[1:].split(".")[0].isdigit(), step["uses"]


# The README's test command with every test, the slow ones too (noxfile.py's ALL).
FULL_RUN = "nox -s tests -- --all"
# What .ci/run installs the Node.js test programs with: npm ci unless the install is current.
CI_NODE_INSTALL = "python3 scripts/npm_ci.py tests/preview/fixtures/node"


def test_the_tests_job_runs_the_readme_test_command_with_every_test() -> None:
    assert any(step.get("run") == FULL_RUN for step in steps("tests"))


def test_ci_runs_the_readme_test_command_with_every_test_once() -> None:
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    assert [line for line in lines if line.startswith("nox -s tests")] == [FULL_RUN]
    assert "set -euo pipefail" in lines  # a failing (or exit-5) pytest fails CI


def test_ci_installs_the_node_test_programs_before_the_tests() -> None:
    # In CI (CI=true) the Node.js tests fail rather than skip without their install.
    runs = [str(step.get("run", "")) for step in steps("tests")]
    [install] = [i for i, run in enumerate(runs) if run.startswith(NODE_INSTALL)]
    assert install < runs.index(FULL_RUN)
    script = (REPO / ".ci" / "run").read_text()
    assert CI_NODE_INSTALL in script and script.index(CI_NODE_INSTALL) < script.index(FULL_RUN)


def test_the_preview_writes_the_sarif_that_is_uploaded_even_when_the_job_fails() -> None:
    job = workflow()["jobs"]["policy-preview"]
    assert job["permissions"]["security-events"] == "write"
    runs = [s for s in job["steps"] if str(s.get("run", "")).startswith("nox -s preview -- ")]
    [preview] = runs
    # The arguments are ones policy-preview accepts, and they write SARIF to a file.
    args = build_parser().parse_args(shlex.split(preview["run"].split(" -- ", 1)[1]))
    assert args.format == "sarif" and args.output is not None
    [upload] = [
        s for s in job["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")
    ]
    assert upload["with"]["sarif_file"] == str(args.output)
    assert job["steps"].index(upload) > job["steps"].index(preview)
    # After a failed preview step (exit 1) the upload still runs; without a file (exit 2) it is skipped.
    assert "!cancelled()" in upload["if"] and f"hashFiles('{args.output}')" in upload["if"]


def test_the_mutation_workflow_gates_changes_to_the_rules_and_their_tests() -> None:
    # Too long for every push: it runs when the rules, their tests or the mutation script change, and
    # the session itself fails below the goal. .ci/run runs it on every landing.
    flow = workflow(MUTATION_WORKFLOW)
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert {"policies/**", "tests/policies/**", "scripts/mutation_score.py"} <= set(
        triggers["pull_request"]["paths"]
    )
    runs = [step.get("run") for step in flow["jobs"]["mutation"]["steps"]]
    assert "nox -s mutation" in runs


def test_ci_runs_the_mutation_gate_after_the_tests() -> None:
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    assert "nox -s mutation" in lines and lines.index("nox -s mutation") > lines.index(FULL_RUN)
