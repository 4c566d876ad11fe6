"""Sessions that users and CI run: `nox -l` lists them, `nox` runs the default ones."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests"]
# Virtual environments are reused between runs; pip only installs what changed.
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = False

PYTHON = "3.11"
CONSTRAINTS = ("-c", "constraints.txt")
CODE = ("infra", "policies", "src", "tests", "scripts", "bench", "noxfile.py")
# The pinned npm package of AWS-managed policy documents (scripts/generate_managed_policies.py).
MANAGED_POLICIES_NPM = "scripts/aws-managed-policies"


def _install(session: nox.Session, *extras: str) -> None:
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec, *CONSTRAINTS)


# `nox -s tests` leaves out the tests marked slow (pyproject.toml's markers); `-- --all` runs them too.
FAST_ONLY = ("-m", "not slow")
ALL = "--all"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite without its slow end-to-end tests (~1 min 45 s); `-- --all` runs every test.

    The fast set still runs a few end-to-end tests of every area (pack over gRPC, programs under
    mocks, the preview command); the slow ones (Node.js programs, mutation-suite runs, the
    add-a-rule walk-through, bench smoke) run with `--all`, as CI does. Other arguments go to pytest.
    """
    _install(session, "test")
    # Lets the currency test regenerate the managed-policy list (npm registry, ~5 MB, lockfile
    # pinned); skipped when node_modules already matches the lockfile.
    session.run("python", "scripts/npm_ci.py", MANAGED_POLICIES_NPM)
    session.env["HYPOTHESIS_PROFILE"] = session.env.get("HYPOTHESIS_PROFILE", "ci")
    args = [arg for arg in session.posargs if arg != ALL]
    selection = () if ALL in session.posargs else FAST_ONLY
    session.run("pytest", *selection, *args)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check style and common bugs with ruff (no changes are made)."""
    session.install("ruff==0.17.5")
    session.run("ruff", "check", *CODE)
    session.run("ruff", "format", "--check", *CODE)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Type-check the stack, the pack and the preview with mypy."""
    _install(session, "typecheck")
    session.run("mypy", "infra", "policies/dynamodb_guardrails", "src/policy_preview", "bench")


@nox.session(python=PYTHON)
def preview(session: nox.Session) -> None:
    """Offline policy preview: run the stack under mocks, judge it with the pack as `pulumi preview` would.

    Extra arguments go to `policy-preview`, e.g. `nox -s preview -- --format sarif`.
    """
    _install(session)
    session.run("policy-preview", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmark the pack against a no-op pack through the Analyzer protocol; writes bench/results/.

    Takes 15-25 minutes (the 1000-table programs most of it). `nox -s bench -- --quick` checks the
    harness in seconds; `-- --help` for options.
    """
    _install(session, "bench")
    session.run("python", "-m", "bench.run", *session.posargs)


@nox.session(python=PYTHON)
def mutation(session: nox.Session) -> None:
    """Mutation score of the pack's rules and IAM document reader (mutmut); fails below the goal.

    Each module is mutated and run against its own tests only (scripts/mutation_score.py --list);
    prints the score per module and overall (goal: >= 95 % overall, >= 90 % per module). Equivalent
    mutants are listed, with their reasons, in tests/policies/equivalent_mutants.toml.
    `nox -s mutation -- billing_mode` runs one, `-- --list` shows them, `-- --all` also mutates
    the readers, views and shared modules (over an hour on 2 cores).
    """
    _install(session, "test", "mutation")
    session.env["HYPOTHESIS_PROFILE"] = session.env.get("HYPOTHESIS_PROFILE", "ci")
    session.run("python", "scripts/mutation_score.py", *session.posargs)
