"""iam-least-privilege: IAM documents grant DynamoDB only what a workload needs.

## What it checks
Every document that can grant permissions - `RolePolicy`, `Policy`, `UserPolicy`, `GroupPolicy`
(`policy`), a `Role`'s `inlinePolicies[].policy` - and every attachment of an AWS-managed policy
known to be broad (`managed_policies.py`; `Role.managedPolicyArns` and the attachment
resources). In Allow statements it flags:

- wildcard actions (for DynamoDB, expanded against the action catalogue of {{dynamodb_actions}}
  actions to say what they grant), unless listed in `allowedActionPatterns`;
- `NotAction`, which grants everything but the listed actions;
- `Resource: "*"` (or `NotResource`, or an ARN for every table) on actions that can be scoped to
  a table;
- admin actions (CreateTable, DeleteTable, UpdateTable, ...) not in `allowedAdminActions`;
- any write or admin action in a document marked read-only.

Deny statements never violate. A document that is not JSON is a finding (fail closed): the pack
cannot show it is least privilege, and IAM would reject it at deployment anyway.

Read-only intent: the resource's name, logical name, or (for RolePolicy, UserPolicy, GroupPolicy)
the name of the role/user/group it belongs to matches `readOnlyNamePattern`; or the resource
carries `readOnlyTag`, which then decides alone. The default pattern matches a "read" or
"read-only"/"readonly" word between `-`, `_`, `.`, `/` or the ends of the name
(dynamodb-events-read-role-dev, events_readonly), but not read-write/read_write/readwrite, reader
or thread.

## Why
A compromised or buggy workload can do whatever its role allows. `dynamodb:*` on `*` lets a
read path delete every table in the account; a "read" role that can write defeats the point of
splitting roles.

## Example
```python
import json

import pulumi_aws as aws

aws.iam.RolePolicy(
    "events-read-policy",
    role="events-read-role",
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}],
        }
    ),
)
```

## Use instead
```python
import json

import pulumi_aws as aws

table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/events-dev"
aws.iam.RolePolicy(
    "events-read-policy",
    role="events-read-role",
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"],
                    "Resource": [table_arn, f"{table_arn}/index/*"],
                }
            ],
        }
    ),
)
```
In a stack, build the document from the table's ARN: `table.arn.apply(lambda arn: json.dumps(...))`.

## During preview
A document built from another resource's output (`table.arn.apply(...)`) is unknown in a first
preview and is judged on the update. Unknown actions or resources inside a known document are
never findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from .. import dynamodb_actions
from ..dynamodb_actions import ADMIN, READ, DynamoDBAction
from ..exemptions import exemption_schema, is_exempt
from ..iam_documents import (
    Statement,
    expand_dynamodb,
    granted_dynamodb_actions,
    has_wildcard,
    is_plain_action,
    names,
    parse_document,
    reaches_every_resource,
    safe_action_text,
    split_action,
    wildcard_match,
)
from ..managed_policies import broad_policy
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..resource_types import (
    IAM_GROUP_POLICY,
    IAM_GROUP_POLICY_ATTACHMENT,
    IAM_POLICY,
    IAM_POLICY_ATTACHMENT,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_USER_POLICY,
    IAM_USER_POLICY_ATTACHMENT,
)
from ..rule import ResourceRule
from ..snippets import python_snippet
from ..values import as_list, as_mapping, string_items

# A "read" or "read-only" word, not followed by "write"; and no "write" word anywhere in the name
# (dynamodb-events-write-policy-read is a write policy in an environment called "read").
DEFAULT_READ_ONLY_PATTERN = (
    r"(?i)^(?!.*(^|[-_./])(write|rw)([-_./]|$))"
    r".*?(^|[-_./])read([-_]?only)?(?![-_./]?(write|wr\b|and\b))([-_./]|$)"
)
DEFAULT_READ_ONLY_TAG = {"key": "AccessLevel", "value": "read-only"}

ProblemKind = Literal[
    "invalid-document",
    "wildcard-action",
    "not-action",
    "every-resource",
    "admin-action",
    "write-in-read-only",
    "broad-managed-policy",
]

# Which property holds the document, and which name prop says whose it is.
_DOCUMENT_TYPES = {
    IAM_ROLE_POLICY: "role",
    IAM_POLICY: None,
    IAM_USER_POLICY: "user",
    IAM_GROUP_POLICY: "group",
}
_SHORT_TYPE = {
    IAM_ROLE: "Role",
    IAM_ROLE_POLICY: "RolePolicy",
    IAM_POLICY: "Policy",
    IAM_USER_POLICY: "UserPolicy",
    IAM_GROUP_POLICY: "GroupPolicy",
    IAM_ROLE_POLICY_ATTACHMENT: "RolePolicyAttachment",
    IAM_POLICY_ATTACHMENT: "PolicyAttachment",
    IAM_USER_POLICY_ATTACHMENT: "UserPolicyAttachment",
    IAM_GROUP_POLICY_ATTACHMENT: "GroupPolicyAttachment",
    IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: "RolePolicyAttachmentsExclusive",
}

META = PolicyMeta(
    name="iam-least-privilege",
    description=(
        "IAM policies must grant DynamoDB least privilege: no wildcard actions, no NotAction, no "
        "Resource '*' on table actions, no admin actions unless allowed, nothing but reads in read-only "
        "roles, no broad AWS-managed policies."
    ),
    severity="high",
    enforcement_level="mandatory",
    remediation_steps=(
        "List the exact actions the workload calls (e.g. dynamodb:GetItem, dynamodb:Query) instead of "
        "wildcards or NotAction; scope Resource to the table ARN (and '<table ARN>/index/*' for indexes); "
        "keep admin actions (CreateTable, DeleteTable, UpdateTable, ...) out of application roles or allow "
        "them in `allowedAdminActions`; give read-only roles read actions only; replace broad AWS-managed "
        "policies with an inline policy scoped to the table."
    ),
    url=dynamodb_actions.SOURCE_URL,
    config_schema={
        "allowedAdminActions": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": (
                "DynamoDB admin actions allowed in Allow statements, e.g. 'dynamodb:UpdateTable' "
                "('*' and '?' wildcards accepted). Still flagged in read-only documents."
            ),
        },
        "allowedActionPatterns": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": (
                "Wildcard action patterns accepted as written (case-insensitive), e.g. 'dynamodb:Describe*'. "
                "What they expand to is still checked."
            ),
        },
        "readOnlyNamePattern": {
            "type": "string",
            "default": DEFAULT_READ_ONLY_PATTERN,
            "description": (
                "Python regex (searched) on the role/policy name, logical name and owning role/user/group "
                "name that marks a document as read-only. The default matches a 'read' or 'read-only' "
                "word, e.g. dynamodb-events-read-role-dev, but not read-write nor a name that also has a "
                "'write' word. A resource tagged with readOnlyTag's key decides by that tag instead. An "
                "invalid regex falls back to the default."
            ),
        },
        "readOnlyTag": {
            "type": "object",
            "properties": {"key": {"type": "string"}, "value": {"type": "string"}},
            "default": DEFAULT_READ_ONLY_TAG,
            "description": (
                "A tag (key and value; value compared case-insensitively) that marks a role/policy "
                "read-only. A missing key or value takes the default's."
            ),
        },
        "allowedManagedPolicies": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": (
                "Broad AWS-managed policies (name or ARN) the organisation accepts, "
                "e.g. 'AmazonDynamoDBReadOnlyAccess'."
            ),
        },
        **exemption_schema("IAM resources this policy skips"),
    },
    resource_types=frozenset(_SHORT_TYPE),
    tags=("security", "iam", "dynamodb"),
)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str


@dataclass(frozen=True)
class _Context:
    """What a document's findings are phrased against, and the read-only verdict."""

    label: str
    read_only_reason: str | None


@lru_cache(maxsize=64)
def _compile_read_only(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return re.compile(DEFAULT_READ_ONLY_PATTERN)


def _read_only_tag(config: Mapping[str, Any]) -> tuple[str, str]:
    """readOnlyTag's key and value. A part that is missing or not text takes the default's, as
    resolve_config does one level up: {"key": "Access"} alone means Access=read-only, not "no tag"."""
    tag = as_mapping(config.get("readOnlyTag"))
    key, value = tag.get("key"), tag.get("value")
    return (
        key if isinstance(key, str) else DEFAULT_READ_ONLY_TAG["key"],
        value if isinstance(value, str) else DEFAULT_READ_ONLY_TAG["value"],
    )


def _read_only_reason(resource: Resource, owner_prop: str | None, config: Mapping[str, Any]) -> str | None:
    props = resource.props
    key, wanted = _read_only_tag(config)
    for tags_prop in ("tagsAll", "tags"):
        value = as_mapping(props.get(tags_prop)).get(key)
        if isinstance(value, str) and value.strip():
            # An explicit access-level tag says what the author meant; it wins over any name.
            if value.strip().lower() == wanted.strip().lower():
                return f"its tag {key}={wanted} marks it read-only"
            return None
    pattern = config.get("readOnlyNamePattern")
    regex = _compile_read_only(pattern if isinstance(pattern, str) else DEFAULT_READ_ONLY_PATTERN)
    candidates = [("name", props.get("name")), ("logical name", resource.name)]
    if owner_prop is not None:
        candidates.append((owner_prop, props.get(owner_prop)))
    for what, value in candidates:
        if isinstance(value, str) and regex.search(value[:512]):
            return f"its {what} marks it read-only"
    return None


def _allowed_admin(action: DynamoDBAction, config: Mapping[str, Any]) -> bool:
    for entry in string_items(config.get("allowedAdminActions")):
        pattern = entry if ":" in entry else f"{dynamodb_actions.SERVICE_PREFIX}:{entry}"
        if wildcard_match(pattern, action.qualified):
            return True
    return False


# Shown first when a message lists what a statement grants: the actions that hurt most.
_NOTABLE = (
    "DeleteTable",
    "UpdateTable",
    "CreateTable",
    "PutResourcePolicy",
    "RestoreTableFromBackup",
    "PutItem",
)
_ORDER = {"admin": 1, "write": 2, "read": 3}


def _notable_first(actions: Iterable[DynamoDBAction]) -> list[DynamoDBAction]:
    def rank(action: DynamoDBAction) -> tuple[int, int]:
        notable = _NOTABLE.index(action.name) if action.name in _NOTABLE else len(_NOTABLE)
        return notable, _ORDER[action.category]

    return sorted(actions, key=rank)


def _statement_problems(statement: Statement, ctx: _Context, config: Mapping[str, Any]) -> Iterator[Problem]:
    where = f"{ctx.label}, {statement.label}"
    accepted = {p.lower() for p in string_items(config.get("allowedActionPatterns"))}
    granted = granted_dynamodb_actions(statement)

    if statement.not_actions is not None:
        yield Problem(
            "not-action",
            f"{where}: Allow with NotAction grants every action of every service except the listed ones "
            f"(for DynamoDB: {names(_notable_first(granted))}). Use Action with the exact actions needed.",
        )
    for action in statement.actions:
        parts = split_action(action)
        if parts is None or not has_wildcard(action) or action.lower() in accepted:
            continue
        expanded = expand_dynamodb(action)
        if expanded:
            also = " and every matching action of other services" if has_wildcard(parts[0]) else ""
            grants = f"grants {len(expanded)} DynamoDB actions ({names(_notable_first(expanded))}){also}"
        elif parts[0] == "*":
            grants = "grants every matching action of every service"
        elif is_plain_action(action):
            grants = f"grants every matching action of '{parts[0]}'"
        else:
            grants = "grants every matching action of its service"  # free text is never echoed
        yield Problem(
            "wildcard-action",
            f"{where}: Action {safe_action_text(action)} is a wildcard that {grants}. "
            "List the exact actions needed instead.",
        )

    scoped = [a for a in granted if a.resource_level]
    broad = statement.not_resources is not None or any(reaches_every_resource(r) for r in statement.resources)
    if scoped and broad:
        shown = "NotResource" if statement.not_resources is not None else "Resource '*' (every table)"
        yield Problem(
            "every-resource",
            f"{where}: {shown} on actions that can be scoped to a table ({names(scoped)}). Set Resource "
            "to the table ARN (and '<table ARN>/index/*' for its indexes).",
        )

    if ctx.read_only_reason is not None:
        writes = _notable_first(a for a in granted if a.category != READ)
        if writes:
            yield Problem(
                "write-in-read-only",
                f"{where}: {ctx.read_only_reason}, but it allows write/admin actions ({names(writes)}). "
                "Grant read actions only, or rename/retag it if it is not meant to be read-only.",
            )
    admin = _notable_first(a for a in granted if a.category == ADMIN and not _allowed_admin(a, config))
    if admin:
        yield Problem(
            "admin-action",
            f"{where}: allows admin actions ({names(admin)}). Keep table administration out of "
            "application roles, or allow the actions in the policy's `allowedAdminActions` config.",
        )


def _document_problems(document: Any, ctx: _Context, config: Mapping[str, Any]) -> Iterator[Problem]:
    parsed = parse_document(document)
    if parsed.status == "invalid":
        yield Problem(
            "invalid-document",
            f"{ctx.label}: the policy document is not a JSON object, so it cannot be checked (and IAM "
            f"would reject it). Build it with {python_snippet('json.dumps(...)')} or "
            f"{python_snippet('aws.iam.get_policy_document(...)')}.",
        )
        return
    for statement in parsed.statements:
        if statement.is_allow:
            yield from _statement_problems(statement, ctx, config)


def _managed_problems(arns: Any, ctx: _Context, config: Mapping[str, Any]) -> Iterator[Problem]:
    allowed = set(string_items(config.get("allowedManagedPolicies")))
    for arn in as_list(arns):
        broad = broad_policy(arn)
        if broad is None or broad.name in allowed or arn in allowed:
            continue
        yield Problem(
            "broad-managed-policy",
            f"{ctx.label}: attaches the AWS-managed policy {broad.name}, which {broad.why}. Attach a policy "
            "scoped to the table instead, or allow it in `allowedManagedPolicies`.",
        )


def problems(resource: Resource, config: Mapping[str, Any]) -> list[Problem]:
    """Every least-privilege problem of one IAM resource (structured, for tests and messages)."""
    if resource.type not in _SHORT_TYPE or is_exempt(resource, config):
        return []
    label = f"{_SHORT_TYPE[resource.type]} '{resource.name}'"
    props = resource.props
    found: list[Problem] = []
    if resource.type in _DOCUMENT_TYPES:
        ctx = _Context(label, _read_only_reason(resource, _DOCUMENT_TYPES[resource.type], config))
        found.extend(_document_problems(props.get("policy"), ctx, config))
    elif resource.type == IAM_ROLE:
        ctx = _Context(label, _read_only_reason(resource, None, config))
        inline = props.get("inlinePolicies")
        for index, entry in enumerate(as_list(inline) if inline is not UNKNOWN else []):
            document = as_mapping(entry).get("policy")
            entry_ctx = _Context(f"{label} inlinePolicies[{index}]", ctx.read_only_reason)
            found.extend(_document_problems(document, entry_ctx, config))
        found.extend(_managed_problems(props.get("managedPolicyArns"), ctx, config))
    else:
        ctx = _Context(label, None)
        arn_prop = "policyArns" if resource.type == IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE else "policyArn"
        found.extend(_managed_problems(props.get(arn_prop), ctx, config))
    return found


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    return [Violation(problem.message) for problem in problems(resource, config)]


RULE = ResourceRule(
    meta=META, check=check, doc=__doc__, facts={"dynamodb_actions": len(dynamodb_actions.ACTIONS)}
)
