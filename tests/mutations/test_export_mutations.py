"""The same verdicts through `pulumi stack export` files: each variant recorded after an update is
written as an export (stack_export_writer.py), read back by `--stack-export`'s reader, and judged
as a deployed stack (remediations reported, not applied). Two exports are written by hand, as the
Pulumi CLI writes them, so the reader is not only fed our own writer's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dynamodb_guardrails.rules import billing_mode, iam_least_privilege
from policy_preview.program.stack_export import read_stack_export
from tests.mutations.breakage import unchanged
from tests.mutations.harness import EXPORTS_DIR, PACK_DIR, Suite, expected_verdict, run_cli
from tests.mutations.stack_export_writer import stack_export
from tests.mutations.variant import TABLE, Res, Variant
from tests.mutations.variants import VARIANTS, controls


def update_params() -> list[Any]:
    return [
        pytest.param(
            v,
            id=v.id,
            marks=[pytest.mark.xfail(strict=True, reason=v.xfail_update)] if v.xfail_update else [],
        )
        for v in VARIANTS
        if v.update_too
    ]


def write_export(records: Any, path: Path) -> Path:
    path.write_text(json.dumps(stack_export(records), indent=1), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("variant", update_params())
def test_an_export_of_each_variant_gets_the_verdict_of_its_update(
    suite: Suite, variant: Variant, tmp_path: Path
) -> None:
    records, env = suite.variant(variant, "update")
    exported = read_stack_export(write_export(records, tmp_path / f"{variant.id}.json"))
    got = suite.judge(variant, exported, apply_remediations=False)
    expected = expected_verdict(variant, exported, env)
    assert got == expected, (
        f"{variant.id}: {variant.how}\nexpected {expected.describe()}\ngot {got.describe()}"
    )
    # Word for word what the update run reported.
    assert sorted(got.messages) == sorted(suite.judged(variant, "update").messages)


@pytest.mark.slow
def test_an_export_holds_every_recorded_resource_as_it_was_recorded(suite: Suite, tmp_path: Path) -> None:
    records, _ = suite.variant(controls.CLEAN, "update")
    assert read_stack_export(write_export(records, tmp_path / "clean.json")) == records


def test_the_command_judges_a_hand_written_export_of_a_wildcard_read_role(tmp_path: Path) -> None:
    export = EXPORTS_DIR / "read-role-wildcard.json"
    code, report = run_cli(tmp_path, "--stack-export", str(export), "--policy-pack", str(PACK_DIR))
    assert code == 1
    assert report["source"]["kind"] == "stack-export"
    policy = iam_least_privilege.RULE.meta.name
    assert {(f["policy"], f["enforcementLevel"]) for f in report["findings"]} == {(policy, "mandatory")}
    assert {f["urn"] for f in report["findings"]} == {
        "urn:pulumi:prod::payments::aws:iam/rolePolicy:RolePolicy::orders-read-policy"
    }
    assert report["summary"]["resources"] == 4


@pytest.mark.slow
def test_a_hand_written_export_of_a_provisioned_table_fails_only_on_billing(suite: Suite) -> None:
    records = read_stack_export(EXPORTS_DIR / "provisioned-table.json")
    variant = Variant(
        "hand-written-provisioned-table",
        "PROVISIONED table, alarms",
        unchanged,  # not built: the export is the stack
        billing_mode.RULE,
        (Res(TABLE, "orders"),),
    )
    got = suite.judge(variant, records, apply_remediations=False)
    expected = expected_verdict(variant, records, env="")
    assert got == expected, f"expected {expected.describe()}\ngot {got.describe()}"
