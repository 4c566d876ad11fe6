"""Judge resources with running packs in the engine's order: per resource Remediate then Analyze,
then AnalyzeStack once (pulumi/pulumi pkg/resource/deploy/step_generator.go, analyze_snapshot.go).

How remediations are shown: a remediate-level policy does not fail a run; it rewrites the resource.
- For a program run (`apply_remediations=True`), as in `pulumi preview/up`, the remediated inputs
  replace the resource's inputs before Analyze and before AnalyzeStack (its outputs get the same
  keys), and the report lists each remediation with the keys it adds, changes or removes.
- For a stack export, as `AnalyzeSnapshot` does, remediations are reported but not applied.
A remediation that cannot run during preview (unknown values) is an advisory finding, as the CLI.

Findings a pack suppressed with a reviewed exemption arrive as not-applicable results in the
format of suppressions.py; they are listed apart (`Evaluation.suppressed`) and never fail a run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .analyzer import (
    AnalyzerClient,
    NotApplicable,
    PackProcess,
    PolicyInfo,
    Remediation,
    StackSettings,
    provider_index,
    root_stack_urn,
)
from .model import Finding, ResourceRecord
from .pack_config import load_pack_config_file, reconcile_pack_config
from .suppressions import SuppressedFinding, parse_suppressed, suppressed_findings

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PackSummary:
    """One pack as the report shows it."""

    name: str
    version: str
    directory: Path
    description: str
    policies: tuple[PolicyInfo, ...]
    log_lines: tuple[str, ...] = ()
    startup_seconds: float | None = None


@dataclass(frozen=True)
class RemediationEvent:
    remediation: Remediation
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    applied: bool = True


@dataclass(frozen=True)
class NotApplicableEvent:
    policy_pack: str
    urn: str | None
    result: NotApplicable


@dataclass(frozen=True)
class Evaluation:
    packs: tuple[PackSummary, ...]
    resources: tuple[ResourceRecord, ...]
    findings: tuple[Finding, ...]
    remediations: tuple[RemediationEvent, ...] = ()
    not_applicable: tuple[NotApplicableEvent, ...] = ()
    analyze_seconds: tuple[float, ...] = ()
    analyze_stack_seconds: tuple[float, ...] = ()
    engine_log: tuple[str, ...] = ()  # lines the packs logged through the Engine service
    suppressed: tuple[SuppressedFinding, ...] = ()  # findings active exemptions suppressed

    @property
    def has_mandatory(self) -> bool:
        return any(f.level == "mandatory" for f in self.findings)


def configure_pack(pack: PackProcess, *, config_file: Path | None, settings: StackSettings) -> AnalyzerClient:
    """Wait for a spawned pack, then configure it as the CLI does: ConfigureStack, GetAnalyzerInfo,
    and Configure with the reconciled `--policy-pack-config`."""
    pack.wait_ready()
    client = AnalyzerClient(pack)
    client.configure_stack(settings)
    info = client.get_analyzer_info()
    raw = load_pack_config_file(config_file) if config_file else None
    config = reconcile_pack_config(info, raw, str(config_file) if config_file else "policy pack config")
    if info.supports_config:
        client.configure(config)
    return client


def summarize(client: AnalyzerClient) -> PackSummary:
    info = client.effective_info
    return PackSummary(
        name=info.name if info else client.pack_name,
        version=client.pack_version,
        directory=client.pack.directory,
        description=info.description if info else "",
        policies=info.policies if info else (),
        log_lines=tuple(client.pack.log_lines),
        startup_seconds=client.pack.startup_seconds,
    )


def _remediates(client: AnalyzerClient) -> bool:
    # The pack's Remediate runs only remediate-level resource policies, so without one the call
    # can only return nothing; skipping it saves an RPC per resource with the same result.
    info = client.effective_info
    return info is not None and any(
        p.enforcement_level == "remediate" and p.policy_type != "stack" for p in info.policies
    )


def _key_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    added = tuple(sorted(k for k in after if k not in before))
    removed = tuple(sorted(k for k in before if k not in after))
    changed = tuple(sorted(k for k in after if k in before and before[k] != after[k]))
    return added, changed, removed


def _with_inputs(record: ResourceRecord, inputs: dict[str, Any]) -> ResourceRecord:
    computed = {k: v for k, v in record.outputs.items() if k not in record.inputs}
    return replace(record, inputs=inputs, outputs={**computed, **inputs})


def _split_not_applicable(
    client: AnalyzerClient,
    results: Sequence[NotApplicable],
    urn: str | None,
    urn_for: Callable[[str], str],
) -> tuple[list[NotApplicableEvent], list[SuppressedFinding]]:
    """Plain not-applicable results, and the suppressed findings some of them carry."""
    plain: list[NotApplicableEvent] = []
    suppressed: list[SuppressedFinding] = []
    info = client.effective_info
    for result in results:
        entries = parse_suppressed(result.reason)
        if entries is None:
            plain.append(NotApplicableEvent(client.pack_name, urn, result))
            continue
        policy = info.policy(result.policy) if info else None
        level = policy.enforcement_level if policy else "advisory"
        suppressed += suppressed_findings(
            entries,
            pack=client.pack_name,
            pack_version=client.pack_version,
            policy=result.policy,
            level="mandatory" if level == "remediate" else level,
            description=policy.description if policy else "",
            severity=policy.severity if policy else None,
            urn_for=urn_for,
        )
    return plain, suppressed


def _always(urn: str) -> Callable[[str], str]:
    return lambda _named: urn


def evaluate(
    records: Sequence[ResourceRecord],
    clients: Sequence[AnalyzerClient],
    *,
    apply_remediations: bool = True,
    progress: Progress | None = None,
) -> Evaluation:
    """Remediate + Analyze every resource with every pack, then AnalyzeStack; plain results."""
    providers = provider_index(records)
    findings: list[Finding] = []
    remediations: list[RemediationEvent] = []
    not_applicable: list[NotApplicableEvent] = []
    suppressed: list[SuppressedFinding] = []
    analyze_seconds: list[float] = []
    stack_seconds: list[float] = []
    analyzed: list[ResourceRecord] = []
    remediating = [c for c in clients if _remediates(c)]
    if progress:
        progress(f"analyzing {len(records)} resources with {len(clients)} pack(s)...")

    for record in records:
        inputs: dict[str, Any] = dict(record.inputs)
        for client in remediating:
            fixed = client.remediate(record, providers, properties=inputs)
            not_applicable += [
                NotApplicableEvent(client.pack_name, record.urn, n) for n in fixed.not_applicable
            ]
            for rem in fixed.remediations:
                if rem.diagnostic:
                    findings.append(
                        Finding(
                            policy_pack=rem.policy_pack,
                            policy_pack_version=rem.policy_pack_version,
                            policy=rem.policy,
                            level="advisory",
                            message=rem.diagnostic,
                            urn=record.urn,
                            description=rem.description,
                        )
                    )
                elif rem.properties is not None:
                    added, changed, removed = _key_changes(inputs, rem.properties)
                    remediations.append(RemediationEvent(rem, added, changed, removed, apply_remediations))
                    if apply_remediations:
                        inputs = dict(rem.properties)
        current = _with_inputs(record, inputs) if inputs != record.inputs else record
        analyzed.append(current)
        for client in clients:
            result = client.analyze(current, providers, properties=inputs)
            analyze_seconds.append(result.seconds)
            findings += result.findings
            # Resource policies report on the resource analysed, whatever urn they name.
            plain, hidden = _split_not_applicable(
                client, result.not_applicable, record.urn, _always(record.urn)
            )
            not_applicable += plain
            suppressed += hidden

    if progress:
        progress("running stack policies...")
    known = {r.urn for r in analyzed}
    root = root_stack_urn(analyzed)
    for client in clients:
        result = client.analyze_stack(analyzed, providers)
        stack_seconds.append(result.seconds)
        findings += result.findings
        plain, hidden = _split_not_applicable(
            client, result.not_applicable, None, lambda urn: urn if urn in known else root
        )
        not_applicable += plain
        suppressed += hidden

    return Evaluation(
        packs=tuple(summarize(c) for c in clients),
        resources=tuple(analyzed),
        findings=tuple(findings),
        remediations=tuple(remediations),
        not_applicable=tuple(not_applicable),
        analyze_seconds=tuple(analyze_seconds),
        analyze_stack_seconds=tuple(stack_seconds),
        suppressed=tuple(suppressed),
    )
