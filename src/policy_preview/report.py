"""Render an Evaluation: text in the CLI's layout (then what the CLI does not show), JSON, SARIF
2.1.0 and JUnit XML (junit.py).

The JSON report's schema is schemas/report.schema.json; the SARIF output is checked against
schemas/sarif-2.1.0-subset.schema.json (the parts of SARIF 2.1.0 we emit and GitHub code scanning
requires). Messages are printed as the pack wrote them: policies are responsible for not echoing
secrets (ours never echo free text). Each finding's source line, fingerprint and baseline state
come from finding_details.py; findings suppressed by exemptions are listed apart and never fail.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .baseline import Baseline
from .finding_details import Details, FindingDetail, finding_details
from .model import Finding
from .source_positions import source_location, unknown_reason
from .suppressions import Exemption

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from .evaluate import Evaluation, PackSummary, RemediationEvent

SourceKind = Literal["program", "stack-export"]
JSON_SCHEMA_VERSION = 1
TOOL_NAME = "policy-preview"
TOOL_URI = "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL_RANK = {"mandatory": 0, "remediate": 1, "advisory": 2, "disabled": 3}
_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}
_SARIF_LEVEL = {"mandatory": "error", "advisory": "warning", "remediate": "note", "disabled": "none"}


@dataclass(frozen=True)
class RunContext:
    """Where the resources came from, for the report header and SARIF locations."""

    kind: SourceKind
    path: Path  # the program's main file (or Pulumi.yaml), or the stack export file
    mode: str | None = None  # "preview" | "update" for a program run
    stack: str | None = None
    project: str | None = None
    project_root: Path | None = None  # where source positions are relative to
    repo_root: Path | None = None  # where SARIF paths are relative to (GitHub's checkout)
    baseline: Baseline | None = None  # --baseline: only findings not in it fail the run


def tool_version() -> str:
    try:
        return metadata.version("dynamodb-guardrails")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it (portable in reports)."""
    try:
        return (
            Path(os.path.relpath(path.resolve(), Path.cwd())).as_posix()
            if path.is_absolute()
            else path.as_posix()
        )
    except ValueError:  # other drive on Windows
        return path.as_posix()


def display_type(type_token: str) -> str:
    """The CLI's short type name (tokens.Type.DisplayName): aws:dynamodb/table:Table -> aws:dynamodb:Table."""
    parts = type_token.split(":")
    if len(parts) != 3 or not parts[2] or "/" not in parts[1]:
        return type_token
    module, _, file = parts[1].rpartition("/")
    if file != parts[2][:1].lower() + parts[2][1:]:
        return type_token
    return f"{parts[0]}:{module}:{parts[2]}"


def urn_type(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def urn_name(urn: str) -> str:
    # Everything after the third "::" (a name may itself contain "::"), as URN.Name() in the CLI.
    parts = urn.split("::")
    return "::".join(parts[3:]) if len(parts) >= 4 else urn


def _counts(evaluation: Evaluation) -> dict[str, int]:
    levels = Counter(f.level for f in evaluation.findings)
    return {
        "mandatory": levels["mandatory"],
        "advisory": levels["advisory"],
        "remediated": len(evaluation.remediations),
        "resources": len(evaluation.resources),
        "packs": len(evaluation.packs),
    }


def details(evaluation: Evaluation, context: RunContext | None = None) -> Details:
    return finding_details(
        evaluation.findings,
        evaluation.suppressed,
        evaluation.resources,
        context.baseline if context is not None else None,
    )


def exit_code(evaluation: Evaluation, context: RunContext | None = None) -> int:
    """1 when a mandatory finding fails the run: any, or with a baseline any new one."""
    if context is not None and context.baseline is not None:
        return 1 if details(evaluation, context).blocking else 0
    return 1 if evaluation.has_mandatory else 0


def _pack_key(name: str, version: str) -> str:
    return f"{name}@v{version}" if version else name


def _sort_key(finding: Finding) -> tuple[int, int, str, str]:
    return (
        _LEVEL_RANK.get(finding.level, 9),
        _SEVERITY_RANK.get(finding.severity, 4),
        finding.policy,
        finding.urn or "",
    )


# --- text ------------------------------------------------------------------------------------
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
    from .analyzer import root_stack_urn

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


# --- JSON ------------------------------------------------------------------------------------


def _policy_json(policy: Any) -> dict[str, Any]:
    return {
        "name": policy.name,
        "description": policy.description,
        "enforcementLevel": policy.enforcement_level,
        "type": policy.policy_type,
        "severity": policy.severity,
        "tags": list(policy.tags),
        "url": policy.url or None,
        "remediationSteps": policy.remediation_steps or None,
        "configSchema": dict(policy.config_schema) if policy.config_schema else None,
    }


def _pack_json(pack: PackSummary) -> dict[str, Any]:
    return {
        "name": pack.name,
        "version": pack.version,
        "path": _display_path(pack.directory),
        "description": pack.description,
        "policies": [_policy_json(p) for p in pack.policies],
        "log": list(pack.log_lines),
    }


def _source_json(detail: FindingDetail) -> dict[str, Any]:
    location = detail.location
    return {
        "path": location.path if location else None,
        "line": location.line if location else None,
        "unknownReason": None if location else detail.unknown_reason,
    }


def _detail_json(detail: FindingDetail) -> dict[str, Any]:
    data = {
        **_finding_json(detail.finding),
        "fingerprint": detail.fingerprint,
        "source": _source_json(detail),
        "baseline": detail.baseline,
    }
    if detail.exemption is not None:
        exemption = detail.exemption
        data["exemption"] = {
            "reason": exemption.reason,
            "owner": exemption.owner,
            "expires": exemption.expires,
            "source": exemption.source,
            "matched": exemption.matched,
        }
        del data["baseline"]
    return data


def _finding_json(finding: Finding) -> dict[str, Any]:
    urn = finding.urn or None
    return {
        "policyPack": finding.policy_pack,
        "policyPackVersion": finding.policy_pack_version,
        "policy": finding.policy,
        "enforcementLevel": finding.level,
        "severity": finding.severity,
        "message": finding.message,
        "description": finding.description,
        "urn": urn,
        "resourceType": urn_type(urn) if urn else None,
        "resourceName": urn_name(urn) if urn else None,
    }


def report_json(evaluation: Evaluation, context: RunContext) -> dict[str, Any]:
    """The JSON report as a dict (schemas/report.schema.json)."""
    counts = _counts(evaluation)
    found = details(evaluation, context)
    order = sorted(range(len(found.findings)), key=lambda i: _sort_key(found.findings[i].finding))
    return {
        "schemaVersion": JSON_SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "source": {
            "kind": context.kind,
            "path": _display_path(context.path),
            "mode": context.mode,
            "stack": context.stack,
            "project": context.project,
        },
        "packs": [_pack_json(p) for p in evaluation.packs],
        "findings": [_detail_json(found.findings[i]) for i in order],
        "suppressed": [_detail_json(d) for d in sorted(found.suppressed, key=lambda d: _sort_key(d.finding))],
        "remediations": [
            {
                "policyPack": e.remediation.policy_pack,
                "policyPackVersion": e.remediation.policy_pack_version,
                "policy": e.remediation.policy,
                "urn": e.remediation.urn,
                "applied": e.applied,
                # Keys only: remediated values may be secrets.
                "added": list(e.added),
                "changed": list(e.changed),
                "removed": list(e.removed),
            }
            for e in evaluation.remediations
        ],
        "notApplicable": [
            {"policyPack": n.policy_pack, "policy": n.result.policy, "urn": n.urn, "reason": n.result.reason}
            for n in evaluation.not_applicable
        ],
        "engineLog": list(evaluation.engine_log),
        "summary": {
            **counts,
            "suppressed": len(found.suppressed),
            "baseline": (
                {
                    "path": str(found.baseline.path),
                    "new": found.count("new"),
                    "existing": found.count("existing"),
                    "absent": found.absent,
                }
                if found.baseline is not None
                else None
            ),
            "passed": not found.blocking,
        },
    }


def render_json(evaluation: Evaluation, context: RunContext) -> str:
    return json.dumps(report_json(evaluation, context), indent=2, ensure_ascii=False) + "\n"


# --- SARIF 2.1.0 -----------------------------------------------------------------------------


def _rule(policy: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": policy.name,
        "name": policy.name,
        "shortDescription": {"text": policy.description or policy.name},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(policy.enforcement_level, "warning")},
        "properties": {
            "tags": list(policy.tags),
            "enforcementLevel": policy.enforcement_level,
            "policyType": policy.policy_type,
            **({"severity": policy.severity} if policy.severity else {}),
        },
    }
    if policy.enforcement_level == "disabled":
        rule["defaultConfiguration"]["enabled"] = False
    if policy.url:
        rule["helpUri"] = policy.url
    if policy.remediation_steps:
        rule["help"] = {"text": policy.remediation_steps}
        rule["fullDescription"] = {"text": policy.remediation_steps}
    return rule


SRCROOT = "%SRCROOT%"  # GitHub resolves result paths against the repository root


def _repo_path(path: Path, context: RunContext) -> str:
    """`path` relative to the repository root (GitHub's checkout), as SARIF URIs must be."""
    root = (context.repo_root or context.project_root or Path.cwd()).resolve()
    try:
        return Path(os.path.relpath(path.resolve(), root)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _fallback_file(context: RunContext) -> Path:
    # Without a source line a result points at line 1 of the project file (Pulumi.yaml), the
    # closest honest place, or at the export file; the message says the line is unknown.
    if context.kind == "program" and context.project_root is not None:
        project_file = context.project_root / "Pulumi.yaml"
        if project_file.is_file():
            return project_file
    return context.path


def _location(context: RunContext, urn: str | None, detail: FindingDetail | None = None) -> dict[str, Any]:
    """The source line that constructed the resource, so GitHub annotates it in a pull request."""
    known = detail is not None and detail.location is not None and context.project_root is not None
    if known:
        assert detail is not None and detail.location is not None and context.project_root is not None
        uri = _repo_path(context.project_root / detail.location.path, context)
        line = detail.location.line
    else:
        uri, line = _repo_path(_fallback_file(context), context), 1
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
            "region": {"startLine": line},
        }
    }
    if detail is not None and not known:
        reason = detail.unknown_reason or "no project directory for the export"
        location["message"] = {"text": f"Source line of the resource unknown ({reason})."}
    if urn:
        location["logicalLocations"] = [
            {"fullyQualifiedName": urn, "name": urn_name(urn), "kind": "resource"}
        ]
    return location


def _fingerprint(*parts: str) -> str:
    # Remediations have no finding; key them on pack + rule + URN.
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _partial_fingerprints(fingerprint: str) -> dict[str, str]:
    # GitHub's own key takes `<hash>:<occurrence>`; ours is stable across runs and checkouts
    # (fingerprints.py), so code scanning tracks the finding instead of reopening it.
    base, _, occurrence = fingerprint.partition(":")
    return {"primaryLocationLineHash": f"{base}:{occurrence or 1}", "policyFinding/v1": fingerprint}


_SARIF_BASELINE = {"new": "new", "existing": "unchanged"}


def _suppression(exemption: Exemption) -> dict[str, Any]:
    return {"kind": "external", "status": "accepted", "justification": _exemption_text(exemption)}


def _result(
    index: dict[str, tuple[int, int]],
    pack: str,
    policy: str,
    level: str,
    text: str,
    urn: str | None,
    context: RunContext,
    detail: FindingDetail | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": policy,
        "level": _SARIF_LEVEL.get(level, "warning"),
        "message": {"text": text},
    }
    if f"{pack}/{policy}" in index:
        component, rule_index = index[f"{pack}/{policy}"]
        result["rule"] = {"id": policy, "index": rule_index, "toolComponent": {"index": component}}
    result["locations"] = [_location(context, urn, detail)]
    fingerprint = detail.fingerprint if detail is not None else _fingerprint(pack, policy, urn or "")
    result["partialFingerprints"] = _partial_fingerprints(fingerprint)
    if detail is not None and detail.baseline is not None:
        result["baselineState"] = _SARIF_BASELINE[detail.baseline]
    if detail is not None and detail.exemption is not None:
        result["suppressions"] = [_suppression(detail.exemption)]
    result["properties"] = {"policyPack": pack, "enforcementLevel": level}
    return result


def report_sarif(evaluation: Evaluation, context: RunContext) -> dict[str, Any]:
    """One run; the tool is policy-preview, each pack is a tool extension holding its policies as rules."""
    extensions = []
    index: dict[str, tuple[int, int]] = {}
    for component, pack in enumerate(evaluation.packs):
        extensions.append(
            {
                "name": pack.name,
                "version": pack.version or "0.0.0",
                "rules": [_rule(p) for p in pack.policies],
                **({"shortDescription": {"text": pack.description}} if pack.description else {}),
            }
        )
        for i, policy in enumerate(pack.policies):
            index[f"{pack.name}/{policy.name}"] = (component, i)
    found = details(evaluation, context)
    results = [
        _result(index, f.policy_pack, f.policy, f.level, f.message, f.urn, context, d)
        for d in sorted((*found.findings, *found.suppressed), key=lambda d: _sort_key(d.finding))
        for f in (d.finding,)
    ]
    positions = {r.urn: r.source_position for r in evaluation.resources}
    for event in evaluation.remediations:
        rem = event.remediation
        keys = ", ".join([*event.added, *event.changed, *event.removed]) or "nothing"
        verb = "remediated" if event.applied else "would remediate"
        text = f"{rem.description}\nPolicy {rem.policy} {verb} this resource (keys: {keys})."
        position = positions.get(rem.urn)
        where = FindingDetail(
            Finding(rem.policy_pack, rem.policy_pack_version, rem.policy, "remediate", text, rem.urn),
            _fingerprint(rem.policy_pack, rem.policy, rem.urn),
            source_location(position),
            unknown_reason(position) if source_location(position) is None else "",
        )
        results.append(
            _result(index, rem.policy_pack, rem.policy, "remediate", text, rem.urn, context, where)
        )
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": TOOL_NAME, "version": tool_version(), "informationUri": TOOL_URI},
                    "extensions": extensions,
                },
                "automationDetails": {"id": f"{TOOL_NAME}/{context.stack or context.kind}/"},
                "invocations": [{"executionSuccessful": True}],
                "results": results,
            }
        ],
    }


def render_sarif(evaluation: Evaluation, context: RunContext) -> str:
    return json.dumps(report_sarif(evaluation, context), indent=2, ensure_ascii=False) + "\n"


def _render_junit(evaluation: Evaluation, context: RunContext) -> str:
    from .junit import render_junit  # junit.py builds on this module's helpers

    return render_junit(evaluation, context)


FORMATS = {"text": render_text, "json": render_json, "sarif": render_sarif, "junit": _render_junit}


def render(evaluation: Evaluation, context: RunContext, fmt: str) -> str:
    return FORMATS[fmt](evaluation, context)
