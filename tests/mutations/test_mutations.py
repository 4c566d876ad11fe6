"""Each broken variant of our stack is caught by exactly the policy that guards what was broken, on
the resource that was broken, with the exit code `policy-preview` returns for it.

The variants are copies of the real stack (programs/variants/breakages.py says how each is broken,
catalogue.py what must be reported); harness.py judges them through the preview's library. Two
tests run the `policy-preview` command itself on a variant, with `--config` and the JSON report.
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policy_preview import cli
from tests.mutations.catalogue import (
    ALARM,
    ALARM_ACTIONS,
    PROGRAMS_FOR,
    STACK_TAG_KEYS,
    TAGGED_TYPES,
    TAGS,
    VARIANTS,
    Mode,
    Variant,
)
from tests.mutations.harness import (
    PROGRAM_DIR,
    REPO,
    Suite,
    Verdict,
    environments,
    expected_verdict,
    run_cli,
)

CLEAN = Verdict(findings=frozenset(), exit_code=0, remediated=frozenset())


def variant_params(mode: Mode) -> list[Any]:
    params = []
    for variant in VARIANTS:
        if mode == "update" and not variant.update_too:
            continue
        bug = variant.xfail_preview if mode == "preview" else variant.xfail_update
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        params.append(pytest.param(variant, id=variant.id, marks=marks))
    return params


def mismatch(variant: Variant, expected: Verdict, got: Verdict) -> str:
    return f"{variant.id}: {variant.how}\nexpected {expected.describe()}\ngot {got.describe()}"


@pytest.mark.parametrize("variant", variant_params("preview"))
def test_a_preview_catches_each_broken_variant_with_exactly_its_policy(
    suite: Suite, variant: Variant
) -> None:
    records, env = suite.variant(variant, "preview")
    expected = CLEAN if variant.clean_in_preview else expected_verdict(variant, records, env)
    got = suite.judged(variant, "preview")
    assert got == expected, mismatch(variant, expected, got)


@pytest.mark.parametrize("variant", variant_params("update"))
def test_after_an_update_each_broken_variant_is_caught_with_exactly_its_policy(
    suite: Suite, variant: Variant
) -> None:
    records, env = suite.variant(variant, "update")
    expected = expected_verdict(variant, records, env)
    got = suite.judged(variant, "update")
    assert got == expected, mismatch(variant, expected, got)


# --- the catalogue itself ------------------------------------------------------------------------


def test_every_policy_is_broken_several_ways() -> None:
    broken = Counter(v.policy for v in VARIANTS if v.policy)
    assert sum(broken.values()) >= 20
    assert len(broken) == 7, broken  # every policy of the pack
    assert min(broken.values()) >= 3, broken
    assert any(v.exit_code == 0 for v in VARIANTS if v.policy), "an advisory-only variant exits 0"


def test_every_breakage_of_the_program_is_judged(suite: Suite) -> None:
    tree = ast.parse((PROGRAM_DIR / "breakages.py").read_text(encoding="utf-8"))
    (breakages,) = (
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "BREAKAGES"
    )
    assert isinstance(breakages, ast.Dict)
    defined = {key.value for key in breakages.keys if isinstance(key, ast.Constant)}
    assert defined == PROGRAMS_FOR["preview"]
    assert set(environments(suite.records["preview"])) == defined
    assert set(environments(suite.records["update"])) == PROGRAMS_FOR["update"]


# --- the command ---------------------------------------------------------------------------------


def test_the_command_exits_0_on_a_variant_with_only_an_advisory_finding(tmp_path: Path) -> None:
    code, report = run_cli(tmp_path, str(PROGRAM_DIR), "--config", "variants=alarm-without-actions")
    assert code == 0
    assert report["summary"]["passed"] is True
    (finding,) = report["findings"]
    assert (finding["policy"], finding["enforcementLevel"]) == (ALARM_ACTIONS, "advisory")
    assert f"${ALARM}::dynamodb-events-read-throttle-v" in finding["urn"]


def test_an_extra_required_tag_fails_the_real_stack_on_every_taggable_resource(
    tmp_path: Path, suite: Suite
) -> None:
    config = tmp_path / "owner.json"
    config.write_text(json.dumps({TAGS: {"requiredTags": [*STACK_TAG_KEYS, "Owner"]}}), encoding="utf-8")
    code, report = run_cli(tmp_path, str(REPO), "--policy-pack-config", str(config))
    assert code == 1
    assert {(f["policy"], f["enforcementLevel"]) for f in report["findings"]} == {(TAGS, "mandatory")}
    flagged = Counter(f["urn"].split("::")[2].rsplit("$", 1)[-1] for f in report["findings"])
    clean, _ = suite.variant(next(v for v in VARIANTS if v.id == "clean"), "preview")
    taggable = Counter(r.type for r in clean if r.type in TAGGED_TYPES)
    assert flagged == taggable


def test_a_blank_tag_value_in_stack_config_stops_before_any_resource(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The stack refuses what the pack would flag on every resource, naming the key.
    code = cli.main([str(REPO), "--config", "team= "])
    assert code == 2
    assert "dynamodb-guardrails:team" in capsys.readouterr().err
