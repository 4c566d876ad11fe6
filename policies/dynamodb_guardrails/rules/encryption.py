"""dynamodb-encryption-key-level: DynamoDB tables and their replicas use a strong enough KMS key.

## What it checks
DynamoDB always encrypts at rest; what varies is the key, from weakest to strongest control:

- `aws-owned`: `serverSideEncryption.enabled` false or absent (AWS owns the key, no audit trail);
- `aws-managed`: enabled without `kmsKeyArn` (the account's `aws/dynamodb` key);
- `customer-managed`: enabled with `kmsKeyArn` (a key the organisation controls).

Every `aws:dynamodb/table:Table`, each entry of its `replicas`, and every
`aws:dynamodb/tableReplica:TableReplica` must use at least `minimumKeyLevel`, and a named key
must match `allowedKmsKeyArns` when that list is set.

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
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..exemptions import exemption_schema, is_exempt
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..resource_types import DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA
from ..rule import ResourceRule
from ..values import as_bool, as_list, as_mapping, as_str

AWS_OWNED = "aws-owned"
AWS_MANAGED = "aws-managed"
CUSTOMER_MANAGED = "customer-managed"
# Weakest first: a level satisfies every requirement at or below its position.
KEY_LEVELS = (AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED)
_DEFAULT_LEVEL = AWS_MANAGED

_LEVEL_WORDS = {
    AWS_OWNED: "an AWS-owned key (aws-owned)",
    AWS_MANAGED: "the AWS-managed key aws/dynamodb (aws-managed)",
    CUSTOMER_MANAGED: "a customer-managed KMS key (customer-managed)",
}
_TABLE_FIX = {
    AWS_MANAGED: "Set serverSideEncryption.enabled to true "
    "(optionally with kmsKeyArn of a customer-managed key)",
    CUSTOMER_MANAGED: "Set serverSideEncryption.enabled to true and serverSideEncryption.kmsKeyArn "
    "to the ARN of a customer-managed KMS key",
}
# Only a value of this shape is echoed in a message; anything else may be free text.
_KMS_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[A-Za-z0-9/_+=,.@-]{1,256}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")

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
    resource_types=frozenset({DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA}),
    tags=("security", "encryption", "dynamodb"),
)


@dataclass(frozen=True)
class KeyChoice:
    """The key level a table or replica ends up with, and its key when it names one.

    `key` is UNKNOWN when a customer-managed key's ARN is not known yet (preview).
    """

    level: str
    key: Any = None


def _named_key(value: Any) -> KeyChoice | None:
    """A customer-managed key when `value` names one (or will, once known); None otherwise."""
    if value is UNKNOWN:
        return KeyChoice(CUSTOMER_MANAGED, UNKNOWN)
    key = as_str(value)
    if key is not None and key.strip():
        return KeyChoice(CUSTOMER_MANAGED, key)
    return None


def table_key(props: Mapping[str, Any]) -> KeyChoice | None:
    """The table's key level from `serverSideEncryption`; None while it is unknown."""
    sse = props.get("serverSideEncryption")
    if sse is UNKNOWN:
        return None
    sse = as_mapping(sse)
    enabled = sse.get("enabled")
    if enabled is UNKNOWN:
        return None
    if as_bool(enabled) is not True:
        return KeyChoice(AWS_OWNED)
    return _named_key(sse.get("kmsKeyArn")) or KeyChoice(AWS_MANAGED)


def _required_level(config: Mapping[str, Any]) -> str:
    level = config.get("minimumKeyLevel")
    return level if level in KEY_LEVELS else _DEFAULT_LEVEL


def _below(level: str, required: str) -> bool:
    return KEY_LEVELS.index(level) < KEY_LEVELS.index(required)


def _key_not_allowed(choice: KeyChoice, config: Mapping[str, Any]) -> str | None:
    """Why the named key breaks `allowedKmsKeyArns`, or None when it does not (or cannot be told)."""
    allowed = [item for item in as_list(config.get("allowedKmsKeyArns")) if isinstance(item, str)]
    key = choice.key
    if not allowed or not isinstance(key, str):
        return None  # any key allowed, or the ARN is not known yet
    if any(fnmatchcase(key.strip(), pattern.strip()) for pattern in allowed):
        return None
    shown = f"'{key.strip()}'" if _KMS_ARN.fullmatch(key.strip()) else "its kmsKeyArn"
    return (
        f"uses KMS key {shown}, which is not in the policy's allowedKmsKeyArns. Use one of the allowed keys "
        "or add the key to allowedKmsKeyArns."
    )


def _replica_label(entry: Mapping[str, Any], index: int) -> str:
    region = as_str(entry.get("regionName"))
    if region is not None and _REGION.fullmatch(region):
        return f"replica in {region}"
    return f"replica #{index + 1}"


def _check_table(resource: Resource, required: str, config: Mapping[str, Any]) -> list[Violation]:
    found: list[Violation] = []
    table = table_key(resource.props)
    where = f"Table '{resource.name}'"
    if table is not None and _below(table.level, required):
        found.append(
            Violation(
                f"{where} is encrypted with {_LEVEL_WORDS[table.level]}; the policy requires at least "
                f"{_LEVEL_WORDS[required]}. {_TABLE_FIX[required]}. Replicas without their own kmsKeyArn "
                "inherit the table's encryption type."
            )
        )
    if table is not None and (reason := _key_not_allowed(table, config)):
        found.append(Violation(f"{where} {reason}"))
    replicas = resource.props.get("replicas")
    for index, entry in enumerate(as_list(replicas) if replicas is not UNKNOWN else []):
        if not isinstance(entry, Mapping):
            continue  # unknown or junk entry: nothing to judge
        replica = _named_key(entry.get("kmsKeyArn"))
        label = f"{where}: {_replica_label(entry, index)}"
        if replica is None:
            # No key of its own: the table's type, with the region's aws/dynamodb key at most.
            if table is not None and table.level == CUSTOMER_MANAGED and required == CUSTOMER_MANAGED:
                found.append(
                    Violation(
                        f"{label} has no kmsKeyArn, so it cannot use {_LEVEL_WORDS[CUSTOMER_MANAGED]} as the "
                        "policy requires (AWS also rejects replicas of a customer-managed table without a "
                        "key). Set kmsKeyArn on the replica to a customer-managed key in its region."
                    )
                )
            continue
        if reason := _key_not_allowed(replica, config):
            found.append(Violation(f"{label} {reason}"))
    return found


def _check_table_replica(resource: Resource, required: str, config: Mapping[str, Any]) -> list[Violation]:
    where = f"Table replica '{resource.name}'"
    replica = _named_key(resource.props.get("kmsKeyArn"))
    if replica is None:
        if required != CUSTOMER_MANAGED:
            return []  # inherits its table's type, which is judged on the table itself
        return [
            Violation(
                f"{where} has no kmsKeyArn, so it uses at most {_LEVEL_WORDS[AWS_MANAGED]}; the policy "
                f"requires {_LEVEL_WORDS[CUSTOMER_MANAGED]}. Set kmsKeyArn to a customer-managed KMS key in "
                "the replica's region."
            )
        ]
    reason = _key_not_allowed(replica, config)
    return [Violation(f"{where} {reason}")] if reason else []


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if is_exempt(resource, config):
        return []
    required = _required_level(config)
    if resource.type == DYNAMODB_TABLE:
        return _check_table(resource, required, config)
    if resource.type == DYNAMODB_TABLE_REPLICA:
        return _check_table_replica(resource, required, config)
    return []


RULE = ResourceRule(meta=META, check=check, doc=__doc__)
