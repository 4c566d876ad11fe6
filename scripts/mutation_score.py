"""Mutation score of the policy pack's rules, readers, views and shared logic (`nox -s mutation`).

Each target module is mutated by mutmut and every mutant is run against that module's own tests
only, in process (no subprocess tests), so a mutant counts as killed only when a test about that
module notices it. A rule module's own tests are `tests/policies/test_<rule>.py` (found by name)
plus the road tests of RULE_ROAD_TESTS (a rule judged on every provider's forms is pinned there too);
every other target - the IAM document reader, the readers and views the rules read, the shared helpers - is a
row of SHARED_TARGETS: its module and its own test files (the tests of the rules that read it,
plus any test of the module itself).

mutmut names mutants after the file path (`dynamodb_guardrails/rules/billing_mode.py` becomes
`dynamodb_guardrails.rules.billing_mode.x_check__mutmut_3`) and must see the same module path the
tests import. The pack is imported as `dynamodb_guardrails` from `policies/` (pytest's
`pythonpath`), so each target runs in a staging directory, `build/mutation/<module>/`, that holds
a copy of the package at its top level, the policy tests and a generated pyproject.toml with the
target's `[tool.mutmut]` config. Staging is rebuilt on every run: mutmut keeps a verdict when only
the tests change, and a stale "survived" or "killed" would lie.

Surviving mutants that no test can kill (they change nothing a user could observe) are listed in
tests/policies/equivalent_mutants.toml, each with its reason; they are matched by module,
function and the exact line change (not by mutmut's mutant number, which shifts when a function
changes), excluded from the score and counted in the report.

    python scripts/mutation_score.py                        # every target, fails below the goal
    python scripts/mutation_score.py billing_mode encryption  # only these (while iterating)
    python scripts/mutation_score.py --list                 # the targets and their tests
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "dynamodb_guardrails"
PACKAGE_DIR = ROOT / "policies" / PACKAGE
TESTS_DIR = ROOT / "tests"
STAGING = ROOT / "build" / "mutation"
EQUIVALENTS_FILE = TESTS_DIR / "policies" / "equivalent_mutants.toml"

OVERALL_GOAL = 95.0
MODULE_GOAL = 90.0

# mutmut's exit-code verdicts (mutmut.stats.status_by_exit_code) that mean a test noticed.
_KILLED = {"killed", "timeout"}


@dataclass(frozen=True)
class Target:
    """One module to mutate and the test files that are its own tests."""

    name: str
    source: str  # path inside the staged package root, e.g. dynamodb_guardrails/rules/encryption.py
    tests: tuple[str, ...]


# readers: each reader's own tests (its views pinned whole) first, then the tests of the rules that
# read it. Trimmed to what sees the reader: every mutant reruns the tests that reach its function.
_P = "tests/policies/test_"
_PERMISSION_TESTS = (f"{_P}permission_readers.py", f"{_P}permission_forms.py", f"{_P}reader_wire_names.py")
# (test_required_tags_provider.py needs policy_preview, which the staging directory does not hold.)
_TAG_TESTS = (f"{_P}tag_readers.py", f"{_P}required_tags.py", f"{_P}aws_native_tables.py")
_TEMPLATE_TESTS = (f"{_P}cloudformation_reader.py", f"{_P}cloudformation_templates.py")
_TABLE_TESTS = (
    f"{_P}table_readers.py",
    f"{_P}billing_mode.py",
    f"{_P}encryption.py",
    f"{_P}aws_native_tables.py",
)
_ALARM_TESTS = (
    f"{_P}alarm_readers.py",
    f"{_P}alarm_roads.py",
    f"{_P}table_alarms.py",
    f"{_P}alarm_actions.py",
)


# A rule's behaviour on the other roads (aws-native, CloudFormation, resource policies) is tested in
# files named after the road, not the rule; they are that rule's own tests too. Without them the
# rule's location and road branches have no test in its mutation run ("no tests", survivors).
RULE_ROAD_TESTS: dict[str, tuple[str, ...]] = {
    "table_alarms": (f"{_P}alarm_roads.py",),
    "iam_least_privilege": (f"{_P}permission_forms.py", f"{_P}resource_access.py"),
}


# Every target that is not a rule module: name -> (module inside the package, its own test files).
# In-process tests only (no subprocess or gRPC tests: mutmut runs each mutant in process). A module's
# own tests are the tests of the rules that read it plus any test of the module itself.
SHARED_TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    # The reader's behaviour users see is the least-privilege rule's findings: those tests count too.
    # Principals and conditions it reads are what resource-policy findings rest on.
    "iam_documents": (
        "iam_documents.py",
        (
            "tests/policies/test_iam_documents.py",
            "tests/policies/test_iam_least_privilege.py",
            "tests/policies/test_resource_access.py",
        ),
    ),
    # views and shared logic
    # Trimmed to the fastest files that pin each module: a surviving mutant runs all of them.
    "views.tables": (
        "views/tables.py",
        (
            "tests/policies/test_billing_mode.py",
            "tests/policies/test_aws_native_tables.py",
            "tests/policies/test_encryption.py",  # key levels, unknown keys included
        ),
    ),
    "views.alarms": (
        "views/alarms.py",
        ("tests/policies/test_alarm_roads.py", "tests/policies/test_table_alarms.py"),
    ),
    "views.permissions": (
        "views/permissions.py",
        (
            "tests/policies/test_permission_views.py",
            "tests/policies/test_permission_forms.py",
            "tests/policies/test_resource_access.py",
        ),
    ),
    "views.location": (
        "views/location.py",
        ("tests/policies/test_table_alarms.py", "tests/policies/test_alarm_roads.py"),
    ),
    "views.tags": ("views/tags.py", ("tests/policies/test_aws_native_tables.py",)),
    "alarm_metrics": (
        "alarm_metrics.py",
        ("tests/policies/test_table_alarms.py", "tests/policies/test_alarm_roads.py"),
    ),
    "cloudwatch_metrics": (
        "cloudwatch_metrics.py",
        (
            "tests/policies/test_cloudwatch_metrics.py",
            "tests/policies/test_table_alarms.py",
            "tests/policies/test_alarm_roads.py",
        ),
    ),
    "arn_patterns": (
        "arn_patterns.py",
        ("tests/policies/test_arn_patterns.py", "tests/policies/test_iam_documents.py"),
    ),
    "resource_access": (
        "resource_access.py",
        ("tests/policies/test_resource_access.py", "tests/policies/test_permission_forms.py"),
    ),
    "edits": ("edits.py", ("tests/policies/test_edits.py", "tests/policies/test_billing_mode.py")),
    "values": ("values.py", ("tests/policies/test_values.py", "tests/policies/test_billing_mode.py")),
    "dynamodb_actions": (
        "dynamodb_actions.py",
        ("tests/policies/test_dynamodb_actions.py", "tests/policies/test_iam_documents.py"),
    ),
    "managed_policies": (
        "managed_policies.py",
        ("tests/policies/test_managed_policies.py", "tests/policies/test_iam_least_privilege.py"),
    ),
    "exemptions": ("exemptions.py", ("tests/policies/test_exemptions.py",)),
    # readers
    "readers": (
        "readers/__init__.py",
        (f"{_P}template_views.py", f"{_P}tag_readers.py", *_TEMPLATE_TESTS, f"{_P}billing_mode.py"),
    ),
    "readers.common": ("readers/common.py", _PERMISSION_TESTS),
    "readers.permissions": ("readers/permissions.py", _PERMISSION_TESTS),
    "readers.iam_forms": ("readers/iam_forms.py", (*_PERMISSION_TESTS, f"{_P}iam_least_privilege.py")),
    "readers.iam_classic": ("readers/iam_classic.py", (*_PERMISSION_TESTS, f"{_P}iam_least_privilege.py")),
    "readers.iam_native": ("readers/iam_native.py", _PERMISSION_TESTS),
    "readers.identity_center": ("readers/identity_center.py", _PERMISSION_TESTS),
    "readers.resource_policies": (
        "readers/resource_policies.py",
        (*_PERMISSION_TESTS, f"{_P}resource_access.py"),
    ),
    "readers.tags": ("readers/tags.py", (*_TAG_TESTS, *_TEMPLATE_TESTS)),
    "readers.tag_shapes": ("readers/tag_shapes.py", _TAG_TESTS),
    "readers.location": (
        "readers/location.py",
        (f"{_P}location.py", f"{_P}cloudformation_reader.py", *_ALARM_TESTS),
    ),
    "readers.cloudformation": ("readers/cloudformation.py", _TEMPLATE_TESTS),
    "readers.cfn_yaml": ("readers/cfn_yaml.py", (f"{_P}cfn_yaml.py", f"{_P}cloudformation_templates.py")),
    "readers.replicas": (
        "readers/replicas.py",
        (*_TABLE_TESTS, f"{_P}table_alarms.py", f"{_P}tag_readers.py"),
    ),
    "readers.alarm_wire": ("readers/alarm_wire.py", _ALARM_TESTS),
    "readers.aws_classic": ("readers/aws_classic.py", (*_TABLE_TESTS, *_ALARM_TESTS)),
    "readers.aws_native": (
        "readers/aws_native.py",
        (*_TABLE_TESTS, *_ALARM_TESTS, f"{_P}cloudformation_templates.py"),
    ),
}


def targets() -> dict[str, Target]:
    """Every rule module (tested by tests/policies/test_<rule>.py and its road tests), then SHARED_TARGETS."""
    found: dict[str, Target] = {}
    for path in sorted((PACKAGE_DIR / "rules").glob("*.py")):
        if path.name == "__init__.py":
            continue
        # A new rule starts with its golden cases only (scripts/add_rule.py): they are its tests then.
        own = f"tests/policies/test_{path.stem}.py"
        tests = own if (ROOT / own).is_file() else "tests/policies/test_rule_cases.py"
        found[path.stem] = Target(
            path.stem, f"{PACKAGE}/rules/{path.name}", (tests, *RULE_ROAD_TESTS.get(path.stem, ()))
        )
    for name, (module, tests_of_module) in SHARED_TARGETS.items():
        if not (PACKAGE_DIR / module).is_file():
            raise SystemExit(f"mutation: target {name}: no module {PACKAGE}/{module}")
        found[name] = Target(name, f"{PACKAGE}/{module}", tests_of_module)
    stray = sorted(set(RULE_ROAD_TESTS) - set(found))
    if stray:
        raise SystemExit(f"mutation: RULE_ROAD_TESTS names no rule module: {', '.join(stray)}")
    for target in found.values():
        missing = [test for test in target.tests if not (ROOT / test).is_file()]
        if missing:
            raise SystemExit(f"mutation: {target.source} has no test file {', '.join(missing)}")
    return found


# What CI gates on: every rule module and the IAM document reader. The readers, views and shared
# modules are targets too (`--all`), but a full pass over them takes over an hour on 2 cores.
GATED_SHARED = ("iam_documents",)


def gated(available: dict[str, Target]) -> list[str]:
    """The targets `nox -s mutation` runs by default and CI gates on."""
    return [
        name
        for name, target in available.items()
        if target.source.startswith(f"{PACKAGE}/rules/") or name in GATED_SHARED
    ]


@dataclass(frozen=True)
class Equivalent:
    """A reviewed mutant that no test can kill, matched by its line change."""

    module: str
    function: str
    original: str
    mutant: str
    reason: str
    context: str = ""  # optional: a line near the change, when the same change occurs twice


_REQUIRED_FIELDS = ("module", "function", "original", "mutant", "reason")


def load_equivalents(path: Path = EQUIVALENTS_FILE) -> list[Equivalent]:
    if not path.is_file():
        return []
    data = tomllib.loads(path.read_text("utf-8"))
    entries = []
    for index, raw in enumerate(data.get("equivalent", [])):
        try:
            entry = Equivalent(
                **{key: str(raw[key]) for key in _REQUIRED_FIELDS}, context=str(raw.get("context", ""))
            )
        except KeyError as missing:
            raise SystemExit(f"mutation: {path.name} entry #{index + 1} lacks {missing}") from None
        if not entry.reason.strip():
            raise SystemExit(f"mutation: {path.name} entry #{index + 1} has an empty reason")
        entries.append(entry)
    return entries


@dataclass
class Mutant:
    name: str  # mutmut's name, e.g. dynamodb_guardrails.rules.billing_mode.x_check__mutmut_3
    status: str
    diff: str = ""

    @property
    def function(self) -> str:
        mangled = self.name.rpartition(".")[2].partition("__mutmut_")[0]
        return mangled.removeprefix("x_").split("ǁ")[-1]

    def change(self) -> tuple[str, str]:
        """The removed and the added lines of the mutant's diff, each joined and stripped."""
        lines = self.diff.splitlines()[2:]  # skip the --- / +++ header
        removed = " ".join(line[1:].strip() for line in lines if line.startswith("-"))
        added = " ".join(line[1:].strip() for line in lines if line.startswith("+"))
        return removed, added


@dataclass
class Score:
    target: Target
    mutants: list[Mutant] = field(default_factory=list)
    equivalent: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def killed(self) -> int:
        return sum(1 for m in self.mutants if m.status in _KILLED)

    @property
    def counted(self) -> int:
        return len(self.mutants) - len(self.equivalent)

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.mutants if m.status not in _KILLED and m not in self.equivalent]

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def stage(target: Target) -> Path:
    """A fresh directory where the package is top-level, with the policy tests and mutmut config."""
    work = STAGING / target.name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    shutil.copytree(PACKAGE_DIR, work / PACKAGE, ignore=ignore)
    # Only the policy tests: mutmut copies tests/ into its run directory, and the rest of the
    # suite would need infra/, src/ and subprocesses.
    (work / "tests").mkdir()
    for name in ("__init__.py", "conftest.py"):
        shutil.copy2(TESTS_DIR / name, work / "tests" / name)
    shutil.copytree(TESTS_DIR / "policies", work / "tests" / "policies", ignore=ignore)
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"][
        "ini_options"
    ].get("markers", [])
    (work / "pyproject.toml").write_text(
        "# Generated by scripts/mutation_score.py; rebuilt on every run.\n"
        "[tool.mutmut]\n"
        f"source_paths = {_toml_list([PACKAGE])}\n"
        f"only_mutate = {_toml_list([target.source])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(target.tests)}\n"
        # `slow` tests start processes (the pack over gRPC), which a mutant in this process never reaches;
        # the linear-time test compares timings, which a loaded machine (and mutmut's tracing) skews.
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not slow", "-k", "not linear_time"]\n'
        "use_git_change_detection = false\n"
        # Each mutant runs in a process forked before any test ran: caches the clean run filled
        # (lru_cache of parsed documents and templates) would otherwise hide the mutated code.
        'process_isolation = "forkserver"\n'
        "\n[tool.pytest.ini_options]\n"
        'addopts = "--strict-markers"\n'
        f"markers = {_toml_list(markers)}\n",
        "utf-8",
    )
    return work


def run_mutmut(target: Target, work: Path, max_children: int, log: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MUTANT_UNDER_TEST")}
    env["HYPOTHESIS_PROFILE"] = env.get("HYPOTHESIS_PROFILE", "ci")
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(max_children)]
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = "\n".join(log.read_text("utf-8", errors="replace").splitlines()[-30:])
        raise SystemExit(f"mutation: mutmut failed on {target.source} (exit {done.returncode}):\n{tail}")


def read_results(target: Target, work: Path) -> list[Mutant]:
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    meta = json.loads((work / "mutants" / f"{target.source}.meta").read_text("utf-8"))
    mutants = [Mutant(name, status_by_exit_code[code]) for name, code in meta["exit_code_by_key"].items()]
    here = Path.cwd()
    os.chdir(work)  # mutmut reads mutants/<path> relative to the working directory
    try:
        for mutant in mutants:
            if mutant.status not in _KILLED:
                mutant.diff = get_diff_for_mutant(mutant.name, path=target.source)
    finally:
        os.chdir(here)
    return mutants


def match_equivalents(score: Score, equivalents: Sequence[Equivalent], used: set[int]) -> None:
    for mutant in score.mutants:
        if mutant.status in _KILLED:
            continue
        removed, added = mutant.change()
        for index, entry in enumerate(equivalents):
            if (
                entry.module == score.target.name
                and entry.function == mutant.function
                and entry.original.strip() == removed
                and entry.mutant.strip() == added
                and entry.context.strip() in mutant.diff
            ):
                score.equivalent.append(mutant)
                used.add(index)
                break


def report(scores: Sequence[Score], out: Path) -> bool:
    """Print the score table and the survivors; write a JSON summary. True when the goals are met."""
    for score in scores:
        for mutant in score.survivors:
            print(f"\n--- survived ({mutant.status}): {mutant.name}")
            print("\n".join(mutant.diff.splitlines()[2:]))
    print()
    header = (
        f"{'module':<26}{'killed':>8}{'generated':>11}{'equivalent':>12}{'score':>9}{'goal':>7}{'time':>8}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for score in scores:
        met = score.percent >= MODULE_GOAL
        ok = ok and met
        print(
            f"{score.target.name:<26}{score.killed:>8}{len(score.mutants):>11}{len(score.equivalent):>12}"
            f"{score.percent:>8.1f}%{'ok' if met else 'LOW':>7}{score.seconds:>7.0f}s"
        )
    killed = sum(s.killed for s in scores)
    generated = sum(len(s.mutants) for s in scores)
    equivalent = sum(len(s.equivalent) for s in scores)
    counted = generated - equivalent
    overall = 100.0 * killed / counted if counted else 100.0
    overall_met = overall >= OVERALL_GOAL
    print("-" * len(header))
    print(
        f"{'overall':<26}{killed:>8}{generated:>11}{equivalent:>12}{overall:>8.1f}%"
        f"{'ok' if overall_met else 'LOW':>7}{sum(s.seconds for s in scores):>7.0f}s"
    )
    print(
        f"\nScore = killed / (generated - equivalent). Goal: >= {OVERALL_GOAL:.0f}% overall, "
        f">= {MODULE_GOAL:.0f}% per module. {equivalent} equivalent mutant(s) excluded "
        f"({EQUIVALENTS_FILE.relative_to(ROOT)})."
    )
    summary = {
        "overall": {"killed": killed, "generated": generated, "equivalent": equivalent, "score": overall},
        "modules": {
            s.target.name: {
                "killed": s.killed,
                "generated": len(s.mutants),
                "equivalent": len(s.equivalent),
                "score": s.percent,
                "survivors": [m.name for m in s.survivors],
            }
            for s in scores
        },
    }
    out.write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    return ok and overall_met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", help="targets to run (default: the gated ones, see --all); see --list"
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="every target: the gated rules and IAM document reader, plus readers, views and shared "
        "modules (a long audit, not run in CI)",
    )
    parser.add_argument("--list", action="store_true", help="print the targets and their tests")
    parser.add_argument(
        "--max-children", type=int, default=os.cpu_count() or 1, help="parallel mutant runs (default: CPUs)"
    )
    args = parser.parse_args(argv)
    available = targets()
    if args.list:
        for target in available.values():
            print(f"{target.name:<26}{target.source}  <- {' '.join(target.tests)}")
        return 0
    unknown = [name for name in args.modules if name not in available]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(available)}")
    names = args.modules or (list(available) if args.all else gated(available))
    chosen = [available[name] for name in names]
    equivalents = load_equivalents()
    used: set[int] = set()
    scores = []
    for target in chosen:
        started = time.monotonic()
        print(f"mutation: {target.source} against {' '.join(target.tests)} ...", flush=True)
        work = stage(target)
        run_mutmut(target, work, args.max_children, STAGING / f"{target.name}.log")
        score = Score(target, read_results(target, work))
        match_equivalents(score, equivalents, used)
        score.seconds = time.monotonic() - started
        print(
            f"mutation: {target.name}: {score.killed}/{score.counted} killed ({score.percent:.1f}%) "
            f"in {score.seconds:.0f}s; log {(STAGING / f'{target.name}.log').relative_to(ROOT)}",
            flush=True,
        )
        scores.append(score)
    ran = {target.name for target in chosen}
    for index, entry in enumerate(equivalents):
        if entry.module in ran and index not in used:
            print(
                f"mutation: warning: equivalent entry {entry.module}.{entry.function} "
                f"({entry.original!r} -> {entry.mutant!r}) matched no surviving mutant; remove it if stale"
            )
    return 0 if report(scores, STAGING / "summary.json") else 1


if __name__ == "__main__":
    sys.exit(main())
