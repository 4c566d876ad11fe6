"""What the table readers hand billing-mode, encryption and table-alarms: every field of the table
view of each form (pulumi-aws Table and TableReplica, aws-native Table and GlobalTable) - its
label, spelling of the fix, name, location, regions, match and exempt keys, whether it can be
remediated - and what it answers for billing, key and replicas. The rule tests judge tables;
here each view is pinned whole, so a reader that reads the wrong property fails by name."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb_guardrails import readers
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers import aws_classic, aws_native
from dynamodb_guardrails.views.location import Location
from dynamodb_guardrails.views.tables import KeyChoice, ReplicaView, TableView
from dynamodb_guardrails.views.tags import EffectiveTags

ACCOUNT = "123456789012"
CMK = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1111"
CMK2 = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/2222"
PROVIDER = {"region": "eu-west-1", "allowedAccountIds": [ACCOUNT]}


def on(type_: str, props: dict[str, Any], provider_props: dict[str, Any] | None = PROVIDER) -> Resource:
    package = type_.partition(":")[0]
    return Resource(
        type_,
        "t",
        f"urn:{type_}::t",
        props,
        provider_props=provider_props,
        provider_type=f"pulumi:providers:{package}",
        provider_urn=f"urn:provider:{package}",
    )


def one(resource: Resource) -> TableView:
    [view] = readers.table_views(resource)
    return view


def fields(view: TableView) -> dict[str, Any]:
    return {
        "label": view.label,
        "kind": view.kind,
        "name": view.name,
        "location": view.location,
        "regions": view.regions,
        "match_urns": view.match_urns,
        "exempt_keys": view.exempt_keys,
        "remediable": view.remediable,
        "billing": view.billing(),
        "key": view.key(),
        "replicas": view.replicas(),
    }


# --- pulumi-aws ----------------------------------------------------------------------------------


def test_classic_table_view() -> None:
    table = on(
        "aws:dynamodb/table:Table",
        {
            "name": "orders",
            "billingMode": "PROVISIONED",
            "serverSideEncryption": {"enabled": True, "kmsKeyArn": CMK},
            "replicas": [
                {"regionName": "us-east-1", "kmsKeyArn": CMK2},
                {"regionName": "ap-south-1"},
                "junk",
            ],
            "tags": {"Team": "t"},
        },
    )
    view = one(table)
    assert fields(view) == {
        "label": "Table 't'",
        "kind": "table",
        "name": "orders",
        "location": Location(ACCOUNT, "eu-west-1", "aws"),
        "regions": frozenset({"eu-west-1", "us-east-1", "ap-south-1"}),
        "match_urns": (table.urn,),
        "exempt_keys": ("t", table.urn),
        "remediable": True,
        "billing": "PROVISIONED",
        "key": KeyChoice("customer-managed", CMK),
        "replicas": (
            ReplicaView("replica in us-east-1", "us-east-1", KeyChoice("customer-managed", CMK2)),
            ReplicaView("replica in ap-south-1", "ap-south-1", None),
        ),
    }
    assert view.spelling == aws_classic.SPELLING
    assert view.tags() == EffectiveTags({"Team": "t"})


@pytest.mark.parametrize(
    ("sse", "key"),
    [
        (None, KeyChoice("aws-owned")),
        ({"enabled": False, "kmsKeyArn": CMK}, KeyChoice("aws-owned")),
        ({"enabled": "true"}, KeyChoice("aws-managed")),
        (
            {"enabled": True, "kmsKeyArn": "alias/aws/dynamodb"},
            KeyChoice("aws-managed", "alias/aws/dynamodb"),
        ),
        ({"enabled": True, "kmsKeyArn": UNKNOWN}, KeyChoice("customer-managed", UNKNOWN)),
        ({"enabled": UNKNOWN}, None),
        (UNKNOWN, None),
    ],
)
def test_classic_table_keys(sse: Any, key: KeyChoice | None) -> None:
    assert one(on("aws:dynamodb/table:Table", {"serverSideEncryption": sse})).key() == key


def test_classic_table_region_argument_arn_and_unknown_replicas() -> None:
    moved = one(on("aws:dynamodb/table:Table", {"region": "us-west-2"}))
    assert moved.location == Location(ACCOUNT, "us-west-2", "aws") and moved.regions == frozenset(
        {"us-west-2"}
    )
    arn = f"arn:aws:dynamodb:ap-south-1:{ACCOUNT}:table/orders"
    deployed = one(on("aws:dynamodb/table:Table", {"region": "us-west-2", "arn": arn}))
    assert deployed.location.region == "ap-south-1"
    unknown = one(on("aws:dynamodb/table:Table", {"replicas": UNKNOWN}))
    assert unknown.regions is None and unknown.replicas() == ()
    odd_region = one(on("aws:dynamodb/table:Table", {"replicas": [{"regionName": UNKNOWN}]}))
    assert odd_region.regions is None
    assert odd_region.replicas() == (ReplicaView("replica #1", None, None),)
    nowhere = one(on("aws:dynamodb/table:Table", {}, None))
    assert nowhere.regions is None and nowhere.location == Location()


def test_classic_table_replica_view() -> None:
    replica = on("aws:dynamodb/tableReplica:TableReplica", {"kmsKeyArn": CMK, "billingMode": "PROVISIONED"})
    view = one(replica)
    assert fields(view) == {
        "label": "Table replica 't'",
        "kind": "table-replica",
        "name": None,
        "location": Location(ACCOUNT, "eu-west-1", "aws"),
        "regions": frozenset({"eu-west-1"}),
        "match_urns": (replica.urn,),
        "exempt_keys": ("t", replica.urn),
        "remediable": False,
        "billing": None,  # a replica has its table's billing
        "key": KeyChoice("customer-managed", CMK),
        "replicas": (),
    }
    assert view.spelling == aws_classic.SPELLING
    assert one(on("aws:dynamodb/tableReplica:TableReplica", {})).key() is None
    moved = one(on("aws:dynamodb/tableReplica:TableReplica", {"region": "us-east-1"}))
    assert moved.location.region == "us-east-1"


# --- aws-native ----------------------------------------------------------------------------------


def test_native_table_view() -> None:
    table = on(
        "aws-native:dynamodb:Table",
        {
            "tableName": "orders",
            "billingMode": "PAY_PER_REQUEST",
            "sseSpecification": {"sseEnabled": True, "kmsMasterKeyId": CMK},
            "tags": [{"key": "Team", "value": "t"}],
            "region": "us-east-1",  # not an aws-native property: the provider's region counts
        },
    )
    view = one(table)
    assert fields(view) == {
        "label": "Table 't'",
        "kind": "table",
        "name": "orders",
        "location": Location(ACCOUNT, "eu-west-1", "aws-native"),
        "regions": frozenset({"eu-west-1"}),
        "match_urns": (table.urn,),
        "exempt_keys": ("t", table.urn),
        "remediable": True,
        "billing": "PAY_PER_REQUEST",
        "key": KeyChoice("customer-managed", CMK),
        "replicas": (),
    }
    assert view.spelling == aws_native.TABLE_SPELLING
    assert view.tags() == EffectiveTags({"Team": "t"}, source="tags list")
    arn = f"arn:aws:dynamodb:ap-south-1:{ACCOUNT}:table/orders"
    assert one(on("aws-native:dynamodb:Table", {"arn": arn})).location.region == "ap-south-1"


@pytest.mark.parametrize(
    ("sse", "key"),
    [
        (None, KeyChoice("aws-owned")),
        ({}, KeyChoice("aws-owned")),
        ({"sseEnabled": False, "kmsMasterKeyId": CMK}, KeyChoice("aws-owned")),
        ({"sseEnabled": "true"}, KeyChoice("aws-managed")),
        (
            {"sseEnabled": True, "kmsMasterKeyId": "alias/aws/dynamodb"},
            KeyChoice("aws-managed", "alias/aws/dynamodb"),
        ),
        ({"sseEnabled": True, "kmsMasterKeyId": UNKNOWN}, KeyChoice("customer-managed", UNKNOWN)),
        ({"sseEnabled": UNKNOWN}, None),
        (UNKNOWN, None),
    ],
)
def test_native_table_keys(sse: Any, key: KeyChoice | None) -> None:
    assert one(on("aws-native:dynamodb:Table", {"sseSpecification": sse})).key() == key


def test_native_global_table_view() -> None:
    table = on(
        "aws-native:dynamodb:GlobalTable",
        {
            "tableName": "orders",
            "billingMode": "PAY_PER_REQUEST",
            "sseSpecification": {"sseEnabled": True},
            "replicas": [
                {"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": CMK2}},
                {"region": "eu-west-1", "sseSpecification": {"kmsMasterKeyId": CMK}},
            ],
        },
    )
    view = one(table)
    assert fields(view) == {
        "label": "Global table 't'",
        "kind": "global-table",
        "name": "orders",
        "location": Location(ACCOUNT, "eu-west-1", "aws-native"),
        "regions": frozenset({"us-east-1", "eu-west-1"}),
        "match_urns": (table.urn,),
        "exempt_keys": ("t", table.urn),
        "remediable": False,
        "billing": "PAY_PER_REQUEST",
        "key": KeyChoice("customer-managed"),
        "replicas": (
            ReplicaView("replica in us-east-1", "us-east-1", KeyChoice("customer-managed", CMK2)),
            ReplicaView("replica in eu-west-1", "eu-west-1", KeyChoice("customer-managed", CMK)),
        ),
    }
    assert view.spelling == aws_native.GLOBAL_TABLE_SPELLING


@pytest.mark.parametrize(
    ("sse", "replicas", "key"),
    [
        ({"sseEnabled": False}, [{"region": "us-east-1"}], KeyChoice("aws-owned")),
        (None, [{"region": "us-east-1"}], KeyChoice("aws-owned")),
        ({"sseEnabled": True}, [], KeyChoice("aws-managed")),
        ({"sseEnabled": True}, [{"region": "us-east-1"}], KeyChoice("aws-managed")),
        (
            {"sseEnabled": True},
            [{"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": CMK}}, {"region": "eu-west-1"}],
            KeyChoice("aws-managed"),
        ),
        (
            {"sseEnabled": True},
            [{"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": "alias/aws/dynamodb"}}],
            KeyChoice("aws-managed"),
        ),
        ({"sseEnabled": True}, UNKNOWN, None),
        ({"sseEnabled": True}, [UNKNOWN], None),
        ({"sseEnabled": True}, [{"region": "us-east-1", "sseSpecification": UNKNOWN}], None),
        (
            {"sseEnabled": True},
            [{"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": UNKNOWN}}],
            None,
        ),
        ({"sseEnabled": UNKNOWN}, [], None),
    ],
)
def test_native_global_table_keys(sse: Any, replicas: Any, key: KeyChoice | None) -> None:
    view = one(on("aws-native:dynamodb:GlobalTable", {"sseSpecification": sse, "replicas": replicas}))
    assert view.key() == key


def test_native_global_table_regions_need_every_replica_region_but_not_its_own() -> None:
    def regions(replicas: Any, provider_props: Any = PROVIDER) -> Any:
        return one(on("aws-native:dynamodb:GlobalTable", {"replicas": replicas}, provider_props)).regions

    assert regions([{"region": "us-east-1"}], None) == frozenset({"us-east-1"})
    assert regions([{"region": "us-east-1"}, {"region": UNKNOWN}]) is None
    assert regions([{"region": "us-east-1"}, UNKNOWN]) is None
    assert regions([{"region": "us-east-1"}, "junk"]) == frozenset({"us-east-1", "eu-west-1"})
    assert regions(UNKNOWN) is None and regions("junk") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (UNKNOWN, UNKNOWN),
        ({"TableName": "t"}, {"TableName": "t"}),
        ([{"name": "TableName", "value": "t"}, {"name": 7, "value": "x"}, "junk"], {"TableName": "t"}),
        ([{"name": UNKNOWN, "value": "t"}], UNKNOWN),
        ([{"name": "TableName", "value": "t"}, UNKNOWN], UNKNOWN),
        ("junk", {}),
    ],
)
def test_native_alarm_dimensions(value: Any, expected: Any) -> None:
    assert aws_native.dimension_map(value) == expected


def test_other_types_have_no_table_views() -> None:
    for type_ in (
        "aws:dynamodb/globalTable:GlobalTable",
        "aws-native:dynamodb:Other",
        "aws:s3/bucket:Bucket",
    ):
        assert readers.table_views(on(type_, {})) == []
        assert aws_native.table_views(on(type_, {})) == [] and aws_classic.table_views(on(type_, {})) == []
        assert aws_native.alarm_views(on(type_, {})) == [] and aws_classic.alarm_views(on(type_, {})) == []
