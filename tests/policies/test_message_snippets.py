"""Every copy-paste code snippet a policy shows is valid Python.

Snippets in messages (and in a policy's description and remediation steps) are written between
backticks; this drives every rule with inputs that produce each kind of message, extracts every
backticked span and parses it with `ast`. Code-looking text outside backticks (`name=[...`, `name(...)`) is a
finding too: a snippet the reader cannot tell from prose is a snippet nobody checked.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from dynamodb_guardrails.config import defaults, resolve_config
from dynamodb_guardrails.model import PolicyMeta, Resource
from dynamodb_guardrails.rules import (
    alarm_actions,
    billing_mode,
    cloudformation_templates,
    encryption,
    iam_least_privilege,
    required_tags,
    table_alarms,
)

TABLE = "aws:dynamodb/table:Table"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
CMK = {"minimumKeyLevel": "customer-managed"}
KEY = "arn:aws:kms:us-east-1:123456789012:key/k"
RULES = (
    alarm_actions,
    billing_mode,
    cloudformation_templates,
    encryption,
    iam_least_privilege,
    required_tags,
    table_alarms,
)
NATIVE_TABLE = "aws-native:dynamodb:Table"
NATIVE_ALARM = "aws-native:cloudwatch:Alarm"
CFN_STACK = "aws:cloudformation/stack:Stack"
# A template with a provisioned, unencrypted, untagged table and an alarm without actions.
TEMPLATE = json.dumps(
    {
        "Resources": {
            "Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PROVISIONED"}},
            "Quiet": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"Namespace": "AWS/DynamoDB", "MetricName": "UserErrors", "AlarmActions": []},
            },
            "Later": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {"BillingMode": {"Fn::ImportValue": "x"}},
            },
        }
    }
)
SNIPPET = re.compile(r"`([^`]+)`")
# Code outside backticks: a keyword argument taking a list/dict/call, or a dotted call.
UNMARKED_CODE = re.compile(r"\b[A-Za-z_]\w*=[\[{(]|\b[A-Za-z_]\w*\.[A-Za-z_][\w.]*\(")


def res(type_: str, logical: str, **props: Any) -> Resource:
    return Resource(type=type_, name=logical, urn=f"urn:pulumi:dev::p::{type_}::{logical}", props=props)


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def config(rule: Any, **overrides: Any) -> dict[str, Any]:
    return resolve_config(rule.META.config_schema, overrides)


def resource_messages() -> Iterator[tuple[str, str]]:
    cases: list[tuple[Any, Resource, dict[str, Any]]] = [
        (billing_mode, res(TABLE, "t"), {}),
        (billing_mode, res(TABLE, "t", billingMode="PROVISIONED"), {}),
        (billing_mode, res(TABLE, "t", billingMode="junk"), {}),
        (encryption, res(TABLE, "t"), {}),
        (
            encryption,
            res(TABLE, "t", serverSideEncryption={"enabled": True}),
            {"minimumKeyLevel": "customer-managed"},
        ),
        (
            encryption,
            res(
                TABLE,
                "t",
                serverSideEncryption={
                    "enabled": True,
                    "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k",
                },
                replicas=[{"regionName": "eu-west-1"}],
            ),
            {
                "minimumKeyLevel": "customer-managed",
                "allowedKmsKeyArns": ["arn:aws:kms:*:999999999999:key/*"],
            },
        ),
        (
            encryption,
            res("aws:dynamodb/tableReplica:TableReplica", "r"),
            {"minimumKeyLevel": "customer-managed"},
        ),
        (required_tags, res(TABLE, "t", tags={"environment": "dev"}), {}),
        (
            required_tags,
            res(TABLE, "t", tags={"Environment": "qa"}),
            {"allowedValues": {"Environment": ["dev"]}},
        ),
        (required_tags, res("aws:autoscaling/group:Group", "g", tags=[]), {}),
        (alarm_actions, res(ALARM, "a", namespace="AWS/DynamoDB", metricName="ReadThrottleEvents"), {}),
        (
            alarm_actions,
            res(ALARM, "a", namespace="AWS/DynamoDB", metricName="ReadThrottleEvents", actionsEnabled=False),
            {},
        ),
        (
            iam_least_privilege,
            res(
                "aws:iam/rolePolicy:RolePolicy",
                "dynamodb-t-read-policy-dev",
                role="r",
                policy=doc(
                    {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
                    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
                ),
            ),
            {},
        ),
        (iam_least_privilege, res("aws:iam/rolePolicy:RolePolicy", "p", role="r", policy="not json"), {}),
        (
            iam_least_privilege,
            res(
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "att",
                role="r",
                policyArn="arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
            ),
            {},
        ),
        # the other roads: aws-native resources, CloudFormation templates
        (billing_mode, res(NATIVE_TABLE, "n"), {}),
        (encryption, res(NATIVE_TABLE, "n", sseSpecification={"sseEnabled": True}), CMK),
        (required_tags, res(NATIVE_TABLE, "n", tags=[{"key": "team", "value": "x"}]), {}),
        (alarm_actions, res(NATIVE_ALARM, "a", namespace="AWS/DynamoDB", metricName="UserErrors"), {}),
        (billing_mode, res(CFN_STACK, "cfn", templateBody=TEMPLATE), {}),
        (encryption, res(CFN_STACK, "cfn", templateBody=TEMPLATE), {}),
        (required_tags, res(CFN_STACK, "cfn", templateBody=TEMPLATE), {}),
        (alarm_actions, res(CFN_STACK, "cfn", templateBody=TEMPLATE), {}),
        (cloudformation_templates, res(CFN_STACK, "cfn", templateBody=TEMPLATE), {}),
        (cloudformation_templates, res(CFN_STACK, "cfn", templateUrl="https://b.s3.amazonaws.com/t"), {}),
    ]
    for rule, resource, overrides in cases:
        violations = rule.check(resource, config(rule, **overrides))
        assert violations, f"{rule.META.name}: the case {resource.props} should produce a message"
        for violation in violations:
            yield rule.META.name, violation.message


def stack_messages() -> Iterator[tuple[str, str]]:
    resources = [
        res(TABLE, "t", name="events-dev"),
        res(ALARM, "dead", namespace="AWS/DynamoDB", metricName="UserErrors", dimensions={"TableName": "x"}),
    ]
    violations = table_alarms.check_stack(resources, defaults(table_alarms.META.config_schema))
    assert len(violations) == 2, violations
    for violation in violations:
        yield table_alarms.META.name, violation.message
    # The other roads: a native table, a template, alarms dead by region, case and comparison.
    west = {
        "provider_props": {"region": "us-west-2"},
        "provider_type": "pulumi:providers:aws",
        "provider_urn": "w",
    }
    others = [
        res(NATIVE_TABLE, "n", tableName="orders"),
        res(CFN_STACK, "cfn", templateBody=TEMPLATE),
        Resource(
            type=ALARM,
            name="far",
            urn=f"urn:pulumi:dev::p::{ALARM}::far",
            props={
                "namespace": "AWS/DynamoDB",
                "metricName": "ReadThrottleEvents",
                "dimensions": {"TableName": "t2"},
            },
            **west,
        ),
        res(TABLE, "t2", name="t2", region="us-east-1"),
        res(
            ALARM,
            "case",
            namespace="aws/dynamodb",
            metricName="ReadThrottleEvents",
            dimensions={"TableName": "t2"},
        ),
        res(
            ALARM,
            "never",
            namespace="AWS/DynamoDB",
            metricName="ReadThrottleEvents",
            dimensions={"TableName": "t2"},
            comparisonOperator="LessThanThreshold",
            threshold=0,
        ),
    ]
    violations = table_alarms.check_stack(others, defaults(table_alarms.META.config_schema))
    assert len(violations) >= 6, violations
    for violation in violations:
        yield table_alarms.META.name, violation.message


def meta_texts(meta: PolicyMeta) -> Iterator[tuple[str, str]]:
    # What the CLI shows with a finding. (Config schema descriptions document JSON config values,
    # where backticks quote literals such as `*`: not Python, so not scanned.)
    yield meta.name, meta.description
    yield meta.name, meta.remediation_steps


ALL_TEXTS = [
    *resource_messages(),
    *stack_messages(),
    *(text for rule in RULES for text in meta_texts(rule.META)),
]


@pytest.mark.parametrize(("where", "text"), ALL_TEXTS, ids=[w for w, _ in ALL_TEXTS])
def test_every_snippet_is_valid_python_and_marked(where: str, text: str) -> None:
    for snippet in SNIPPET.findall(text):
        try:
            ast.parse(snippet)
        except SyntaxError as error:
            pytest.fail(f"{where}: snippet {snippet!r} is not valid Python: {error}")
    prose = SNIPPET.sub("", text)
    assert not UNMARKED_CODE.search(prose), f"{where}: code outside backticks in {text!r}"


def test_the_alarms_message_suggests_a_metrics_insights_query_that_python_accepts() -> None:
    [missing] = [
        m for p, m in stack_messages() if "Table 't'" in m and "has no working CloudWatch alarm" in m
    ]
    [snippet] = [s for s in SNIPPET.findall(missing) if "metric_queries" in s]
    tree = ast.parse(snippet)
    # metric_queries=[{...}]: the query is one string, with its own quotes intact.
    [assign] = tree.body
    assert isinstance(assign, ast.Assign)
    [query] = ast.literal_eval(assign.value)
    assert query["expression"] == (
        'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
        "WHERE TableName = 'events-dev'"
    )
    assert query["return_data"] is True
