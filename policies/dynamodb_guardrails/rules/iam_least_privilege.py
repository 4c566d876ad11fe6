"""iam-least-privilege: whatever grants DynamoDB access grants only what a workload needs.

## What it checks
Everything that can grant permissions, each form read into one permission view
(`readers/permissions.py` lists them): pulumi-aws `RolePolicy`, `Policy`, `UserPolicy`,
`GroupPolicy` (`policy`), a `Role`'s `inlinePolicies[].policy`, DynamoDB `ResourcePolicy`, IAM
Identity Center `PermissionSetInlinePolicy`; aws-native `iam:Role` / `iam:User` / `iam:Group`
(`policies`), `iam:RolePolicy`, `iam:UserPolicy`, `iam:GroupPolicy`, `iam:ManagedPolicy`,
`iam:Policy` (`policyDocument`), `sso:PermissionSet` (`inlinePolicy`), a `dynamodb:Table`'s or
`dynamodb:GlobalTable` replica's resource policies (own and stream); and every attachment of an
AWS-managed policy that allows DynamoDB access on every table ({{broad_policies}} policies,
generated from their published documents: `managed_policies.py`) - `managedPolicyArns`, the
attachment resources, the `*PolicyAttachmentsExclusive` resources, Identity Center's managed-policy
attachments and a permission set's `managedPolicies`. The same aws-native forms declared in the
template of an `aws:cloudformation/stack:Stack` or `aws-native:cloudformation:Stack`
(`AWS::IAM::Role`, `AWS::IAM::Policy`, ...; readers/cloudformation.py) are judged too, reported on
the stack and named by their logical id. In Allow statements it flags:

- wildcard actions (for DynamoDB, expanded against the action catalogue of {{dynamodb_actions}}
  actions to say what they grant), unless listed in `allowedActionPatterns`;
- `NotAction`, which grants everything but the listed actions;
- `Resource: "*"` (or `NotResource`, or an ARN pattern that reaches every table in any spelling:
  `arn:aws:dynamodb:*`, `...:table*`, `arn:*`; ARNs compare case-sensitively) on actions that can
  be scoped to a table;
- admin actions (CreateTable, DeleteTable, UpdateTable, ...) not in `allowedAdminActions`;
- any write or admin action in a document marked read-only;
- in a resource-based policy, `Principal: "*"` (or `NotPrincipal`) that no Condition limits to an
  organisation or account (`principalLimitingConditionKeys`; `resource_access.py` says which
  operators and values count). A principal in another account is judged by the same action rules
  as an identity policy, and a named principal of the table's account with scoped actions is
  clean. A resource policy's `Resource` is not judged: it is attached to one table or stream.

Deny statements never violate. A document that is not JSON is a finding (fail closed): the pack
cannot show it is least privilege, and IAM would reject it at deployment anyway.

Read-only intent: the resource's name, logical name, or the name of the role/user/group it
belongs to (RolePolicy, UserPolicy, GroupPolicy, a managed policy's `roles`/`users`/`groups`)
matches `readOnlyNamePattern`; or the resource carries `readOnlyTag` (a tag map, or aws-native's
`[{key, value}]` list), which then decides alone. Resource policies carry no read-only intent.
The default pattern matches a "read" or "read-only"/"readonly" word between `-`, `_`, `.`, `/` or
the ends of the name (dynamodb-events-read-role-dev, events_readonly), but not
read-write/read_write/readwrite, reader or thread.

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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from .. import dynamodb_actions
from ..exemptions import exemption_schema, is_exempt, is_exempt_view
from ..model import PolicyMeta, Resource, Violation
from ..readers import template_expansion
from ..readers.permissions import READERS, read_permissions
from ..resource_access import DEFAULT_LIMITING_KEYS, grantee_note, is_open_to_everyone
from ..resource_types import CLOUDFORMATION_HOSTS
from ..rule import ResourceRule
from ..snippets import python_snippet
from ..values import as_mapping, string_items

if TYPE_CHECKING:
    from ..dynamodb_actions import DynamoDBAction
    from ..iam_documents import Statement
    from ..views.permissions import DocumentView, HolderView

# IAM document analysis (iam_documents) and the AWS-managed policy list are imported by the
# functions that use them, when the first resource that grants permissions is judged: the pack
# starts without them (bench: start-up).

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
    "public-access",
]

META = PolicyMeta(
    name="iam-least-privilege",
    description=(
        "IAM policies, permission sets and DynamoDB resource policies must grant DynamoDB least "
        "privilege: no wildcard actions, no NotAction, no Resource '*' on table actions, no admin actions "
        "unless allowed, nothing but reads in read-only roles, no broad AWS-managed policies, no "
        "resource policy open to everyone."
    ),
    severity="high",
    enforcement_level="mandatory",
    remediation_steps=(
        "List the exact actions the workload calls (e.g. dynamodb:GetItem, dynamodb:Query) instead of "
        "wildcards or NotAction; scope Resource to the table ARN (and '<table ARN>/index/*' for indexes); "
        "keep admin actions (CreateTable, DeleteTable, UpdateTable, ...) out of application roles or allow "
        "them in `allowedAdminActions`; give read-only roles read actions only; replace broad AWS-managed "
        "policies with an inline policy scoped to the table; in a table's resource policy name the "
        "principals or limit Principal '*' with aws:PrincipalOrgID / aws:PrincipalAccount."
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
        "principalLimitingConditionKeys": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(DEFAULT_LIMITING_KEYS),
            "description": (
                "Condition keys that, under StringEquals/StringLike/ArnEquals/ArnLike (or ForAnyValue:) "
                "with values pinning an organisation or account, limit a resource policy's "
                "Principal '*' so it is not public access (case-insensitive)."
            ),
        },
        **exemption_schema(
            "IAM resources, resource policies, permission sets or tables (for their resource policies) "
            "this policy skips"
        ),
    },
    resource_types=frozenset(READERS) | CLOUDFORMATION_HOSTS,
    tags=("security", "iam", "dynamodb"),
)


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str


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


def _read_only_reason(holder: HolderView, config: Mapping[str, Any]) -> str | None:
    key, wanted = _read_only_tag(config)
    for tags in holder.tag_sets:
        value = tags.get(key)
        if isinstance(value, str) and value.strip():
            # An explicit access-level tag says what the author meant; it wins over any name.
            if value.strip().lower() == wanted.strip().lower():
                return f"its tag {key}={wanted} marks it read-only"
            return None
    pattern = config.get("readOnlyNamePattern")
    regex = _compile_read_only(pattern if isinstance(pattern, str) else DEFAULT_READ_ONLY_PATTERN)
    for what, value in holder.names:
        if regex.search(value[:512]):
            return f"its {what} marks it read-only"
    return None


def _allowed_admin(action: DynamoDBAction, config: Mapping[str, Any]) -> bool:
    from ..iam_documents import wildcard_match

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


def _statement_problems(
    statement: Statement,
    where: str,
    read_only_reason: str | None,
    config: Mapping[str, Any],
    *,
    resource_based: bool,
) -> Iterator[Problem]:
    from ..dynamodb_actions import ADMIN, READ
    from ..iam_documents import (
        expand_dynamodb,
        granted_dynamodb_actions,
        has_wildcard,
        is_plain_action,
        names,
        reaches_every_resource,
        safe_action_text,
        split_action,
    )

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
    # A resource-based document is attached to one table (or stream): its Resource reaches no other.
    if scoped and broad and not resource_based:
        if statement.not_resources is not None:
            shown = "NotResource"
        elif "*" in statement.resources:
            shown = "Resource '*' (every table)"
        else:  # the pattern is free text: say what it does, not what it is
            shown = "a Resource ARN pattern that reaches every table"
        yield Problem(
            "every-resource",
            f"{where}: {shown} on actions that can be scoped to a table ({names(scoped)}). Set Resource "
            "to the table ARN (and '<table ARN>/index/*' for its indexes).",
        )

    if read_only_reason is not None:
        writes = _notable_first(a for a in granted if a.category != READ)
        if writes:
            yield Problem(
                "write-in-read-only",
                f"{where}: {read_only_reason}, but it allows write/admin actions ({names(writes)}). "
                "Grant read actions only, or rename/retag it if it is not meant to be read-only.",
            )
    admin = _notable_first(a for a in granted if a.category == ADMIN and not _allowed_admin(a, config))
    if admin:
        yield Problem(
            "admin-action",
            f"{where}: allows admin actions ({names(admin)}). Keep table administration out of "
            "application roles, or allow the actions in the policy's `allowedAdminActions` config.",
        )


def _document_problems(
    document: DocumentView, read_only_reason: str | None, config: Mapping[str, Any]
) -> Iterator[Problem]:
    if document.status == "invalid":
        yield Problem(
            "invalid-document",
            f"{document.label}: the policy document is not a JSON object, so it cannot be checked (and IAM "
            f"would reject it). Build it with {python_snippet('json.dumps(...)')} or "
            f"{python_snippet('aws.iam.get_policy_document(...)')}.",
        )
        return
    resource_based = document.kind == "resource"
    limiting_keys = string_items(config.get("principalLimitingConditionKeys"))
    for view in document.statements:
        if not view.is_allow:
            continue
        where = view.origin + (grantee_note(view, document) if resource_based else "")
        if resource_based and is_open_to_everyone(view, limiting_keys):
            who = "NotPrincipal (everyone but the listed)" if view.not_principal else "Principal '*'"
            yield Problem(
                "public-access",
                f"{where}: {who} lets every AWS account and anonymous callers in, and no Condition limits "
                "it to your organisation or account. Name the principals, or add a Condition on "
                "aws:PrincipalOrgID / aws:PrincipalAccount (see `principalLimitingConditionKeys`).",
            )
        yield from _statement_problems(
            view.statement, where, read_only_reason, config, resource_based=resource_based
        )


def _managed_problems(arns: tuple[str, ...], label: str, config: Mapping[str, Any]) -> Iterator[Problem]:
    from ..managed_policies import broad_policy

    allowed = set(string_items(config.get("allowedManagedPolicies")))
    for arn in arns:
        broad = broad_policy(arn)
        if broad is None or broad.name in allowed or arn in allowed:
            continue
        yield Problem(
            "broad-managed-policy",
            f"{label}: attaches the AWS-managed policy {broad.name}, which {broad.why}. Attach a policy "
            "scoped to the table instead, or allow it in `allowedManagedPolicies`.",
        )


def _template_problems(host: Resource, config: Mapping[str, Any]) -> list[Problem]:
    """The problems of the permission-granting resources of a stack's CloudFormation template."""
    expansion = template_expansion(host)
    if expansion is None:
        return []
    found: list[Problem] = []
    for item in expansion.resources:
        record = item.record
        if record.type not in READERS or is_exempt_view((f"{host.name}/{item.logical_id}",), config):
            continue
        where = f"In the template of CloudFormation stack '{host.name}' ({item.cfn_type})"
        found.extend(replace(p, message=f"{where}: {p.message}") for p in problems(record, config))
    return found


def problems(resource: Resource, config: Mapping[str, Any]) -> list[Problem]:
    """Every least-privilege problem of one resource that grants permissions (structured, for tests
    and messages), read through its permission view."""
    if is_exempt(resource, config):
        return []
    if resource.type in CLOUDFORMATION_HOSTS:
        return _template_problems(resource, config)
    permissions = read_permissions(resource)
    if permissions is None:
        return []
    read_only = _read_only_reason(permissions.holder, config)
    found: list[Problem] = []
    for document in permissions.documents:
        # Resource policies carry no read-only intent (readers/resource_policies.py).
        found.extend(_document_problems(document, read_only if document.kind == "identity" else None, config))
    for attachment in permissions.attachments:
        found.extend(_managed_problems(attachment.policy_arns, attachment.label, config))
    return found


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    return [Violation(problem.message) for problem in problems(resource, config)]


def _broad_policy_count() -> int:
    from ..managed_policies import BROAD_POLICIES

    return len(BROAD_POLICIES)


RULE = ResourceRule(
    meta=META,
    check=check,
    doc=__doc__,
    facts={"dynamodb_actions": len(dynamodb_actions.ACTIONS), "broad_policies": _broad_policy_count},
)
