"""Analyze calls in flight at once (evaluate's `concurrency`): the pack really gets several at a
time, and the verdicts and their order are those of one call at a time, whatever order the pack
answers in."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from policy_preview.analyzer.client import AnalyzerClient, running_pack
from policy_preview.analyzer.pack_config import reconcile_pack_config
from policy_preview.evaluate import DEFAULT_ANALYZE_CONCURRENCY, evaluate
from policy_preview.model import ResourceRecord

from .engine_helpers import FIXTURE_PACKS, OUR_PACK, root_stack, table


def _stack(count: int) -> list[ResourceRecord]:
    # Every third table provisioned and every fifth without tags: findings of several policies.
    tables = []
    for index in range(count):
        record = table(f"t{index:03d}", "PROVISIONED" if index % 3 == 0 else "PAY_PER_REQUEST")
        if index % 5 == 0:
            record = replace(record, inputs={**record.inputs, "tags": {"Team": ""}})
        tables.append(record)
    return [root_stack(), *tables]


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AnalyzerClient, Path]]:
    log = tmp_path_factory.mktemp("probe") / "probe.jsonl"
    saved = {key: os.environ.get(key) for key in ("PREVIEW_PROBE_LOG", "PREVIEW_PROBE_JITTER")}
    # Up to 20 ms per call, differing per URN: concurrent calls finish out of order.
    os.environ.update(PREVIEW_PROBE_LOG=str(log), PREVIEW_PROBE_JITTER="0.02")
    try:
        with running_pack(FIXTURE_PACKS / "probe") as client:
            yield client, log
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_several_analyze_calls_are_in_flight_and_findings_keep_the_resource_order(
    probe: tuple[AnalyzerClient, Path],
) -> None:
    client, log = probe
    records = _stack(40)
    log.write_text("", encoding="utf-8")
    evaluation = evaluate(records, [client])
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    inflight = max(e["inflight"] for e in entries if e["method"] == "Analyze")
    assert 1 < inflight <= DEFAULT_ANALYZE_CONCURRENCY  # bounded, and really concurrent
    resource_findings = [f.urn for f in evaluation.findings if f.policy == "probe-resource"]
    assert resource_findings == [r.urn for r in records]  # one per resource, in registration order
    assert evaluation.findings[-1].policy == "probe-stack"  # AnalyzeStack after every Analyze
    assert evaluation.findings == evaluate(records, [client], concurrency=1).findings


def test_our_packs_verdicts_are_the_same_one_call_at_a_time_and_concurrently() -> None:
    records = _stack(30)
    with running_pack(OUR_PACK) as ours, running_pack(FIXTURE_PACKS / "probe") as other:
        assert ours.info is not None
        ours.configure(reconcile_pack_config(ours.info))
        one_by_one = evaluate(records, [ours, other], concurrency=1)
        concurrent = evaluate(records, [ours, other], concurrency=3)
    assert concurrent.findings == one_by_one.findings
    assert concurrent.not_applicable == one_by_one.not_applicable
    assert {f.level for f in one_by_one.findings} >= {"mandatory", "advisory"}  # something to order
