"""Who a resource-based statement lets in: everyone, or principals the pack can name.

`Principal: "*"` (also `{"AWS": "*"}`, an AWS principal ARN with a wildcard account, or `NotPrincipal`
with Allow) lets in every AWS account and anonymous callers, unless a Condition limits it to an
organisation or account. A Condition limits it when one of its entries:
- has a limiting key (by default aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount,
  aws:PrincipalArn, aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths, aws:SourceArn; the
  keys are compared case-insensitively, as IAM does),
- under an operator that requires a match: StringEquals, StringEqualsIgnoreCase, StringLike,
  ArnEquals, ArnLike, or their `ForAnyValue:` forms. Negated operators and `ForAllValues:` (true
  when the key is absent) do not limit, nor `...IfExists` (true when absent, e.g. anonymous calls);
- with values that pin an organisation or account: no wildcard in an account or org ID, an org
  path that starts with a concrete `o-...` ID, an ARN whose account field has no wildcard.
A value not known yet counts as limiting (unknowns never violate).
Source: IAM User Guide, "AWS global condition context keys" and "IAM JSON policy elements:
Condition operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .views.permissions import ConditionEntry, DocumentView, PermissionView

DEFAULT_LIMITING_KEYS: Final = (
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceArn",
)
_LIMITING_OPERATORS: Final = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)
_WILDCARDS = ("*", "?")


def _has_wildcard(text: str) -> bool:
    return any(w in text for w in _WILDCARDS)


def _value_pins(key: str, value: str) -> bool:
    value = value.strip()
    if not value:
        return False
    if key.endswith("orgpaths"):
        org = value.split("/", 1)[0]
        return org.startswith("o-") and not _has_wildcard(org)
    if key.endswith("arn"):
        fields = value.split(":", 5)
        return len(fields) == 6 and not any(_has_wildcard(f) for f in fields[:5])
    return not _has_wildcard(value)


def _limits(entry: ConditionEntry, keys: frozenset[str]) -> bool:
    operator = entry.operator.strip().lower()
    if operator.startswith("foranyvalue:"):
        operator = operator.removeprefix("foranyvalue:")
    key = entry.key.strip().lower()
    if operator not in _LIMITING_OPERATORS or key not in keys:
        return False
    if entry.unknown:
        return True
    return bool(entry.values) and all(_value_pins(key, value) for value in entry.values)


def is_open_to_everyone(view: PermissionView, limiting_keys: Iterable[str]) -> bool:
    """Whether an Allow statement of a resource-based document lets in everyone, unlimited."""
    if view.principals is None or view.conditions_unknown:
        return False
    everyone = view.not_principal or any(p.kind == "everyone" for p in view.principals)
    if not everyone:
        return False
    keys = frozenset(k.strip().lower() for k in limiting_keys)
    return not any(_limits(entry, keys) for entry in view.conditions)


def grantee_note(view: PermissionView, document: DocumentView) -> str:
    """How a message names the accounts a resource-based statement grants, e.g.
    " (grants account 111122223333, not the table's account 123456789012)"; "" when there is none."""
    if view.principals is None:
        return ""
    accounts = sorted({p.account for p in view.principals if p.account is not None})
    if not accounts:
        return ""
    owner = document.resource_account
    others = [a for a in accounts if a != owner]
    if owner is not None and not others:
        return ""  # only principals of the table's own account
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    if owner is None:
        return f" (grants account {shown})"
    return f" (grants account {shown}, not the table's account {owner})"
