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

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policy_preview.analyzer.client import (
    AnalyzerClient,
    AnalyzeResult,
    NotApplicable,
    PackProcess,
    PendingAnalyze,
    PolicyInfo,
    Remediation,
    StackSettings,
)
from policy_preview.analyzer.messages import RequestBuilder, provider_index, resource_options, root_stack_urn
from policy_preview.analyzer.pack_config import load_pack_config_file, reconcile_pack_config
from policy_preview.analyzer.suppressions import SuppressedFinding, parse_suppressed, suppressed_findings
from policy_preview.model import Finding, ResourceRecord

Progress = Callable[[str], None]
# Analyze calls in flight at once: enough to keep a pack busy while the next requests are built
# (a pulumi_policy pack serves 4 calls at a time).
DEFAULT_ANALYZE_CONCURRENCY = 4


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
    given_path: str = ""  # the --policy-pack argument, as the CLI shows it ("" = use `directory`)


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
        given_path=client.pack.given_path,
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


@dataclass
class _Slot:
    """One resource's results, kept until its Analyze calls are answered, so that every finding
    lands in the order a one-call-at-a-time run gives (resource by resource, pack by pack)."""

    urn: str
    findings: list[Finding] = field(default_factory=list)
    not_applicable: list[NotApplicableEvent] = field(default_factory=list)
    pending: list[tuple[AnalyzerClient, PendingAnalyze]] = field(default_factory=list)


def evaluate(
    records: Sequence[ResourceRecord],
    clients: Sequence[AnalyzerClient],
    *,
    apply_remediations: bool = True,
    progress: Progress | None = None,
    concurrency: int = DEFAULT_ANALYZE_CONCURRENCY,
) -> Evaluation:
    """Remediate + Analyze every resource with every pack, then AnalyzeStack; plain results.

    Analyze calls are independent (the engine runs them concurrently too), so up to `concurrency`
    are in flight while the next requests are built; results are taken in submission order, so the
    verdicts and their order do not depend on it. `concurrency=1` makes one blocking call at a time
    (per-call latencies for the benchmark). Remediate stays one call at a time: it changes what the
    next pack and Analyze see.
    """
    providers = provider_index(records)
    builder = RequestBuilder(providers)
    findings: list[Finding] = []
    remediations: list[RemediationEvent] = []
    not_applicable: list[NotApplicableEvent] = []
    suppressed: list[SuppressedFinding] = []
    analyze_seconds: list[float] = []
    stack_seconds: list[float] = []
    analyzed: list[ResourceRecord] = []
    stack_resources: list[Any] = []
    remediating = [c for c in clients if _remediates(c)]
    in_flight: deque[_Slot] = deque()
    if progress:
        progress(f"analyzing {len(records)} resources with {len(clients)} pack(s)...")

    def settle(slot: _Slot, results: list[tuple[AnalyzerClient, AnalyzeResult]]) -> None:
        findings.extend(slot.findings)
        not_applicable.extend(slot.not_applicable)
        for client, result in results:
            analyze_seconds.append(result.seconds)
            findings.extend(result.findings)
            # Resource policies report on the resource analysed, whatever urn they name.
            plain, hidden = _split_not_applicable(client, result.not_applicable, slot.urn, _always(slot.urn))
            not_applicable.extend(plain)
            suppressed.extend(hidden)

    try:
        for record in records:
            urn = record.urn
            slot = _Slot(urn)
            inputs: dict[str, Any] = dict(record.inputs)
            for client in remediating:
                fixed = client.remediate(record, providers, properties=inputs)
                slot.not_applicable += [
                    NotApplicableEvent(client.pack_name, urn, n) for n in fixed.not_applicable
                ]
                for rem in fixed.remediations:
                    if rem.diagnostic:
                        slot.findings.append(
                            Finding(
                                policy_pack=rem.policy_pack,
                                policy_pack_version=rem.policy_pack_version,
                                policy=rem.policy,
                                level="advisory",
                                message=rem.diagnostic,
                                urn=urn,
                                description=rem.description,
                            )
                        )
                    elif rem.properties is not None:
                        added, changed, removed = _key_changes(inputs, rem.properties)
                        event = RemediationEvent(rem, added, changed, removed, apply_remediations)
                        remediations.append(event)
                        if apply_remediations:
                            inputs = dict(rem.properties)
            current = _with_inputs(record, inputs) if inputs != record.inputs else record
            analyzed.append(current)
            options = resource_options(current)
            request = builder.analyze_request(current, properties=inputs, options=options)
            if concurrency <= 1:
                settle(slot, [(client, client.analyze_prepared(request)) for client in clients])
            else:
                # Room for this resource's calls first (one resource at least, whatever the bound).
                while in_flight and (len(in_flight) + 1) * len(clients) > concurrency:
                    oldest = in_flight.popleft()
                    settle(oldest, [(client, pending.result()) for client, pending in oldest.pending])
                slot.pending = [(client, client.submit_analyze(request)) for client in clients]
                in_flight.append(slot)
            # Built while the pack answers the calls in flight.
            stack_resources.append(builder.stack_resource(current, options=options))
        while in_flight:
            oldest = in_flight.popleft()
            settle(oldest, [(client, pending.result()) for client, pending in oldest.pending])
    except BaseException:
        for slot in in_flight:
            for _, pending in slot.pending:
                pending.cancel()
        raise

    if progress:
        progress("running stack policies...")
    known = {r.urn for r in analyzed}
    root = root_stack_urn(analyzed)
    for client in clients:
        result = client.analyze_stack_resources(analyzed, stack_resources)
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
