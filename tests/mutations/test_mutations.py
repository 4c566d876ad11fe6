"""Each broken variant of our stack is caught by exactly the policy that guards what was broken, on
the resource that was broken, with the exit code `policy-preview` returns for it.

The variants are copies of the real stack, each declared once in tests/mutations/variants/ with how
it is broken and what must be reported; harness.py judges them through the preview's library. Two
tests run the `policy-preview` command itself on a variant, with `--config` and the JSON report.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dynamodb_guardrails.rules import ALL_RULES, alarm_actions, required_tags
from policy_preview import cli
from policy_preview.urns import urn_type
from tests.mutations.harness import (
    PROGRAM_DIR,
    REPO,
    Suite,
    Verdict,
    environments,
    expected_verdict,
    run_cli,
)
from tests.mutations.variant import ALARM, TAGGED_TYPES, Mode, Variant
from tests.mutations.variants import PROGRAMS_FOR, VARIANTS, controls
from tests.mutations.variants import alarm_actions as alarm_actions_variants

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


@pytest.mark.slow
@pytest.mark.parametrize("variant", variant_params("preview"))
def test_a_preview_catches_each_broken_variant_with_exactly_its_policy(
    suite: Suite, variant: Variant
) -> None:
    records, env = suite.variant(variant, "preview")
    expected = CLEAN if variant.clean_in_preview else expected_verdict(variant, records, env)
    got = suite.judged(variant, "preview")
    assert got == expected, mismatch(variant, expected, got)


@pytest.mark.slow
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
    assert set(broken) == {rule.meta.name for rule in ALL_RULES}, broken
    assert min(broken.values()) >= 3, broken
    assert any(v.exit_code == 0 for v in VARIANTS if v.policy), "an advisory-only variant exits 0"
    assert not [v.id for v in VARIANTS if "TODO" in v.id + v.how], (
        "fill in the variants scripts/add_rule.py left"
    )


@pytest.mark.slow
def test_the_program_builds_exactly_the_declared_variants(suite: Suite) -> None:
    assert set(environments(suite.records["preview"])) == {v.id for v in VARIANTS} == PROGRAMS_FOR["preview"]
    assert set(environments(suite.records["update"])) == PROGRAMS_FOR["update"]


def test_variants_that_share_a_pack_config_name_share_its_document() -> None:
    documents = {}
    for variant in VARIANTS:
        config = variant.pack_config
        assert documents.setdefault(config.name, config.document) == config.document, config.name


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_command_exits_0_on_a_variant_with_only_an_advisory_finding(tmp_path: Path) -> None:
    variant = alarm_actions_variants.WITHOUT_ACTIONS
    code, report = run_cli(tmp_path, str(PROGRAM_DIR), "--config", f"variants={variant.id}")
    assert code == 0
    assert report["summary"]["passed"] is True
    (finding,) = report["findings"]
    assert (finding["policy"], finding["enforcementLevel"]) == (alarm_actions.RULE.meta.name, "advisory")
    assert f"${ALARM}::dynamodb-events-read-throttle-v" in finding["urn"]


@pytest.mark.slow
def test_an_extra_required_tag_fails_the_real_stack_on_every_taggable_resource(
    tmp_path: Path, suite: Suite
) -> None:
    config = tmp_path / "owner.json"
    tags = required_tags.RULE.meta.name
    document = {tags: {"requiredTags": [*required_tags.DEFAULT_REQUIRED_TAGS, "Owner"]}}
    config.write_text(json.dumps(document), encoding="utf-8")
    code, report = run_cli(tmp_path, str(REPO), "--policy-pack-config", str(config))
    assert code == 1
    assert {(f["policy"], f["enforcementLevel"]) for f in report["findings"]} == {(tags, "mandatory")}
    flagged = Counter(urn_type(f["urn"]) for f in report["findings"])
    clean, _ = suite.variant(controls.CLEAN, "preview")
    taggable = Counter(r.type for r in clean if r.type in TAGGED_TYPES)
    assert flagged == taggable


@pytest.mark.slow
def test_a_blank_tag_value_in_stack_config_stops_before_any_resource(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The stack refuses what the pack would flag on every resource, naming the key.
    code = cli.main([str(REPO), "--config", "team= "])
    assert code == 2
    assert "dynamodb-guardrails:team" in capsys.readouterr().err
