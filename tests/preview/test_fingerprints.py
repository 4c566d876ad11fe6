"""A finding keeps its fingerprint across runs, machines and checkouts, and two different findings
never share one - what GitHub code scanning and --baseline rely on."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from dynamodb_guardrails.rules import required_tags, table_alarms
from policy_preview import cli
from policy_preview.model import Finding
from policy_preview.report.fingerprints import fingerprints, message_key

from .engine_helpers import BILLING, OUR_PACK, REPO

FIXTURE = Path(__file__).parent / "fixtures" / "programs" / "positions"
URN = "urn:pulumi:dev::demo::aws:dynamodb/table:Table::events"
FINDING = Finding(
    policy_pack="guardrails",
    policy_pack_version="0.1.0",
    policy=BILLING,
    level="mandatory",
    message="Tables use on-demand capacity.\nTable 'events' (table name 'events-3fa9c01'): 5 capacity units.",
    urn=URN,
    description="Tables use on-demand capacity.",
)


def test_what_does_not_identify_a_finding_leaves_its_fingerprint_alone() -> None:
    [base] = fingerprints([FINDING])
    same = [
        replace(FINDING, policy_pack_version="2.0.0"),  # a pack upgrade
        replace(FINDING, level="advisory", severity="high"),  # a config change of level
        # The description the SDK prefixes, reworded in a new pack version.
        replace(
            FINDING,
            description="On-demand!",
            message=FINDING.message.replace("Tables use on-demand capacity.", "On-demand!"),
        ),
        replace(FINDING, message=FINDING.message.replace("3fa9c01", "77e01bd")),  # random auto-name suffix
        replace(FINDING, message=FINDING.message.replace("5 capacity", "10 capacity")),  # a number
    ]
    assert [fingerprints([f])[0] for f in same] == [base] * len(same)


def test_what_identifies_a_finding_changes_its_fingerprint() -> None:
    [base] = fingerprints([FINDING])
    different = [
        replace(FINDING, policy=required_tags.META.name),
        replace(FINDING, policy_pack="other-pack"),
        replace(FINDING, urn=URN.replace("::events", "::users")),
        replace(FINDING, urn=URN.replace("dev::", "prod::")),  # another stack
        replace(FINDING, message=FINDING.message.replace("capacity units", "read replicas")),
    ]
    prints = [fingerprints([f])[0] for f in different]
    assert base not in prints and len(set(prints)) == len(prints)


def test_equal_findings_get_numbered_in_a_stable_order() -> None:
    one = replace(FINDING, message=f"{FINDING.description}\nStatement 1 grants dynamodb:*.")
    two = replace(FINDING, message=f"{FINDING.description}\nStatement 2 grants dynamodb:*.")
    assert message_key(one) == message_key(two)  # digits do not tell them apart...
    forward, backward = fingerprints([one, two]), fingerprints([two, one])
    assert len(set(forward)) == 2  # ...the occurrence number does
    assert forward == backward[::-1]  # whatever order the pack reported them in
    assert forward[0].count(":") == 0 and forward[1].endswith(":2")


@pytest.mark.slow
def test_fingerprints_are_equal_across_runs_in_two_checkouts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"all": "disabled", BILLING: "mandatory", table_alarms.META.name: "mandatory"})
    )
    reports = []
    for checkout in ("checkout-a", "somewhere/else/checkout-b"):
        project = tmp_path / checkout / "positions"
        shutil.copytree(FIXTURE, project)
        pack = tmp_path / checkout / "policies"
        shutil.copytree(OUR_PACK, pack, ignore=shutil.ignore_patterns("__pycache__"))
        code = cli.main(
            [
                str(project),
                "--format",
                "json",
                "--policy-pack",
                str(pack),
                "--policy-pack-config",
                str(config),
            ]
        )
        assert code == 1
        reports.append(json.loads(capsys.readouterr().out))
    first, second = (
        {(f["policy"], f["resourceName"]): f["fingerprint"] for f in r["findings"]} for r in reports
    )
    assert len(first) == 6 and len(set(first.values())) == 6
    assert first == second
    # The paths differ between the checkouts; the fingerprints do not depend on them.
    assert reports[0]["source"]["path"] != reports[1]["source"]["path"]
    assert REPO not in (tmp_path / "checkout-a").parents
