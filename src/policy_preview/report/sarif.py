"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning, checked against
schemas/sarif-2.1.0-subset.schema.json (the parts of SARIF 2.1.0 we emit and code scanning requires)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policy_preview.analyzer.suppressions import Exemption
from policy_preview.model import Finding
from policy_preview.program.source_positions import source_location, unknown_reason
from policy_preview.report.common import TOOL_NAME, RunContext, _sort_key, details, tool_version
from policy_preview.report.finding_details import FindingDetail
from policy_preview.report.text import _exemption_text
from policy_preview.urns import urn_name

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from policy_preview.analyzer.client import PolicyInfo
    from policy_preview.evaluate import Evaluation


_SARIF_LEVEL = {"mandatory": "error", "advisory": "warning", "remediate": "note", "disabled": "none"}

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

TOOL_URI = "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/"


def _rule(policy: PolicyInfo) -> dict[str, Any]:
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
