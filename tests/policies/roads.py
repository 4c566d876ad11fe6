"""Resources in wire form for the roads to a table or an alarm: aws-native types, CloudFormation
stacks, providers. Shared by the policy tests of those forms."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from dynamodb_guardrails.model import Resource

NATIVE_TABLE = "aws-native:dynamodb:Table"
NATIVE_GLOBAL_TABLE = "aws-native:dynamodb:GlobalTable"
NATIVE_ALARM = "aws-native:cloudwatch:Alarm"
CLASSIC_TABLE = "aws:dynamodb/table:Table"
CLASSIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CFN_STACK = "aws:cloudformation/stack:Stack"
NATIVE_CFN_STACK = "aws-native:cloudformation:Stack"
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
TAGS = {"Environment": "dev", "Repository": "r", "Team": "t", "CostCenter": "c"}
TAG_LIST = [{"key": k, "value": v} for k, v in TAGS.items()]
CMK = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::p::{type_}::{name}"


def provider(package: str = "aws", **props: Any) -> Resource:
    """A provider; one URN per configuration, as in a real stack (a URN names one resource)."""
    type_ = f"pulumi:providers:{package}"
    name = "p-" + hashlib.sha256(repr(sorted(props.items(), key=str)).encode()).hexdigest()[:8]
    return Resource(type=type_, name=name, urn=urn(type_, name), props=props)


def resource(type_: str, logical: str, provider_: Resource | None = None, /, **props: Any) -> Resource:
    """A resource in wire form; `provider_` (see `provider`) is what the engine sends with it."""
    if provider_ is None:
        return Resource(type=type_, name=logical, urn=urn(type_, logical), props=props)
    return Resource(
        type=type_,
        name=logical,
        urn=urn(type_, logical),
        props=props,
        provider_props=provider_.props,
        provider_type=provider_.type,
        provider_urn=provider_.urn,
    )


def native_table(name: str = "orders", provider_: Resource | None = None, **props: Any) -> Resource:
    base: dict[str, Any] = {
        "tableName": name,
        "billingMode": "PAY_PER_REQUEST",
        "sseSpecification": {"sseEnabled": True},
        "keySchema": [{"attributeName": "id", "keyType": "HASH"}],
        "tags": TAG_LIST,
    }
    return resource(NATIVE_TABLE, f"{name}-table", provider_, **{**base, **props})


def native_global_table(name: str = "orders", provider_: Resource | None = None, **props: Any) -> Resource:
    base: dict[str, Any] = {
        "tableName": name,
        "billingMode": "PAY_PER_REQUEST",
        "sseSpecification": {"sseEnabled": True, "sseType": "KMS"},
        "replicas": [{"region": "us-east-1", "tags": TAG_LIST}, {"region": "eu-west-1", "tags": TAG_LIST}],
    }
    return resource(NATIVE_GLOBAL_TABLE, f"{name}-global", provider_, **{**base, **props})


def native_alarm(
    logical: str, metric: str, table: Any, provider_: Resource | None = None, **props: Any
) -> Resource:
    base: dict[str, Any] = {
        "namespace": "AWS/DynamoDB",
        "metricName": metric,
        "dimensions": [{"name": "TableName", "value": table}],
        "statistic": "Sum",
        "comparisonOperator": "GreaterThanThreshold",
        "threshold": 5,
        "evaluationPeriods": 1,
        "period": 60,
        "alarmActions": ["arn:aws:sns:us-east-1:123456789012:alarms"],
        "tags": TAG_LIST,
    }
    return resource(NATIVE_ALARM, logical, provider_, **{**base, **props})


def insights_query(metric: str, table: str, schema: str = "Operation, TableName") -> str:
    return f"SELECT SUM({metric}) FROM SCHEMA(\"AWS/DynamoDB\", {schema}) WHERE TableName = '{table}'"


def native_insights_alarm(logical: str, metric: str, table: str, **props: Any) -> Resource:
    return native_alarm(
        logical,
        metric,
        table,
        namespace=None,
        metricName=None,
        dimensions=None,
        statistic=None,
        metrics=[{"id": "q", "expression": insights_query(metric, table), "period": 60, "returnData": True}],
        **props,
    )


def classic_table(name: str = "events", provider_: Resource | None = None, **props: Any) -> Resource:
    base = {
        "name": name,
        "billingMode": "PAY_PER_REQUEST",
        "serverSideEncryption": {"enabled": True},
        "tags": TAGS,
    }
    return resource(CLASSIC_TABLE, f"{name}-dev", provider_, **{**base, **props})


def classic_alarm(
    logical: str, metric: str, table: Any, provider_: Resource | None = None, **props: Any
) -> Resource:
    base: dict[str, Any] = {
        "namespace": "AWS/DynamoDB",
        "metricName": metric,
        "dimensions": {"TableName": table},
        "statistic": "Sum",
        "comparisonOperator": "GreaterThanThreshold",
        "threshold": 5,
        "alarmActions": ["arn:aws:sns:us-east-1:123456789012:alarms"],
        "tags": TAGS,
    }
    return resource(CLASSIC_ALARM, logical, provider_, **{**base, **props})


def working_native_alarms(table: str, provider_: Resource | None = None) -> list[Resource]:
    """A SystemErrors (Metrics Insights) and a throttling alarm on `table`: what the policy requires."""
    return [
        native_insights_alarm(f"{table}-system-errors", "SystemErrors", table, provider_=provider_),
        native_alarm(f"{table}-read-throttle", "ReadThrottleEvents", table, provider_),
    ]


def stack(body: Any, name: str = "cfn", type_: str = CFN_STACK, **props: Any) -> Resource:
    """A tagged CloudFormation stack resource; `body` is a template (a dict: dumped to JSON for the
    classic stack, an object for aws-native's) or its text. Props given override the defaults."""
    text = json.dumps(body) if isinstance(body, dict) and type_ == CFN_STACK else body
    tags: dict[str, Any] = {"tags": TAGS, "tagsAll": TAGS} if type_ == CFN_STACK else {"tags": TAG_LIST}
    return resource(type_, name, props.pop("provider_", None), **{"templateBody": text, **tags, **props})


def template(**resources: dict[str, Any]) -> dict[str, Any]:
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def cfn_table(**properties: Any) -> dict[str, Any]:
    base = {
        "TableName": "orders",
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"SSEEnabled": True},
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "Tags": [{"Key": k, "Value": v} for k, v in TAGS.items()],
    }
    return {"Type": "AWS::DynamoDB::Table", "Properties": {**base, **properties}}


def cfn_alarm(metric: str, table: Any, **properties: Any) -> dict[str, Any]:
    base = {
        "Namespace": "AWS/DynamoDB",
        "MetricName": metric,
        "Dimensions": [{"Name": "TableName", "Value": table}],
        "Statistic": "Sum",
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": 5,
        "EvaluationPeriods": 1,
        "Period": 60,
        "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:alarms"],
        "Tags": [{"Key": k, "Value": v} for k, v in TAGS.items()],
    }
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {**base, **properties}}


def cfn_insights_alarm(metric: str, table: str) -> dict[str, Any]:
    alarm = cfn_alarm(metric, table)
    for key in ("Namespace", "MetricName", "Dimensions", "Statistic"):
        del alarm["Properties"][key]
    alarm["Properties"]["Metrics"] = [
        {"Id": "q", "Expression": insights_query(metric, table), "Period": 60, "ReturnData": True}
    ]
    return alarm
