"""Exemptions: the one place that decides whether a policy lets a resource off.

Every policy's config has the same three keys (`exemption_schema` builds them):

- `exemptions`: reviewed exemptions, each `{"resources": [names, URNs or globs], "reason": "...",
  "owner": "...", "expires": "YYYY-MM-DD"}` (`reason` required). An active exemption suppresses
  the finding: the pack does not report it as a violation, so `pulumi up` passes, but it tells the
  engine the policy was not applicable with a structured reason (`encode_suppressions`), which
  policy-preview lists as suppressed. From the day after `expires` (UTC) the exemption no
  longer applies and the finding, reported again, says it expired.
- `allowTagExemptions` (off by default): a resource tagged `policy-exemption:<policy name>` with a
  reason as the value is exempt, so the exception sits next to the code in review.
- `exemptResources`: the original bare list of names/URNs. Kept working as before (the rules skip
  those resources silently); prefer `exemptions`, which carry a reason and show up in reports.

Pure functions over plain data; nothing here raises on odd config (the CLI validates config
against the schema, but an older CLI or a hand-written request may send anything).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from typing import Any, Literal

from .model import UNKNOWN, Resource, Violation
from .values import as_mapping, is_list, string_items

CONFIG_KEY = "exemptResources"
EXEMPTIONS_KEY = "exemptions"
TAG_EXEMPTIONS_KEY = "allowTagExemptions"
TAG_KEY_PREFIX = "policy-exemption:"
# Not-applicable reasons starting with this carry the suppressed findings as JSON; policy-preview
# reads them (src/policy_preview/suppressions.py holds the same constant, a test keeps them equal).
SUPPRESSED_PREFIX = "suppressed-by-exemption/v1 "
_MAX_REASON_CHARS = 256
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_WHITESPACE = re.compile(r"\s+")

Source = Literal["config", "tag"]


def exempt_resources_schema(what: str) -> dict[str, Any]:
    """The legacy `exemptResources` entry; `what` says which resources the policy would skip."""
    return {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": f"Logical names (or URNs) of {what}, skipped without a trace in reports. "
        "Prefer `exemptions`, which record a reason, an owner and an end date. A resource inside an "
        "embedded CloudFormation template is `<stack logical name>/<template logical id>`; the stack's "
        "own name skips its whole template.",
    }


def exemption_schema(what: str) -> dict[str, Any]:
    """The exemption keys of every policy's config schema; `what` names the resources it skips."""
    return {
        CONFIG_KEY: exempt_resources_schema(what),
        EXEMPTIONS_KEY: {
            "type": "array",
            "default": [],
            "description": "Reviewed exemptions: findings on the listed resources are suppressed (reported "
            "as suppressed, not as violations) until `expires` (an ISO date, UTC, inclusive). `resources` "
            "holds logical names, URNs or glob patterns (`*`, `?`, `[...]`) matched against either.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["resources", "reason"],
                "properties": {
                    "resources": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string", "minLength": 1},
                        "description": "Logical names, URNs or glob patterns of the exempt resources.",
                    },
                    "reason": {
                        "type": "string",
                        "pattern": "\\S",
                        "description": "Why the exemption is acceptable (shown in every report).",
                    },
                    "owner": {"type": "string", "description": "Who answers for the exemption."},
                    "expires": {
                        "type": "string",
                        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                        "description": "Last day (UTC) the exemption applies, e.g. 2026-12-31.",
                    },
                },
            },
        },
        TAG_EXEMPTIONS_KEY: {
            "type": "boolean",
            "default": False,
            "description": f"Let a resource exempt itself with the tag `{TAG_KEY_PREFIX}<policy name>` whose "
            "value is the reason (off by default: in-code exemptions bypass the platform team's review).",
        },
    }


# --- legacy exemptResources ---------------------------------------------------------------------


def exempt_names(config: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(string_items(config.get(CONFIG_KEY)))


def is_exempt(resource: Resource, config: Mapping[str, Any]) -> bool:
    """Listed in the legacy `exemptResources` (rules skip such resources before checking)."""
    names = exempt_names(config)
    return resource.name in names or resource.urn in names


def is_exempt_view(keys: Iterable[str], config: Mapping[str, Any]) -> bool:
    """Whether a view is exempt: any of the names it can be listed under (readers set them; a
    resource inside a CloudFormation template also has `<stack name>/<logical id>`)."""
    names = exempt_names(config)
    return any(key in names for key in keys)


# --- reviewed exemptions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Exemption:
    source: Source
    reason: str
    patterns: tuple[str, ...] = ()  # config: names/URNs/globs; tag: none (the tag names its resource)
    owner: str | None = None
    expires: str | None = None  # as written (YYYY-MM-DD)
    tag: str | None = None  # the tag key, for a tag exemption

    def expiry(self) -> date | None:
        """The last day the exemption applies; None when it never expires. Raises ValueError for
        anything but an existing YYYY-MM-DD date (the schema only checks the shape)."""
        if self.expires is None:
            return None
        if not _DATE.match(self.expires):
            raise ValueError(f"not a YYYY-MM-DD date: {self.expires!r}")
        return date.fromisoformat(self.expires)

    def active_on(self, today: date) -> bool:
        try:
            last = self.expiry()
        except ValueError:
            return False  # an end date nobody can read ends the exemption: fail closed
        return last is None or today <= last


@dataclass(frozen=True)
class Suppression:
    """A finding an active exemption suppressed: the violation and what exempted it."""

    urn: str
    message: str
    exemption: Exemption
    matched: str  # the pattern (or tag key) that matched


@dataclass(frozen=True)
class Decision:
    reported: tuple[Violation, ...]
    suppressed: tuple[Suppression, ...]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return _WHITESPACE.sub(" ", value).strip()[:_MAX_REASON_CHARS]


def config_exemptions(config: Mapping[str, Any]) -> tuple[Exemption, ...]:
    """The well-formed entries of `exemptions`; an entry without resources or reason is ignored."""
    entries = config.get(EXEMPTIONS_KEY)
    if entries is None or not is_list(entries):
        return ()
    found = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        patterns = tuple(p for p in string_items(entry.get("resources")) if p)
        reason = _text(entry.get("reason"))
        if not patterns or not reason:
            continue
        expires = entry.get("expires")
        found.append(
            Exemption(
                source="config",
                reason=reason,
                patterns=patterns,
                owner=_text(entry.get("owner")) or None,
                # A malformed date is kept as written: the exemption then never applies.
                expires=_text(expires) if expires is not None else None,
            )
        )
    return tuple(found)


def _matches(pattern: str, name: str, urn: str) -> str | None:
    if fnmatchcase(name, pattern) or fnmatchcase(urn, pattern):
        return pattern
    return None


def tag_key(policy: str) -> str:
    return f"{TAG_KEY_PREFIX}{policy}"


def _tag_value(resource: Resource | None, policy: str) -> tuple[bool, Any]:
    """(has the tag, its value) on the resource's `tags` map."""
    if resource is None:
        return False, None
    tags = resource.props.get("tags")
    if tags is UNKNOWN:
        return False, None
    tags = as_mapping(tags)
    key = tag_key(policy)
    return (key in tags), tags.get(key)


@dataclass(frozen=True)
class _Verdict:
    suppression: Exemption | None = None
    matched: str = ""
    note: str = ""  # appended to a reported violation: why an exemption did not apply


def _expired_note(exemption: Exemption) -> str:
    owner = f" (owner: {exemption.owner})" if exemption.owner else ""
    try:
        exemption.expiry()
    except ValueError:
        return (
            f"An exemption for this resource{owner} has an unreadable `expires` date, so it does not apply."
        )
    return (
        f"An exemption for this resource{owner} expired on {exemption.expires} and no longer applies: "
        "fix the resource, or review the exemption and extend `expires`."
    )


def _verdict(
    urn: str,
    resource: Resource | None,
    policy: str,
    exemptions: Sequence[Exemption],
    allow_tags: bool,
    today: date,
) -> _Verdict:
    name = resource.name if resource is not None else _urn_name(urn)
    expired: Exemption | None = None
    for exemption in exemptions:
        matched = next((m for p in exemption.patterns if (m := _matches(p, name, urn))), None)
        if matched is None:
            continue
        if exemption.active_on(today):
            return _Verdict(exemption, matched)
        expired = expired or exemption
    has_tag, value = _tag_value(resource, policy)
    if has_tag:
        key = tag_key(policy)
        if not allow_tags:
            note = f"The tag `{key}` does not exempt it: tag exemptions are not enabled for this policy."
            return _Verdict(note=note if expired is None else f"{_expired_note(expired)} {note}")
        if value is UNKNOWN:
            return _Verdict(Exemption("tag", "tag value not known until the update", tag=key), key)
        reason = _text(value)
        if reason:
            return _Verdict(Exemption("tag", reason, tag=key), key)
        note = f"The tag `{key}` has no reason as its value, so it does not exempt the resource."
        return _Verdict(note=note if expired is None else f"{_expired_note(expired)} {note}")
    return _Verdict(note=_expired_note(expired)) if expired is not None else _Verdict()


def _urn_name(urn: str) -> str:
    parts = urn.split("::")
    return "::".join(parts[3:]) if len(parts) >= 4 else urn


def apply_exemptions(
    violations: Iterable[Violation],
    subject: Resource | None,
    config: Mapping[str, Any],
    *,
    policy: str,
    today: date,
    resources: Mapping[str, Resource] | None = None,
) -> Decision:
    """Split a policy's violations into those to report and those an active exemption suppresses.

    A violation is about `violation.urn` when set (stack policies name the table), else about
    `subject`; `resources` (by URN) lets tag exemptions and names be read for the former.
    """
    violations = list(violations)
    if not violations:
        return Decision((), ())
    exemptions = config_exemptions(config)
    allow_tags = config.get(TAG_EXEMPTIONS_KEY) is True
    reported: list[Violation] = []
    suppressed: list[Suppression] = []
    for violation in violations:
        urn = violation.urn or (subject.urn if subject is not None else "")
        if not urn:
            reported.append(violation)
            continue
        resource = subject if subject is not None and subject.urn == urn else (resources or {}).get(urn)
        verdict = _verdict(urn, resource, policy, exemptions, allow_tags, today)
        if verdict.suppression is not None:
            suppressed.append(Suppression(urn, violation.message, verdict.suppression, verdict.matched))
        elif verdict.note:
            reported.append(Violation(f"{violation.message} {verdict.note}", violation.urn))
        else:
            reported.append(violation)
    return Decision(tuple(reported), tuple(suppressed))


def is_suppressed(subject: Resource, config: Mapping[str, Any], *, policy: str, today: date) -> bool:
    """An active exemption covers this resource for this policy (remediation leaves it alone)."""
    verdict = _verdict(
        subject.urn, subject, policy, config_exemptions(config), config.get(TAG_EXEMPTIONS_KEY) is True, today
    )
    return verdict.suppression is not None


# --- the channel to the engine and policy-preview -------------------------------------------------


def encode_suppressions(suppressions: Sequence[Suppression]) -> str:
    """The not-applicable reason that carries suppressed findings: a fixed prefix, then JSON."""
    entries = [
        {
            "urn": s.urn,
            "message": s.message,
            "source": s.exemption.source,
            "matched": s.matched,
            "reason": s.exemption.reason,
            "owner": s.exemption.owner,
            "expires": s.exemption.expires,
        }
        for s in suppressions
    ]
    return SUPPRESSED_PREFIX + json.dumps(entries, ensure_ascii=False, sort_keys=True)


def log_line(policy: str, suppression: Suppression) -> str:
    """One line for the pack's log, which the Pulumi CLI shows among its diagnostics."""
    exemption = suppression.exemption
    details = [f"owner: {exemption.owner}"] if exemption.owner else []
    if exemption.expires:
        details.append(f"expires: {exemption.expires}")
    if exemption.tag:
        details.append(f"tag: {exemption.tag}")
    extra = f" ({', '.join(details)})" if details else ""
    return (
        f"policy {policy}: finding on '{_urn_name(suppression.urn)}' suppressed by exemption{extra}: "
        f"{exemption.reason}"
    )
