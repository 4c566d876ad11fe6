"""`--format json`: the JSON report, schema schemas/report.schema.json (also a baseline file)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from policy_preview.model import Finding
from policy_preview.report.common import (
    TOOL_NAME,
    RunContext,
    _counts,
    _display_path,
    _sort_key,
    details,
    tool_version,
)
from policy_preview.report.finding_details import FindingDetail
from policy_preview.urns import urn_name, urn_type

if TYPE_CHECKING:  # not at run time: the CLI imports this module before the pack client
    from policy_preview.analyzer.client import PolicyInfo
    from policy_preview.evaluate import Evaluation, PackSummary


JSON_SCHEMA_VERSION = 1


def _policy_json(policy: PolicyInfo) -> dict[str, Any]:
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
