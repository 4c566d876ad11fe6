"""Findings a pack suppressed with a reviewed exemption, read back from the Analyzer protocol.

The protocol has no field for a suppressed finding, and a policy that reported a violation would
fail `pulumi up`. So a pack that honours an exemption reports the policy as *not applicable*
(AnalyzeResponse.not_applicable, which the engine counts as neither passed nor failed and does
not print) with a reason in a fixed format: the prefix below, then a JSON array with one entry
per suppressed finding: `urn`, `message` (the policy's own message, without the description the
SDK would prefix), `reason`, `owner`, `expires`, `source` (`config` or `tag`) and `matched` (the
pattern or tag key that matched). Any pack may use it; ours writes it in
policies/dynamodb_guardrails/exemptions.py. A reason that is not in this format stays an
ordinary not-applicable result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from policy_preview.model import Finding, Level

SUPPRESSED_PREFIX = "suppressed-by-exemption/v1 "


@dataclass(frozen=True)
class Exemption:
    """What suppressed a finding, as the pack reported it."""

    reason: str
    owner: str | None = None
    expires: str | None = None
    source: str = "config"  # "config" (the policy's `exemptions`) or "tag"
    matched: str = ""


@dataclass(frozen=True)
class SuppressedFinding:
    finding: Finding
    exemption: Exemption


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_suppressed(reason: str) -> list[dict[str, Any]] | None:
    """The entries of a suppression reason; None when `reason` is not one (or is malformed)."""
    if not reason.startswith(SUPPRESSED_PREFIX):
        return None
    try:
        entries = json.loads(reason[len(SUPPRESSED_PREFIX) :])
    except ValueError:
        return None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("message"), str) and isinstance(e.get("reason"), str)
        for e in entries
    ):
        return None
    return entries


def suppressed_findings(
    entries: list[dict[str, Any]],
    *,
    pack: str,
    pack_version: str,
    policy: str,
    level: Level,
    description: str,
    severity: str | None,
    urn_for: Callable[[str], str],
) -> list[SuppressedFinding]:
    """The findings the entries describe, shaped as the engine would have reported them."""
    found = []
    for entry in entries:
        message = entry["message"]
        urn = entry.get("urn")
        source, matched = entry.get("source"), entry.get("matched")
        found.append(
            SuppressedFinding(
                Finding(
                    policy_pack=pack,
                    policy_pack_version=pack_version,
                    policy=policy,
                    level=level,
                    # As the SDK formats a reported violation: description, newline, message.
                    message=f"{description}\n{message}"
                    if description and message
                    else description or message,
                    urn=urn_for(urn if isinstance(urn, str) else ""),
                    severity=severity,
                    description=description,
                ),
                Exemption(
                    reason=entry["reason"],
                    owner=_optional_text(entry.get("owner")),
                    expires=_optional_text(entry.get("expires")),
                    source=source if source in ("config", "tag") else "config",
                    matched=matched if isinstance(matched, str) else "",
                ),
            )
        )
    return found
