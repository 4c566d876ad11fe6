"""Run the variants program and judge each variant with our pack, through the preview's own library
(program.run_program, analyzer, evaluate, report.exit_code) - what `policy-preview` does, minus the
per-run process start-ups that would make 40 variants x 2 modes too slow.

Cost model: the Pulumi SDK needs ~0.3 s per copy of the stack under mocks and ~0.9 s to start, so all
copies are built in a few program runs (in parallel), then cut apart again: one variant = the root
stack, the default provider, its component and everything below it. One pack process judges every
variant: Configure replaces the whole policy configuration (pulumi_policy's `Configure` reassigns
it) and the pack keeps no other state between calls, so re-configuring it per config group gives the
verdicts of a freshly started pack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jsonschema

from dynamodb_stack import COMPONENT_TYPE
from policy_preview import cli
from policy_preview.analyzer.client import AnalyzerClient, PackProcess, StackSettings
from policy_preview.analyzer.pack_config import load_pack_config_file, reconcile_pack_config
from policy_preview.evaluate import Evaluation, evaluate
from policy_preview.model import ResourceRecord
from policy_preview.program.runner import run_program
from policy_preview.report.common import exit_code
from tests.mutations.variant import EVERY_TAGGED, TAGGED_TYPES, Mode, PackConfig, Variant
from tests.mutations.variants import PROGRAMS_FOR

REPO = Path(__file__).resolve().parents[2]
PACK_DIR = REPO / "policies"
PROGRAM_DIR = Path(__file__).resolve().parent / "programs" / "variants"
EXPORTS_DIR = Path(__file__).resolve().parent / "exports"
PROGRAM_PROJECT = "guardrails-mutations"
STACK_TYPE = "pulumi:pulumi:Stack"
REPORT_SCHEMA = REPO / "src" / "policy_preview" / "report" / "schemas" / "report.schema.json"
PREVIEW_CHUNKS = 2  # program runs the preview copies are spread over (the machine has 2 cores)


def run_cli(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """`policy-preview ARGS --format json` in-process: exit code and the report, checked against
    the report's JSON schema."""
    out = tmp_path / "report.json"
    code = cli.main([*args, "--format", "json", "--output", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
    return code, report


def run_variants(mode: Mode, programs: Iterable[str]) -> list[ResourceRecord]:
    selected = ",".join(sorted(programs))
    return run_program(PROGRAM_DIR, stack="dev", mode=mode, config={"variants": selected})


def environments(records: Sequence[ResourceRecord]) -> dict[str, str]:
    """variant id -> environment suffix, from the program's `variantEnvironments` stack output."""
    root = next(r for r in records if r.type == STACK_TYPE)
    return dict(root.outputs["variantEnvironments"])


def variant_records(records: Sequence[ResourceRecord], variant_id: str) -> list[ResourceRecord]:
    """One variant as a stack of its own: root stack, providers, its component and its subtree."""
    component = f"mut-{variant_id}"
    roots = [r.urn for r in records if r.type == COMPONENT_TYPE and r.name == component]
    assert len(roots) == 1, f"program run has no single component {component!r}"
    inside = set(roots)
    for record in records:  # registration order: a parent is always registered before its children
        if record.parent in inside:
            inside.add(record.urn)
    return [
        r
        for r in records
        if r.urn in inside or r.type == STACK_TYPE or r.type.startswith("pulumi:providers:")
    ]


@dataclass(frozen=True)
class Verdict:
    """What a user would notice: which policy reported which resource at which level, the exit code."""

    findings: frozenset[tuple[str, str, str, str]]  # (policy, level, type, logical name)
    exit_code: int
    remediated: frozenset[tuple[str, str]]
    messages: tuple[str, ...] = field(default=(), compare=False)

    def describe(self) -> str:
        lines = [f"exit {self.exit_code}; findings:"]
        lines += [f"  {p} [{lv}] {t} {n}" for p, lv, t, n in sorted(self.findings)] or ["  (none)"]
        lines += [f"  remediated: {t} {n}" for t, n in sorted(self.remediated)]
        lines += ["messages:", *(f"  {m}" for m in self.messages)]
        return "\n".join(lines)


def verdict_of(evaluation: Evaluation, records: Sequence[ResourceRecord]) -> Verdict:
    by_urn = {r.urn: r for r in records}

    def where(urn: str | None) -> tuple[str, str]:
        record = by_urn.get(urn or "")
        return (record.type, record.name) if record else ("<not a resource of the stack>", urn or "")

    return Verdict(
        findings=frozenset((f.policy, f.level, *where(f.urn)) for f in evaluation.findings),
        exit_code=exit_code(evaluation),
        remediated=frozenset(where(e.remediation.urn) for e in evaluation.remediations),
        messages=tuple(f.message.splitlines()[-1] for f in evaluation.findings),
    )


def expected_verdict(variant: Variant, records: Sequence[ResourceRecord], env: str) -> Verdict:
    if isinstance(variant.resources, str):
        assert variant.resources == EVERY_TAGGED
        resources = {(r.type, r.name) for r in records if r.type in TAGGED_TYPES}
        assert len(resources) > 20, "the stack should have tables, roles, alarms and a topic"
    else:
        resources = {(res.type, res.name.format(env=env)) for res in variant.resources}
    findings = frozenset((variant.policy, variant.level, t, n) for t, n in resources if variant.policy)
    remediated = frozenset((res.type, res.name.format(env=env)) for res in variant.remediated)
    return Verdict(findings=findings, exit_code=variant.exit_code, remediated=remediated)


class Suite:
    """The program runs of both modes and one running pack, shared by the whole session. `begin`
    starts them in the background (tests that do not need them run meanwhile), `ready` waits."""

    def __init__(self, config_dir: Path) -> None:
        self.config_dir = config_dir
        self.records: dict[Mode, list[ResourceRecord]] = {}
        self.settings = StackSettings(project=PROGRAM_PROJECT, stack="dev", dry_run=True)
        self.pack: PackProcess | None = None
        self.client: AnalyzerClient | None = None
        self._configured: PackConfig | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._runs: dict[Mode, list[Future[list[ResourceRecord]]]] = {}
        self._verdicts: dict[tuple[str, Mode], Verdict] = {}

    def begin(self) -> Suite:
        """Start the pack and the program runs without waiting for them."""
        self.pack = PackProcess(PACK_DIR, settings=self.settings).spawn()
        preview = sorted(PROGRAMS_FOR["preview"])
        chunks = [preview[i::PREVIEW_CHUNKS] for i in range(PREVIEW_CHUNKS)]
        self._pool = ThreadPoolExecutor(max_workers=PREVIEW_CHUNKS + 1)
        self._runs = {
            "update": [self._pool.submit(run_variants, "update", PROGRAMS_FOR["update"])],
            "preview": [self._pool.submit(run_variants, "preview", chunk) for chunk in chunks],
        }
        return self

    def ready(self) -> Suite:
        """Wait for the program runs and the pack (once); a failed run fails every test using it."""
        if self.client is None:
            assert self.pack is not None, "begin() first"
            for mode, runs in self._runs.items():
                self.records[mode] = _merge([run.result() for run in runs])
            self.pack.wait_ready()
            client = AnalyzerClient(self.pack)
            client.configure_stack(self.settings)
            client.get_analyzer_info()
            self.client = client
        return self

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)  # run_program stops its own child on any failure
        if self.pack is not None:
            self.pack.stop()

    def configure(self, pack_config: PackConfig) -> AnalyzerClient:
        """The pack, configured with `pack_config` as `--policy-pack-config FILE` would."""
        assert self.client is not None and self.client.info is not None
        if self._configured != pack_config:
            path = self.config_dir / f"{pack_config.name}.json"
            path.write_text(json.dumps(pack_config.document), encoding="utf-8")
            config = reconcile_pack_config(self.client.info, load_pack_config_file(path), str(path))
            self.client.configure(config)
            self._configured = pack_config
        return self.client

    def variant(self, variant: Variant, mode: Mode) -> tuple[list[ResourceRecord], str]:
        records = self.records[mode]
        return variant_records(records, variant.id), environments(records)[variant.id]

    def judged(self, variant: Variant, mode: Mode) -> Verdict:
        """The verdict on the variant's program run in `mode`, computed once per session."""
        key = (variant.id, mode)
        if key not in self._verdicts:
            self._verdicts[key] = self.judge(variant, self.variant(variant, mode)[0])
        return self._verdicts[key]

    def judge(
        self, variant: Variant, records: Sequence[ResourceRecord], *, apply_remediations: bool = True
    ) -> Verdict:
        client = self.configure(variant.pack_config)
        evaluation = evaluate(records, [client], apply_remediations=apply_remediations)
        return verdict_of(evaluation, records)


def _merge(runs: Sequence[Sequence[ResourceRecord]]) -> list[ResourceRecord]:
    """Several runs of the same program as one: one root stack (with every run's environments) and
    one default provider; components differ between runs."""
    merged: dict[str, ResourceRecord] = {}
    envs: dict[str, Any] = {}
    for records in runs:
        envs.update(environments(records))
        for record in records:
            merged.setdefault(record.urn, record)
    root = next(r for r in merged.values() if r.type == STACK_TYPE)
    merged[root.urn] = replace(root, outputs={**root.outputs, "variantEnvironments": envs})
    return list(merged.values())
