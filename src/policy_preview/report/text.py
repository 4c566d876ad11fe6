"""`--format text`: the CLI's "Policies:" section, as `pulumi preview --policy-pack` prints it.
Messages are printed as the pack wrote them: policies are responsible for not echoing secrets
(ours never echo free text). Findings suppressed by exemptions are listed apart and never fail."""

from __future__ import annotations

from policy_preview.analyzer.suppressions import Exemption
from policy_preview.evaluate import Evaluation, RemediationEvent
from policy_preview.model import Finding
from policy_preview.report.common import (
    RunContext,
    _counts,
    _display_path,
    _pack_key,
    _sort_key,
    details,
    display_type,
)
from policy_preview.report.finding_details import Details, FindingDetail
from policy_preview.urns import urn_name, urn_type


def _finding_lines(finding: Finding, indent: str) -> list[str]:
    severity = f" [severity: {finding.severity}]" if finding.severity else ""
    where = (
        f"  ({display_type(urn_type(finding.urn))}: {urn_name(finding.urn)})"
        if finding.urn and "::" in finding.urn
        else ""
    )
    lines = [f"{indent}- [{finding.level}]{severity}  {finding.policy}{where}"]
    lines += [f"{indent}  {line}" for line in finding.message.rstrip("\n").split("\n")]
    return lines


_BASELINE_WORDS = {"new": "new since the baseline", "existing": "in the baseline"}


def _detail_lines(detail: FindingDetail | None, indent: str) -> list[str]:
    """Where the finding's resource was constructed, and its state against the baseline."""
    if detail is None:
        return []
    where = str(detail.location) if detail.location else f"unknown ({detail.unknown_reason})"
    state = f" - {_BASELINE_WORDS[detail.baseline]}" if detail.baseline else ""
    return [f"{indent}  source: {where}{state}"]


def _exemption_text(exemption: Exemption) -> str:
    details = [f"owner: {exemption.owner}"] if exemption.owner else []
    if exemption.expires:
        details.append(f"expires: {exemption.expires}")
    details.append(
        f"tag {exemption.matched}" if exemption.source == "tag" else f"matched {exemption.matched}"
    )
    return f"{exemption.reason} ({', '.join(details)})"


def _suppressed_lines(found: Details) -> list[str]:
    if not found.suppressed:
        return []
    out = ["", "Suppressed by reviewed exemptions (not failing the run):"]
    for detail in found.suppressed:
        finding = detail.finding
        assert detail.exemption is not None
        out.append(f"    - [{finding.level}]  {finding.policy}  ({_resource_label(finding.urn)})")
        out.append(f"      reason: {_exemption_text(detail.exemption)}")
        out += _detail_lines(detail, "    ")
        out += [f"      {line}" for line in finding.message.rstrip("\n").split("\n")]
    return out


def _resource_label(urn: str | None) -> str:
    if not urn or "::" not in urn:
        return "stack"
    return f"{display_type(urn_type(urn))}: {urn_name(urn)}"


def _baseline_line(found: Details) -> list[str]:
    if found.baseline is None:
        return []
    verdict = "FAILED: new mandatory finding" if found.blocking else "passed: no new mandatory finding"
    return [
        f"Baseline {found.baseline.path}: {found.count('new')} new, "
        f"{found.count('existing')} existing, {found.absent} no longer found - {verdict}."
    ]


def _remediation_line(event: RemediationEvent, indent: str) -> str:
    rem = event.remediation
    diff = " ".join(
        [
            *(f"+{k}" for k in event.added),
            *(f"~{k}" for k in event.changed),
            *(f"-{k}" for k in event.removed),
        ]
    )
    verb = "" if event.applied else " (would change; not applied to a stack export)"
    where = f"  ({display_type(urn_type(rem.urn))}: {urn_name(rem.urn)})"
    return f"{indent}- [remediate]  {rem.policy}{where} [{diff or 'no change'}]{verb}"


def _resource_order(evaluation: Evaluation) -> dict[str, int]:
    return {r.urn: i for i, r in enumerate(evaluation.resources)}


def render_text(evaluation: Evaluation, context: RunContext) -> str:
    out: list[str] = []
    logs = [(p, line) for p in evaluation.packs for line in p.log_lines]
    if logs or evaluation.engine_log:
        out.append("Diagnostics:")
        for pack, line in logs:
            out.append(f"  {pack.name} (analyzer): {line}")
        out += [f"  engine log: {line}" for line in evaluation.engine_log]
        out.append("")

    out.append("Policies:")
    found = details(evaluation, context)
    by_finding = {id(d.finding): d for d in found.findings}
    order = _resource_order(evaluation)
    for pack in sorted(evaluation.packs, key=lambda p: _pack_key(p.name, p.version)):
        mine = [f for f in evaluation.findings if f.policy_pack == pack.name]
        fixes = [e for e in evaluation.remediations if e.remediation.policy_pack == pack.name]
        mark = "❌" if any(f.level == "mandatory" for f in mine) else ("⚠️" if mine else "✅")
        out.append(
            f"    {mark} {_pack_key(pack.name, pack.version)} (local: {_display_path(pack.directory)})"
        )
        urns = sorted(
            {f.urn or "" for f in mine} | {e.remediation.urn for e in fixes},
            key=lambda u: (order.get(u, len(order)), u),
        )
        for urn in urns:
            type_token = urn_type(urn)
            out.append(
                f"        {display_type(type_token)}  {urn_name(urn)}" if type_token else "        (stack)"
            )
            out.append(f"        {urn}" if urn else "        (no resource)")
            for event in (e for e in fixes if e.remediation.urn == urn):
                out.append(_remediation_line(event, "            "))
            for finding in sorted((f for f in mine if (f.urn or "") == urn), key=_sort_key):
                out += _finding_lines(finding, "            ")
                out += _detail_lines(by_finding.get(id(finding)), "            ")
    out += _suppressed_lines(found)
    out.append("")
    out.append(summary_line(evaluation))
    out += _baseline_line(found)
    return "\n".join(out) + "\n"


def summary_line(evaluation: Evaluation) -> str:
    c = _counts(evaluation)
    packs = ", ".join(_pack_key(p.name, p.version) for p in evaluation.packs)
    verdict = "FAILED: mandatory policy violated" if evaluation.has_mandatory else "passed"
    return (
        f"Summary: {c['mandatory']} mandatory, {c['advisory']} advisory, {c['remediated']} remediated; "
        f"{c['resources']} resources evaluated with {c['packs']} pack(s) ({packs}) - {verdict}."
    )
