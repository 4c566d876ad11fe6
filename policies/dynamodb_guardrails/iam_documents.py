"""IAM policy documents as plain data: parsing, normalising, and IAM's `*`/`?` wildcard matching.

IAM accepts a document as a JSON string or an object; `Statement`, `Action`, `Resource` (and their
`Not` forms) may each be a single value or a list. Action names are case-insensitive. In an
action or a resource, `*` matches any run of characters and `?` exactly one; nothing else is
special (unlike fnmatch, `[` and `]` are literal), so patterns are translated to regexes here.
Source: IAM User Guide, "IAM JSON policy elements: Action"
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from . import dynamodb_actions
from .arn_patterns import reaches_every_table
from .dynamodb_actions import DynamoDBAction
from .model import UNKNOWN
from .values import as_list, parse_json_document

DocumentStatus = Literal["ok", "unknown", "invalid", "absent"]
# IAM: a Sid is alphanumeric; anything else is not echoed in messages.
_SAFE_SID = re.compile(r"^[A-Za-z0-9]{1,64}$")
# service:Action with IAM's characters and wildcards; anything else is not echoed.
_SAFE_ACTION = re.compile(r"^(\*|[A-Za-z0-9\-*?]{1,64}:[A-Za-z0-9*?]{1,128})$")


@dataclass(frozen=True)
class Statement:
    """One statement, normalised. Unknown (preview) list elements are dropped and flagged."""

    index: int
    sid: str | None
    effect: str | None
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...]
    not_resources: tuple[str, ...] | None
    actions_unknown: bool = False
    resources_unknown: bool = False
    # Who a resource-based policy grants (Principal / NotPrincipal) and its Condition block, as
    # given: views/permissions.py interprets them. Not part of the hash (they are dicts).
    principal: Any = field(default=None, hash=False)
    not_principal: Any = field(default=None, hash=False)
    condition: Any = field(default=None, hash=False)

    @property
    def is_allow(self) -> bool:
        return self.effect is not None and self.effect.lower() == "allow"

    @property
    def label(self) -> str:
        """How a message names the statement: its Sid when it is a plain Sid, else its index."""
        if self.sid is not None and _SAFE_SID.match(self.sid):
            return f"statement '{self.sid}' (#{self.index})"
        return f"statement #{self.index}"


@dataclass(frozen=True)
class Document:
    status: DocumentStatus
    statements: tuple[Statement, ...] = ()


def _strings(value: Any) -> tuple[tuple[str, ...], bool]:
    """The string elements of a single value or list, and whether any element is unknown."""
    if value is UNKNOWN:
        return (), True
    items = as_list(value)
    return tuple(v for v in items if isinstance(v, str)), any(v is UNKNOWN for v in items)


def _statement(index: int, raw: Mapping[str, Any]) -> Statement:
    effect = raw.get("Effect")
    sid = raw.get("Sid")
    actions, actions_unknown = _strings(raw.get("Action"))
    resources, resources_unknown = _strings(raw.get("Resource"))
    not_actions: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    if "NotAction" in raw and raw["NotAction"] is not None:
        not_actions, unknown = _strings(raw["NotAction"])
        actions_unknown = actions_unknown or unknown
    if "NotResource" in raw and raw["NotResource"] is not None:
        not_resources, unknown = _strings(raw["NotResource"])
        resources_unknown = resources_unknown or unknown
    return Statement(
        index=index,
        sid=sid if isinstance(sid, str) else None,
        effect=effect if isinstance(effect, str) else None,
        actions=actions,
        not_actions=not_actions,
        resources=resources,
        not_resources=not_resources,
        actions_unknown=actions_unknown,
        resources_unknown=resources_unknown,
        principal=raw.get("Principal"),
        not_principal=raw.get("NotPrincipal"),
        condition=raw.get("Condition"),
    )


def parse_document(value: Any) -> Document:
    """A policy document given as a JSON string or an object.

    `unknown`: not known yet (preview) - never judged. `invalid`: not a JSON object - IAM
    would reject it. `absent`: no document.
    """
    if value is None:
        return Document("absent")
    if value is UNKNOWN:
        return Document("unknown")
    parsed = parse_json_document(value)
    if parsed is UNKNOWN:
        return Document("unknown")
    if not isinstance(parsed, Mapping):
        return Document("invalid")
    raw_statements = parsed.get("Statement")
    if raw_statements is UNKNOWN:
        return Document("unknown")
    statements = tuple(
        _statement(index, raw)
        for index, raw in enumerate(as_list(raw_statements))
        if isinstance(raw, Mapping)
    )
    return Document("ok", statements)


@lru_cache(maxsize=4096)
def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def wildcard_match(pattern: str, value: str) -> bool:
    """IAM matching: `*` any run, `?` one character, case-insensitive, whole string."""
    return _wildcard_regex(pattern).fullmatch(value) is not None


def has_wildcard(value: str) -> bool:
    return "*" in value or "?" in value


def split_action(action: str) -> tuple[str, str] | None:
    """('service', 'Action') for 'service:Action'; ('*', '*') for '*'; None for malformed text."""
    if action == "*":
        return "*", "*"
    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        return None
    return service, name


@lru_cache(maxsize=4096)
def expand_dynamodb(action: str) -> tuple[DynamoDBAction, ...]:
    """The catalogued DynamoDB actions an action pattern grants (none for other services)."""
    parts = split_action(action)
    if parts is None or not wildcard_match(parts[0], dynamodb_actions.SERVICE_PREFIX):
        return ()
    if not has_wildcard(parts[1]):
        found = dynamodb_actions.BY_NAME.get(parts[1].lower())
        return (found,) if found is not None else ()
    return tuple(a for a in dynamodb_actions.ACTIONS if wildcard_match(parts[1], a.name))


def granted_dynamodb_actions(statement: Statement) -> tuple[DynamoDBAction, ...]:
    """Catalogued DynamoDB actions the statement's known Action / NotAction grants, in catalogue order."""
    if statement.not_actions is not None:
        excluded = {a.name for pattern in statement.not_actions for a in expand_dynamodb(pattern)}
        return tuple(a for a in dynamodb_actions.ACTIONS if a.name not in excluded)
    granted = {a.name for pattern in statement.actions for a in expand_dynamodb(pattern)}
    return tuple(a for a in dynamodb_actions.ACTIONS if a.name in granted)


def reaches_every_resource(resource: str) -> bool:
    """`*`, or an ARN pattern that matches every table, in any spelling (arn_patterns.py)."""
    return reaches_every_table(resource)  # `*` included: it matches every ARN


def is_plain_action(action: str) -> bool:
    """Text shaped like an IAM action (`service:Action`, wildcards allowed): safe to show in a message."""
    return _SAFE_ACTION.match(action) is not None


def safe_action_text(action: str) -> str:
    return f"'{action}'" if is_plain_action(action) else "(an action name that is not valid IAM)"


def names(actions: Iterable[DynamoDBAction], limit: int = 6) -> str:
    """'GetItem, Query and 3 more' - a bounded list for messages."""
    listed = [a.name for a in actions]
    if len(listed) <= limit:
        return ", ".join(listed)
    return ", ".join(listed[:limit]) + f" and {len(listed) - limit} more"
