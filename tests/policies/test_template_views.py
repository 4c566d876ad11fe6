"""The views readers/__init__.py hands the table and alarm rules: which reader reads which form,
and how a table or alarm of an embedded CloudFormation template is presented - reported on the
stack, named by logical id, spelled as CloudFormation spells the fix, matched and exempted by the
stack and the logical id, never remediated."""

from __future__ import annotations

from typing import Any

from dynamodb_guardrails import readers
from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.views.tables import Spelling
from tests.policies.roads import (
    cfn_alarm,
    cfn_table,
    classic_alarm,
    classic_table,
    native_alarm,
    native_global_table,
    native_table,
    resource,
    stack,
    template,
)

IN_STACK = "in the template of CloudFormation stack 'cfn'"


def global_table() -> dict[str, Any]:
    table = cfn_table(Replicas=[{"Region": "us-east-1"}])
    table["Type"] = "AWS::DynamoDB::GlobalTable"
    return table


HOST = stack(
    template(
        Orders=cfn_table(),
        Global=global_table(),
        Throttle=cfn_alarm("ReadThrottleEvents", {"Ref": "Orders"}),
        Bucket={"Type": "AWS::S3::Bucket", "Properties": {}},
    )
)


def urn_of(logical_id: str) -> str:
    return f"{HOST.urn}$cloudformation:{logical_id}"


def test_template_tables_are_reported_on_the_stack_with_cloudformation_spelling() -> None:
    orders, global_ = readers.table_views(HOST)
    assert (orders.source, global_.source) == (HOST, HOST)
    assert orders.label == f"Table 'Orders' (AWS::DynamoDB::Table) {IN_STACK}"
    assert global_.label == f"Global table 'Global' (AWS::DynamoDB::GlobalTable) {IN_STACK}"
    assert orders.spelling == Spelling(
        billing="BillingMode",
        capacity="ProvisionedThroughput (also on GlobalSecondaryIndexes)",
        enable_sse="SSESpecification.SSEEnabled to true",
        table_key="SSESpecification.KMSMasterKeyId",
        replica_key="SSESpecification.KMSMasterKeyId",
    )
    assert global_.spelling == Spelling(
        billing="BillingMode",
        capacity="WriteProvisionedThroughputSettings and the replicas' ReadProvisionedThroughputSettings",
        enable_sse="SSESpecification.SSEEnabled to true",
        table_key="Replicas[].SSESpecification.KMSMasterKeyId on every replica",
        replica_key="Replicas[].SSESpecification.KMSMasterKeyId",
    )
    assert orders.match_urns == (urn_of("Orders"), HOST.urn)
    assert global_.match_urns == (urn_of("Global"), HOST.urn)
    assert orders.exempt_keys == ("cfn", HOST.urn, "cfn/Orders")
    assert global_.exempt_keys == ("cfn", HOST.urn, "cfn/Global")
    assert (orders.remediable, global_.remediable) == (False, False)
    assert (orders.name, orders.billing()) == ("orders", "PAY_PER_REQUEST")


def test_template_alarms_are_reported_on_the_stack_with_cloudformation_property_names() -> None:
    [alarm] = readers.alarm_views(HOST)
    assert alarm.source == HOST
    assert alarm.label == f"Alarm 'Throttle' (AWS::CloudWatch::Alarm) {IN_STACK}"
    assert alarm.exempt_keys == ("cfn", HOST.urn, "cfn/Throttle")
    assert (alarm.actions_property, alarm.enabled_property) == ("AlarmActions", "ActionsEnabled")
    assert alarm.record is not None and alarm.record.urn == urn_of("Throttle")
    assert alarm.depends_on() == (urn_of("Orders"),)


def test_a_stack_policy_reads_a_template_once_for_both() -> None:
    tables, alarms = readers.stack_views(HOST)
    assert [t.label for t in tables] == [t.label for t in readers.table_views(HOST)]
    assert [a.label for a in alarms] == [a.label for a in readers.alarm_views(HOST)]
    unknown = stack(UNKNOWN)
    assert readers.stack_views(unknown) == ([], [])
    assert readers.table_views(unknown) == [] and readers.alarm_views(unknown) == []
    assert readers.template_expansion(unknown) is not None


def test_each_form_is_read_by_its_own_reader() -> None:
    replica = resource("aws:dynamodb/tableReplica:TableReplica", "r", None, globalTableArn="arn", tags={})
    for table, label, kind, capacity in (
        (classic_table(), "Table 'events-dev'", "table", "readCapacity/writeCapacity"),
        (
            native_table(),
            "Table 'orders-table'",
            "table",
            "provisionedThroughput (also on globalSecondaryIndexes)",
        ),
        (
            native_global_table(),
            "Global table 'orders-global'",
            "global-table",
            "writeProvisionedThroughputSettings and the replicas' readProvisionedThroughputSettings",
        ),
        (replica, "Table replica 'r'", "table-replica", "readCapacity/writeCapacity"),
    ):
        [view] = readers.table_views(table)
        assert (view.source, view.label, view.kind, view.spelling.capacity) == (table, label, kind, capacity)
        [[again], alarms] = readers.stack_views(table)
        assert (again.label, again.kind, alarms) == (label, kind, [])
        assert readers.alarm_views(table) == []
    for alarm in (classic_alarm("a", "SystemErrors", "events"), native_alarm("n", "SystemErrors", "orders")):
        [view] = readers.alarm_views(alarm)
        expected = [("SystemErrors", "orders" if alarm.name == "n" else "events")]
        assert view.source == alarm and [(m.metric, m.table) for m in view.metrics()] == expected
        tables, [again] = readers.stack_views(alarm)
        assert tables == [] and [(m.metric, m.table) for m in again.metrics()] == expected
        assert readers.table_views(alarm) == []
    bucket = resource("aws:s3/bucket:Bucket", "b", None)
    assert readers.stack_views(bucket) == ([], []) and readers.template_expansion(bucket) is None
