"""`--format text`: the CLI's "Policies:" section, as `pulumi preview --policy-pack` prints it.
Messages are printed as the pack wrote them: policies are responsible for not echoing secrets
(ours never echo free text). Findings suppressed by exemptions are listed apart and never fail."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policy_preview.analyzer.suppressions import Exemption
from policy_preview.model import Finding
from policy_preview.report.common import RunContext, _counts, _display_path, _pack_key, details, display_type
from policy_preview.report.finding_details import Details, FindingDetail
from policy_preview.urns import urn_name, urn_type

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from policy_preview.evaluate import Evaluation, PackSummary, RemediationEvent


# The CLI's layout (pulumi/pulumi pkg/backend/display/progress.go printPolicies, diff.go
# renderDiffPolicyViolationEvent / renderDiffPolicyRemediationEvent), without colours: "Policies:"
# with one header per pack (sorted by `name@vversion`), its remediations summarised per policy, then
# its findings sorted by level, severity, policy and URN; then "Diagnostics:" (what packs printed,
# under the root stack, as the CLI files plugin output). What the CLI does not print comes after:
# each remediation's changed keys, the findings by URN, and our one-line summary.

# The CLI's order of enforcement levels and severities (progress.go enforcementRank, severityRank).
_CLI_LEVEL_RANK = {"remediate": 0, "mandatory": 1, "advisory": 2, "disabled": 3}
_CLI_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}
_SUB_ITEM = " " * 8  # progress.go subItemIndent
_ABBREVIATE_OVER = 75  # engine.abbreviateFilePath


def _cli_pack_key(name: str, version: str) -> str:
    return f"{name}@v{version}"  # progress.go formats "%s@v%s", version or not


def _cli_sort_key(finding: Finding) -> tuple[int, int, str, str]:
    return (
        _CLI_LEVEL_RANK.get(finding.level, 99),
        _CLI_SEVERITY_RANK.get(finding.severity, 99),
        finding.policy,
        finding.urn or "",
    )


def abbreviate_file_path(path: str) -> str:
    """engine.abbreviateFilePath: a cleaned path; over 75 characters, the first two and the last
    two parts with `...` between them."""
    path = os.path.normpath(path)
    if len(path) > _ABBREVIATE_OVER:
        separator = "/" if "/" in path else "\\"
        parts = path.split(separator)
        if len(parts) > 4:
            parts = [*parts[:2], "...", *parts[-2:]]
        path = separator.join(parts)
    return path


def _local_path(pack: PackSummary) -> str:
    return abbreviate_file_path(pack.given_path) if pack.given_path else _display_path(pack.directory)


def _resource_clause(urn: str | None) -> str:
    """diff.go policyResourceClause: `  (<display type>: <name>)`, nothing for a finding without a
    resource."""
    if not urn or "::" not in urn:
        return ""
    return f"  ({display_type(urn_type(urn))}: {urn_name(urn)})"


def _finding_lines(finding: Finding, prefix: str, line_prefix: str) -> list[str]:
    severity = f" [severity: {finding.severity}]" if finding.severity else ""
    lines = [f"{prefix}[{finding.level}]{severity}  {finding.policy}{_resource_clause(finding.urn)}"]
    lines += [f"{line_prefix}{line}" for line in finding.message.removesuffix("\n").split("\n")]
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


def _short_diff(event: RemediationEvent) -> str:
    """rows.go writeShortDiff: `diff: +added-deleted~updated`, each group's keys sorted."""
    groups = (("+", event.added), ("-", event.removed), ("~", event.changed))
    return "diff: " + "".join(sign + ",".join(sorted(keys)) for sign, keys in groups if keys)


@dataclass
class _PackSection:
    local_paths: list[str]
    findings: list[Finding]
    remediations: list[RemediationEvent]


def _pack_sections(evaluation: Evaluation) -> dict[str, _PackSection]:
    """Packs by `name@vversion` (packs with the same key share one header, as in the CLI), with the
    findings and remediations whose pack name and version they carry."""
    sections: dict[str, _PackSection] = {}
    for pack in evaluation.packs:
        section = sections.setdefault(_cli_pack_key(pack.name, pack.version), _PackSection([], [], []))
        section.local_paths.append(_local_path(pack))
    for finding in evaluation.findings:
        key = _cli_pack_key(finding.policy_pack, finding.policy_pack_version)
        sections.setdefault(key, _PackSection([], [], [])).findings.append(finding)
    for event in evaluation.remediations:
        rem = event.remediation
        key = _cli_pack_key(rem.policy_pack, rem.policy_pack_version)
        sections.setdefault(key, _PackSection([], [], [])).remediations.append(event)
    return sections


def _policies_lines(sections: Mapping[str, _PackSection]) -> list[str]:
    out = ["Policies:"]
    for key in sorted(sections):
        section = sections[key]
        levels = {f.level for f in section.findings}
        mark = "❌" if "mandatory" in levels else ("⚠️" if levels else "✅")
        local = f" (local: {'; '.join(sorted(section.local_paths))})" if section.local_paths else ""
        out.append(f"    {mark} {key}{local}")
        counts = Counter(e.remediation.policy for e in section.remediations)
        for policy in sorted(counts):
            noun = "resource" if counts[policy] == 1 else "resources"
            out.append(f"{_SUB_ITEM}- [remediate]  {policy}  ({counts[policy]} {noun})")
        for finding in sorted(section.findings, key=_cli_sort_key):  # stable, as SortStableFunc
            out += _finding_lines(finding, f"{_SUB_ITEM}- ", f"{_SUB_ITEM}  ")
    out.append("")
    return out


def _root_header(evaluation: Evaluation) -> str:
    """resourceHeader of the root stack row, where the CLI shows plugin output."""
    from policy_preview.analyzer.messages import root_stack_urn

    urn = root_stack_urn(evaluation.resources)
    if not urn:
        return "  pulumi:pulumi:Stack:"
    return f"  {display_type(urn_type(urn))} ({urn_name(urn)}):"


def _diagnostics_lines(evaluation: Evaluation) -> list[str]:
    lines = [line for pack in evaluation.packs for line in pack.log_lines]
    lines += list(evaluation.engine_log)
    if not lines:
        return []
    return ["Diagnostics:", _root_header(evaluation), *(f"    {line}" for line in lines), ""]


def _remediation_lines(sections: Mapping[str, _PackSection]) -> list[str]:
    """As the CLI's `--show-policy-remediations` lines (in the order they ran), with the URN."""
    out: list[str] = []
    for key in sorted(sections):
        events = sections[key].remediations
        if not events:
            continue
        out.append(f"    {key}")
        for event in events:
            rem = event.remediation
            change = f" [{_short_diff(event)}]" if event.added or event.changed or event.removed else ""
            note = "" if event.applied else " (would change; not applied to a stack export)"
            out.append(f"{_SUB_ITEM}- [remediate]  {rem.policy}{_resource_clause(rem.urn)}{change}{note}")
            out.append(f"{_SUB_ITEM}  {rem.urn}")
    return ["Remediations:", *out, ""] if out else []


def _by_urn_lines(evaluation: Evaluation, details: Mapping[int, FindingDetail]) -> list[str]:
    """Findings by URN, in registration order: the full URNs the CLI's list leaves out, and where
    each resource was constructed (`details` by id of the finding)."""
    if not evaluation.findings:
        return []
    order = {r.urn: i for i, r in enumerate(evaluation.resources)}
    urns = sorted({f.urn or "" for f in evaluation.findings}, key=lambda u: (order.get(u, len(order)), u))
    out = ["Findings by resource:"]
    for urn in urns:
        out.append(f"    {urn or '(no resource)'}")
        for f in sorted((f for f in evaluation.findings if (f.urn or "") == urn), key=_cli_sort_key):
            pack = _cli_pack_key(f.policy_pack, f.policy_pack_version)
            out.append(f"{_SUB_ITEM}- [{f.level}]  {f.policy}  ({pack})")
            out += _detail_lines(details.get(id(f)), _SUB_ITEM)
    return [*out, ""]


def render_text(evaluation: Evaluation, context: RunContext) -> str:
    sections = _pack_sections(evaluation)
    found = details(evaluation, context)
    out = _policies_lines(sections)
    out += _diagnostics_lines(evaluation)
    # What the CLI does not print, after what it does.
    out += _remediation_lines(sections)
    out += _by_urn_lines(evaluation, {id(d.finding): d for d in found.findings})
    suppressed = _suppressed_lines(found)
    out += [*suppressed[1:], ""] if suppressed else []
    out.append(summary_line(evaluation, found))
    out += _baseline_line(found)
    return "\n".join(out) + "\n"


def _verdict(evaluation: Evaluation, found: Details) -> str:
    """The run's outcome as the exit code decides it: with a baseline only new findings fail."""
    if found.baseline is None:
        return "FAILED: mandatory policy violated" if evaluation.has_mandatory else "passed"
    if found.blocking:
        return "FAILED: new mandatory finding"
    return "passed: every mandatory finding is in the baseline" if evaluation.has_mandatory else "passed"


def summary_line(evaluation: Evaluation, found: Details) -> str:
    c = _counts(evaluation)
    packs = ", ".join(_pack_key(p.name, p.version) for p in evaluation.packs)
    verdict = _verdict(evaluation, found)
    return (
        f"Summary: {c['mandatory']} mandatory, {c['advisory']} advisory, {c['remediated']} remediated; "
        f"{c['resources']} resources evaluated with {c['packs']} pack(s) ({packs}) - {verdict}."
    )
