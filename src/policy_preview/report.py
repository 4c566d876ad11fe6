"""Render an Evaluation: the CLI's "Policies:" section grouped by resource, JSON, SARIF 2.1.0 and
JUnit XML (junit.py).

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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from .baseline import Baseline
from .evaluate import Evaluation, PackSummary, RemediationEvent
from .finding_details import Details, FindingDetail, finding_details
from .model import Finding
from .source_positions import source_location, unknown_reason
from .suppressions import Exemption

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
