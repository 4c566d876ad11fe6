"""dynamodb-encryption-key-level: DynamoDB tables and their replicas use a strong enough KMS key.

## What it checks
DynamoDB always encrypts at rest; what varies is the key, from weakest to strongest control:

- `aws-owned`: `serverSideEncryption.enabled` false or absent (AWS owns the key, no audit trail);
- `aws-managed`: enabled without `kmsKeyArn` (the account's `aws/dynamodb` key);
- `customer-managed`: enabled with `kmsKeyArn` (a key the organisation controls).

Naming the AWS-managed key itself (`alias/aws/dynamodb`, or its alias ARN
`arn:aws:kms:<region>:<account>:alias/aws/dynamodb`) is still `aws-managed`.

Every `aws:dynamodb/table:Table`, each entry of its `replicas`, and every
`aws:dynamodb/tableReplica:TableReplica` must use at least `minimumKeyLevel`, and a named
customer-managed key must match `allowedKmsKeyArns` when that list is set. So must every
`aws-native:dynamodb:Table` and `aws-native:dynamodb:GlobalTable` (and its replicas), and the same
types in an embedded CloudFormation template, read with CloudFormation's semantics: no
`sseSpecification` (or `sseEnabled` false) is an AWS-owned key, `sseEnabled` true the AWS-managed
key unless `kmsMasterKeyId` names another; a GlobalTable enables SSE for all replicas and is
customer-managed only when every replica names a key (`replicas[].sseSpecification.kmsMasterKeyId`).

Replicas: a global table's replicas share its encryption type. A replica names its own key
(`replicas[].kmsKeyArn`, or the `TableReplica`'s `kmsKeyArn`) when it uses a customer-managed
one: KMS keys are regional, and AWS rejects a replica of a customer-managed table without one.
Without a key a replica inherits the table's type, so it is at most `aws-managed`. A
`TableReplica` cannot see its table, so without a key it is judged only when the required level
is `customer-managed`; its table is judged on its own.

## Why
With an AWS-owned key nobody in the account can see, audit or revoke the key's use. The AWS-managed
key shows up in CloudTrail; a customer-managed key also lets the organisation control its policy,
rotation and deletion, which some data classifications require.

## Example
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
    server_side_encryption={"enabled": False},
)
```

## Use instead
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
    server_side_encryption={"enabled": True},
)
```
Under `minimumKeyLevel: customer-managed`, also set `kms_key_arn` to a customer-managed key (and
give every replica a key in its own region).

## During preview
A key ARN computed from another resource (`key.arn` of a KMS key created in the same stack) is
unknown in a preview: it counts as customer-managed, and the allow-list is checked on the update.
An unknown `serverSideEncryption` or `enabled` is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from ..exemptions import exemption_schema, is_exempt_view
from ..model import PolicyMeta, Resource, Violation
from ..readers import TABLE_TYPES, table_views
from ..rule import ResourceRule
from ..values import as_list
from ..views.tables import AWS_MANAGED, AWS_OWNED, CUSTOMER_MANAGED, KEY_LEVELS, KeyChoice, TableView

__all__ = ["KEY_LEVELS", "META", "check"]
# KEY_LEVELS is weakest first: a level satisfies every requirement at or below its position.
_DEFAULT_LEVEL = AWS_MANAGED

_LEVEL_WORDS = {
    AWS_OWNED: "an AWS-owned key (aws-owned)",
    AWS_MANAGED: "the AWS-managed key aws/dynamodb (aws-managed)",
    CUSTOMER_MANAGED: "a customer-managed KMS key (customer-managed)",
}
# Only a value of this shape is echoed in a message; anything else may be free text.
_KMS_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_+=,.@-]{1,256}")

META = PolicyMeta(
    name="dynamodb-encryption-key-level",
    description="DynamoDB tables and their replicas must be encrypted with at least the configured key level "
    "(aws-owned < aws-managed < customer-managed), optionally with an allowed KMS key.",
    severity="high",
    enforcement_level="mandatory",
    remediation_steps=(
        "For the AWS-managed key set serverSideEncryption.enabled to true on the table. For a "
        "customer-managed key also set serverSideEncryption.kmsKeyArn, and give every replica "
        "(replicas[].kmsKeyArn or the TableReplica's kmsKeyArn) a key in its own region. To exempt a table, "
        "add it with a reason to the policy's `exemptions` config."
    ),
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
    config_schema={
        "minimumKeyLevel": {
            "type": "string",
            "enum": list(KEY_LEVELS),
            "default": _DEFAULT_LEVEL,
            "description": "Weakest acceptable key: aws-owned (anything), aws-managed (SSE enabled) or "
            "customer-managed (SSE enabled with a kmsKeyArn, also on every replica).",
        },
        "allowedKmsKeyArns": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "KMS key ARNs that tables and replicas may use (shell-style * patterns allowed, "
            "e.g. arn:aws:kms:*:123456789012:key/*); empty allows any key.",
        },
        **exemption_schema("tables and table replicas the policy skips"),
    },
    resource_types=TABLE_TYPES,
    tags=("security", "encryption", "dynamodb"),
)


def _required_level(config: Mapping[str, Any]) -> str:
    level = config.get("minimumKeyLevel")
    return level if level in KEY_LEVELS else _DEFAULT_LEVEL


def _below(level: str, required: str) -> bool:
    return KEY_LEVELS.index(level) < KEY_LEVELS.index(required)


def _table_fix(table: TableView, required: str) -> str:
    spelling = table.spelling
    if required == AWS_MANAGED:
        return f"Set {spelling.enable_sse} (optionally with {spelling.table_key} of a customer-managed key)"
    return f"Set {spelling.enable_sse} and {spelling.table_key} to the ARN of a customer-managed KMS key"


def _key_not_allowed(choice: KeyChoice, config: Mapping[str, Any]) -> str | None:
    """Why the named key breaks `allowedKmsKeyArns`, or None when it does not (or cannot be told).
    The allow-list governs customer-managed keys; the AWS-managed key is judged by its level."""
    allowed = [item for item in as_list(config.get("allowedKmsKeyArns")) if isinstance(item, str)]
    key = choice.key
    if not allowed or not isinstance(key, str) or choice.level != CUSTOMER_MANAGED:
        return None  # any key allowed, or the ARN is not known yet
    if any(fnmatchcase(key.strip(), pattern.strip()) for pattern in allowed):
        return None
    shown = f"'{key.strip()}'" if _KMS_ARN.fullmatch(key.strip()) else "its kmsKeyArn"
    return (
        f"uses KMS key {shown}, which is not in the policy's allowedKmsKeyArns. Use one of the allowed keys "
        "or add the key to allowedKmsKeyArns."
    )


def _check_table(table: TableView, required: str, config: Mapping[str, Any]) -> list[Violation]:
    found: list[Violation] = []
    key = table.key()
    where = table.label
    if key is not None and _below(key.level, required):
        found.append(
            Violation(
                f"{where} is encrypted with {_LEVEL_WORDS[key.level]}; the policy requires at least "
                f"{_LEVEL_WORDS[required]}. {_table_fix(table, required)}. Replicas without their own key "
                "inherit the table's encryption type."
            )
        )
    if key is not None and (reason := _key_not_allowed(key, config)):
        found.append(Violation(f"{where} {reason}"))
    spelling = table.spelling
    for replica in table.replicas():
        label = f"{where}: {replica.label}"
        own = replica.key
        if own is None:
            # No key of its own: the table's type, with the region's aws/dynamodb key at most.
            if key is not None and key.level == CUSTOMER_MANAGED and required == CUSTOMER_MANAGED:
                found.append(
                    Violation(
                        f"{label} names no key ({spelling.replica_key}), so it cannot use "
                        f"{_LEVEL_WORDS[CUSTOMER_MANAGED]} as the policy requires (AWS also rejects "
                        "replicas of a customer-managed table without a key). Set its key to a "
                        "customer-managed key in its region."
                    )
                )
            continue
        if _below(own.level, required) and (key is None or not _below(key.level, required)):
            found.append(
                Violation(
                    f"{label} is encrypted with {_LEVEL_WORDS[own.level]}; the policy requires at "
                    f"least {_LEVEL_WORDS[required]}. Set {spelling.replica_key} to a customer-managed KMS "
                    "key in its region."
                )
            )
        if reason := _key_not_allowed(own, config):
            found.append(Violation(f"{label} {reason}"))
    return found


def _check_table_replica(table: TableView, required: str, config: Mapping[str, Any]) -> list[Violation]:
    where = table.label
    replica = table.key()
    if replica is None or replica.level != CUSTOMER_MANAGED:
        if required != CUSTOMER_MANAGED:
            return []  # inherits its table's type, which is judged on the table itself
        return [
            Violation(
                f"{where} has no customer-managed kmsKeyArn, so it uses at most "
                f"{_LEVEL_WORDS[AWS_MANAGED]}; the policy requires {_LEVEL_WORDS[CUSTOMER_MANAGED]}. Set "
                "kmsKeyArn to a customer-managed KMS key in the replica's region."
            )
        ]
    reason = _key_not_allowed(replica, config)
    return [Violation(f"{where} {reason}")] if reason else []


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    required = _required_level(config)
    found: list[Violation] = []
    for table in table_views(resource):
        if is_exempt_view(table.exempt_keys, config):
            continue
        if table.kind == "table-replica":
            found += _check_table_replica(table, required, config)
        else:
            found += _check_table(table, required, config)
    return found


RULE = ResourceRule(meta=META, check=check, doc=__doc__)
