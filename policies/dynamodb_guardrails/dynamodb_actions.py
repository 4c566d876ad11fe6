"""The DynamoDB IAM action catalogue, as data: what each action grants and whether it can be scoped.

Source: AWS Service Authorization Reference, "Actions, resources, and condition keys for Amazon
DynamoDB", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
- checked 2026-11-28 against the page's HTML as mirrored on 2026-06-14 by salesforce/policy_sentry
(policy_sentry/shared/data/docs/list_amazondynamodb.html): 78 actions.

Each row: the action, AWS's access level (Read / List / Write / Permissions management / Tagging),
the pack's category, and AWS's resource types (empty = no resource-level permissions: the action
can only be granted on Resource "*", so "*" is not a finding for it).

The pack's categories (ours, not AWS's):
- read: AWS Read and List.
- write: item-level data writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, PartiQL writes,
  WriteDataForReplication).
- admin: every other Write, Permissions management and Tagging action - table lifecycle, backups,
  restores, imports/exports, replicas, settings, resource policies, tags. AWS files
  RestoreTableFromBackup, DeleteTable, etc. as "Write"; they belong to neither read nor data write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

SOURCE_URL: Final = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html"
)
CHECKED_ON: Final = "2026-11-28"
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

    @property
    def resource_level(self) -> bool:
        """Whether the action can be scoped to resources (else only Resource "*" works)."""
        return bool(self.resource_types)

    @property
    def qualified(self) -> str:
        return f"{SERVICE_PREFIX}:{self.name}"


_ROWS: Final = (
    ("AssociateTableReplica", "Write", ADMIN, ("table*",)),
    ("BatchGetItem", "Read", READ, ("table*",)),
    ("BatchWriteItem", "Write", WRITE, ("table*",)),
    ("ConditionCheckItem", "Read", READ, ("table*",)),
    ("CreateBackup", "Write", ADMIN, ("table*",)),
    ("CreateGlobalTable", "Write", ADMIN, ("global-table*", "table*")),
    ("CreateGlobalTableWitness", "Write", ADMIN, ("table*",)),
    ("CreateTable", "Write", ADMIN, ("table*",)),
    ("CreateTableReplica", "Write", ADMIN, ("table*",)),
    ("DeleteBackup", "Write", ADMIN, ("backup*",)),
    ("DeleteGlobalTableWitness", "Write", ADMIN, ("table*",)),
    ("DeleteItem", "Write", WRITE, ("table*",)),
    ("DeleteResourcePolicy", "Permissions management", ADMIN, ("stream*", "table*")),
    ("DeleteTable", "Write", ADMIN, ("table*",)),
    ("DeleteTableReplica", "Write", ADMIN, ("table*",)),
    ("DescribeBackup", "Read", READ, ("backup*",)),
    ("DescribeContinuousBackups", "Read", READ, ("table*",)),
    ("DescribeContributorInsights", "Read", READ, ("table*", "index")),
    ("DescribeEndpoints", "Read", READ, ()),
    ("DescribeExport", "Read", READ, ("export*",)),
    ("DescribeGlobalTable", "Read", READ, ("global-table*",)),
    ("DescribeGlobalTableSettings", "Read", READ, ("global-table*",)),
    ("DescribeImport", "Read", READ, ("import*",)),
    ("DescribeKinesisStreamingDestination", "Read", READ, ("table*",)),
    ("DescribeLimits", "Read", READ, ()),
    ("DescribeReservedCapacity", "Read", READ, ()),
    ("DescribeReservedCapacityOfferings", "Read", READ, ()),
    ("DescribeStream", "Read", READ, ("stream*",)),
    ("DescribeTable", "Read", READ, ("table*",)),
    ("DescribeTableReplicaAutoScaling", "Read", READ, ("table*",)),
    ("DescribeTimeToLive", "Read", READ, ("table*",)),
    ("DisableKinesisStreamingDestination", "Write", ADMIN, ("table*",)),
    ("EnableKinesisStreamingDestination", "Write", ADMIN, ("table*",)),
    ("ExportTableToPointInTime", "Write", ADMIN, ("table*",)),
    ("GetAbacStatus", "Read", READ, ()),
    ("GetItem", "Read", READ, ("table*",)),
    ("GetRecords", "Read", READ, ("stream*",)),
    ("GetResourcePolicy", "Read", READ, ("stream*", "table*")),
    ("GetShardIterator", "Read", READ, ("stream*",)),
    ("ImportTable", "Write", ADMIN, ("table*",)),
    ("InjectError", "Write", ADMIN, ()),
    ("ListBackups", "List", READ, ()),
    ("ListContributorInsights", "List", READ, ()),
    ("ListExports", "List", READ, ()),
    ("ListGlobalTables", "List", READ, ()),
    ("ListImports", "List", READ, ()),
    ("ListStreams", "Read", READ, ()),
    ("ListTables", "List", READ, ()),
    ("ListTagsOfResource", "Read", READ, ("table*",)),
    ("PartiQLDelete", "Write", WRITE, ("table*",)),
    ("PartiQLInsert", "Write", WRITE, ("table*",)),
    ("PartiQLSelect", "Read", READ, ("table*", "index")),
    ("PartiQLUpdate", "Write", WRITE, ("table*",)),
    ("PurchaseReservedCapacityOfferings", "Write", ADMIN, ()),
    ("PutItem", "Write", WRITE, ("table*",)),
    ("PutResourcePolicy", "Permissions management", ADMIN, ("stream*", "table*")),
    ("Query", "Read", READ, ("table*", "index")),
    ("ReadDataForReplication", "Read", READ, ("table*",)),
    ("ReplicateSettings", "Write", ADMIN, ("table*",)),
    ("RestoreTableFromAwsBackup", "Write", ADMIN, ("table*",)),
    ("RestoreTableFromBackup", "Write", ADMIN, ("backup*", "table*")),
    ("RestoreTableToPointInTime", "Write", ADMIN, ("table*",)),
    ("Scan", "Read", READ, ("table*", "index")),
    ("StartAwsBackupJob", "Write", ADMIN, ("table*",)),
    ("TagResource", "Tagging", ADMIN, ("table*",)),
    ("UntagResource", "Tagging", ADMIN, ("table*",)),
    ("UpdateAbacStatus", "Permissions management", ADMIN, ()),
    ("UpdateContinuousBackups", "Write", ADMIN, ("table*",)),
    ("UpdateContributorInsights", "Write", ADMIN, ("table*", "index")),
    ("UpdateGlobalTable", "Write", ADMIN, ("global-table*", "table*")),
    ("UpdateGlobalTableSettings", "Write", ADMIN, ("global-table*", "table*")),
    ("UpdateGlobalTableVersion", "Write", ADMIN, ("global-table*", "table")),
    ("UpdateItem", "Write", WRITE, ("table*",)),
    ("UpdateKinesisStreamingDestination", "Write", ADMIN, ("table*",)),
    ("UpdateTable", "Write", ADMIN, ("table*",)),
    ("UpdateTableReplicaAutoScaling", "Write", ADMIN, ("table*",)),
    ("UpdateTimeToLive", "Write", ADMIN, ("table*",)),
    ("WriteDataForReplication", "Write", WRITE, ("table*",)),
)

ACTIONS: Final[tuple[DynamoDBAction, ...]] = tuple(DynamoDBAction(*row) for row in _ROWS)
# Lower-cased action name (without prefix) -> action: IAM action names are case-insensitive.
BY_NAME: Final[Mapping[str, DynamoDBAction]] = {action.name.lower(): action for action in ACTIONS}


def lookup(name: str) -> DynamoDBAction | None:
    """The catalogue entry for `GetItem` / `dynamodb:getitem` (any case), or None."""
    prefix, sep, rest = name.partition(":")
    if sep and prefix.lower() != SERVICE_PREFIX:
        return None
    return BY_NAME.get((rest if sep else name).lower())
