"""Tables are data: a fourth table is one more TableSpec, with its own settings."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dynamodb_stack import Attribute, DynamoDbStackArgs, GlobalSecondaryIndex, TableSpec
from tests.infra.harness import ALARM, INSIGHTS, ROLE, TABLE, run_stack

ORDERS = TableSpec(
    key="orders",
    hash_key="customerId",
    range_key="orderId",
    attributes=(Attribute("customerId", "S"), Attribute("orderId", "S"), Attribute("status", "S")),
    global_secondary_indexes=(
        GlobalSecondaryIndex("status-index", hash_key="status", projection_type="KEYS_ONLY"),
    ),
    stream_view_type="KEYS_ONLY",
    point_in_time_recovery=True,
    contributor_insights=True,
    physical_name="legacy-orders",
)


def test_a_fourth_table_is_one_more_spec(default_args: DynamoDbStackArgs) -> None:
    args = replace(default_args, tables=(*default_args.tables, ORDERS))
    run = run_stack(args)

    orders = run.named("orders-dev")
    assert orders.type == TABLE
    assert orders.inputs["name"] == "legacy-orders"
    assert orders.inputs["hashKey"] == "customerId"
    assert orders.inputs["rangeKey"] == "orderId"
    assert orders.inputs["streamViewType"] == "KEYS_ONLY"
    assert orders.inputs["pointInTimeRecovery"] == {"enabled": True}
    assert orders.inputs["globalSecondaryIndexes"] == [
        {
            "name": "status-index",
            "keySchemas": [{"attributeName": "status", "keyType": "HASH"}],
            "projectionType": "KEYS_ONLY",
        }
    ]
    assert {r.inputs["tableName"] for r in run.of_type(INSIGHTS)} == {"events-dev", "legacy-orders"}
    assert {"dynamodb-orders-read-role-dev", "dynamodb-orders-write-role-dev"} <= {
        r.name for r in run.of_type(ROLE)
    }
    assert {
        "dynamodb-orders-system-errors-dev",
        "dynamodb-orders-status-index-read-throttle-dev",
        "dynamodb-orders-status-index-write-throttle-dev",
    } <= {r.name for r in run.of_type(ALARM)}
    assert run.outputs["tableNames"][-1] == "legacy-orders"
    assert len(run.outputs["streamArns"]) == 2


@pytest.mark.parametrize(
    "attributes",
    [
        (Attribute("customerId", "S"),),  # a key attribute is missing
        (Attribute("customerId", "S"), Attribute("orderId", "S"), Attribute("note", "S")),  # unused
    ],
)
def test_a_spec_must_declare_exactly_its_key_attributes(attributes: tuple[Attribute, ...]) -> None:
    with pytest.raises(ValueError, match="attributes"):
        TableSpec(key="orders", hash_key="customerId", range_key="orderId", attributes=attributes)


def test_a_stack_without_streams_exports_no_stream_arns(default_args: DynamoDbStackArgs) -> None:
    users_only = tuple(t for t in default_args.tables if t.key == "users")
    outputs = run_stack(replace(default_args, tables=users_only)).outputs
    assert outputs["tableNames"] == ["users-dev"]
    assert outputs["streamArns"] == []
