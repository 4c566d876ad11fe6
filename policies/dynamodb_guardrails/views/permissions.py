"""The permission view: what one resource grants, to whom, and where each grant came from.

Every form that can grant DynamoDB access - an identity policy of the classic or aws-native
provider, a role's inline policies, a managed-policy attachment, an IAM Identity Center permission
set, a DynamoDB resource-based policy - is read into one `Permissions`:

- `documents`: the policy documents it carries, each with its statements as `PermissionView`s
  (effect, actions / not-actions, resources / not-resources, principals for resource-based
  documents, the Condition entries) and a label saying where it is ("Role 'app' policies[1]");
- `attachments`: the managed-policy ARNs it attaches;
- `holder`: what tells whether it is meant to be read-only (names, tags), judged by the rule.

Views hold plain data only. Values unknown during a preview stay visible as `unknown` flags, never
as guesses. Parsing never raises: junk becomes an `invalid` document or an `invalid` principal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..iam_documents import DocumentStatus, Statement, parse_document
from ..model import UNKNOWN
from ..values import as_list, as_mapping

DocumentKind = Literal["identity", "resource"]
PrincipalKind = Literal["everyone", "aws", "service", "federated", "canonical-user", "unknown", "invalid"]

_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
# arn:<partition>:iam::<account>:... and arn:<partition>:sts::<account>:... (roles, users, root,
# assumed-role sessions); the account is the fifth field.
_PRINCIPAL_ARN = re.compile(r"^arn:[a-z-]+:(?:iam|sts)::(?P<account>[^:]*):.+$")
# arn:<partition>:dynamodb:<region>:<account>:table/... - the account that owns a table or stream.
_DYNAMODB_ARN = re.compile(r"^arn:[a-z-]+:dynamodb:[^:]*:(?P<account>[0-9]{12}):")
_PRINCIPAL_KINDS: Mapping[str, PrincipalKind] = {
    "AWS": "aws",
    "Service": "service",
    "Federated": "federated",
    "CanonicalUser": "canonical-user",
}


@dataclass(frozen=True)
class PrincipalView:
    """One principal a resource-based statement names. `account`: the 12-digit account of an AWS
    principal when the principal names one (an account ID, or an IAM/STS ARN)."""

    kind: PrincipalKind
    account: str | None = None


@dataclass(frozen=True)
class ConditionEntry:
    """One `operator: {key: values}` entry of a Condition block; keys as written (IAM compares
    them case-insensitively), only string values kept. `unknown`: some value is not known yet."""

    operator: str
    key: str
    values: tuple[str, ...]
    unknown: bool = False


@dataclass(frozen=True)
class PermissionView:
    """One statement as a grant: the statement itself (effect, actions / not-actions, resources /
    not-resources), to whom (resource-based documents) and under which conditions."""

    origin: str  # where it came from, for messages: "<document label>, statement 'Sid' (#0)"
    statement: Statement
    # None for identity-based documents: they grant whoever holds them.
    principals: tuple[PrincipalView, ...] | None = None
    not_principal: bool = False
    conditions: tuple[ConditionEntry, ...] = ()
    conditions_unknown: bool = False

    @property
    def is_allow(self) -> bool:
        return self.statement.is_allow


@dataclass(frozen=True)
class DocumentView:
    """One policy document where it came from. `resource_account`: for a resource-based document,
    the account of the table or stream it is attached to, when known (from its ARN)."""

    label: str
    kind: DocumentKind
    status: DocumentStatus
    statements: tuple[PermissionView, ...] = ()
    resource_account: str | None = None


@dataclass(frozen=True)
class AttachmentView:
    """Managed policies a resource attaches (known ARNs only; unknown ones are left out)."""

    label: str
    policy_arns: tuple[str, ...]


@dataclass(frozen=True)
class HolderView:
    """What may mark the grants as meant to be read-only: names (what, value) such as
    ("name", ...), ("logical name", ...), ("role", ...), and tag sets, first match wins."""

    names: tuple[tuple[str, str], ...] = ()
    tag_sets: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Permissions:
    """Everything one resource grants, for iam-least-privilege."""

    label: str  # the resource, for messages: "RolePolicy 'app-policy'"
    documents: tuple[DocumentView, ...] = ()
    attachments: tuple[AttachmentView, ...] = ()
    holder: HolderView = field(default_factory=HolderView)


# --- building views from wire values (used by every reader) ---------------------------------------


def identity_document(label: str, value: Any) -> DocumentView:
    """An identity-based document (JSON string or object) as a view."""
    return _document(label, "identity", value, None)


def resource_document(label: str, value: Any, resource_arn: Any = None) -> DocumentView:
    """A resource-based document, with the account of the resource it guards when its ARN is known."""
    return _document(label, "resource", value, account_of_dynamodb_arn(resource_arn))


def _document(label: str, kind: DocumentKind, value: Any, account: str | None) -> DocumentView:
    parsed = parse_document(value)
    views = tuple(_permission(label, kind, statement) for statement in parsed.statements)
    return DocumentView(label, kind, parsed.status, views, account)


def _permission(label: str, kind: DocumentKind, statement: Statement) -> PermissionView:
    conditions, conditions_unknown = condition_entries(statement.condition)
    principals: tuple[PrincipalView, ...] | None = None
    not_principal = False
    if kind == "resource":
        if statement.not_principal is not None:
            not_principal = True
            principals = principal_views(statement.not_principal)
        else:
            principals = principal_views(statement.principal)
    return PermissionView(
        origin=f"{label}, {statement.label}",
        statement=statement,
        principals=principals,
        not_principal=not_principal,
        conditions=conditions,
        conditions_unknown=conditions_unknown,
    )


def principal_views(value: Any) -> tuple[PrincipalView, ...]:
    """`"*"`, `{"AWS": ...}`, `{"Service": ...}`, ... as principals; junk is `invalid`."""
    if value is None:
        return ()
    if value is UNKNOWN:
        return (PrincipalView("unknown"),)
    if isinstance(value, str):
        return (PrincipalView("everyone"),) if value.strip() == "*" else (PrincipalView("invalid"),)
    if not isinstance(value, Mapping):
        return (PrincipalView("invalid"),)
    found: list[PrincipalView] = []
    for key, items in value.items():
        kind = _PRINCIPAL_KINDS.get(key)  # None for junk keys, strings or not
        for item in as_list(items):  # an unknown list is one unknown item
            if item is UNKNOWN:
                found.append(PrincipalView("unknown"))
            elif not isinstance(item, str) or kind is None:
                found.append(PrincipalView("invalid"))
            elif item.strip() == "*":
                found.append(PrincipalView("everyone"))
            elif kind == "aws":
                found.append(_aws_principal(item.strip()))
            else:
                found.append(PrincipalView(kind))
    return tuple(found)


def _aws_principal(text: str) -> PrincipalView:
    if _ACCOUNT_ID.match(text):
        return PrincipalView("aws", text)
    match = _PRINCIPAL_ARN.match(text)
    if match is None:
        # A unique ID (AROA..., AIDA...) left behind by a deleted principal: no account to read.
        return PrincipalView("aws")
    account = match.group("account")
    if "*" in account or "?" in account:
        return PrincipalView("everyone")  # every account (IAM rejects it; fail closed)
    return PrincipalView("aws", account if _ACCOUNT_ID.match(account) else None)


def condition_entries(value: Any) -> tuple[tuple[ConditionEntry, ...], bool]:
    """The entries of a Condition block, and whether the block itself is not known yet."""
    if value is UNKNOWN:
        return (), True
    entries: list[ConditionEntry] = []
    for operator, body in as_mapping(value).items():
        if not isinstance(operator, str):
            continue
        if body is UNKNOWN:
            return tuple(entries), True
        for key, raw in as_mapping(body).items():
            if not isinstance(key, str):
                continue
            items = as_list(raw)  # an unknown value is one unknown item
            strings = tuple(item for item in items if isinstance(item, str))
            entries.append(ConditionEntry(operator, key, strings, any(item is UNKNOWN for item in items)))
    return tuple(entries), False


def account_of_dynamodb_arn(value: Any) -> str | None:
    """The owning account of a DynamoDB table/stream ARN; None when unknown or not an ARN."""
    if not isinstance(value, str):
        return None
    match = _DYNAMODB_ARN.match(value)
    return match.group("account") if match else None


def policy_arns(value: Any) -> tuple[str, ...]:
    """The known ARN strings of a single ARN or a list of them."""
    if value is UNKNOWN:
        return ()
    return tuple(item for item in as_list(value) if isinstance(item, str))


def holder_names(*candidates: tuple[str, Any]) -> tuple[tuple[str, str], ...]:
    """(what, value) pairs whose value is a known string; a list value gives one pair per string."""
    names: list[tuple[str, str]] = []
    for what, value in candidates:
        names.extend((what, item) for item in as_list(value) if isinstance(item, str))
    return tuple(names)


def tag_list(value: Any) -> Mapping[str, Any]:
    """aws-native tags (`[{key, value}]`, CloudFormation's form) as a key -> value mapping."""
    if value is UNKNOWN:
        return {}
    tags: dict[str, Any] = {}
    for entry in as_list(value):
        item = as_mapping(entry)
        key = item.get("key")
        if isinstance(key, str):
            tags[key] = item.get("value")
    return tags


def tag_maps(*values: Any) -> tuple[Mapping[str, Any], ...]:
    """Classic tags (`tagsAll`, `tags`: maps) as tag sets; anything else is left out."""
    return tuple(value for value in values if isinstance(value, Mapping))
