"""Resources as a policy sees them (plain props, wire names), one builder per resource type.

Every builder takes the logical name first (positional: `name=` is the physical-name property)
and the properties as keyword arguments, exactly as the engine sends them (camelCase), nothing
else: a test says every property that matters to it. `depends_on` / `property_dependencies` are
the graph edges stack policies see.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from dynamodb_guardrails.model import Resource
from dynamodb_guardrails.readers.aws_native import ALARM as NATIVE_ALARM
from dynamodb_guardrails.readers.aws_native import GLOBAL_TABLE as NATIVE_GLOBAL_TABLE
from dynamodb_guardrails.readers.aws_native import TABLE as NATIVE_TABLE
from dynamodb_guardrails.resource_types import (
    CLOUDFORMATION_STACK,
    DYNAMODB_TABLE,
    DYNAMODB_TABLE_REPLICA,
    IAM_POLICY,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
    METRIC_ALARM,
    SNS_TOPIC,
)

STACK, PROJECT = "dev", "p"
ACCOUNT, REGION = "123456789012", "us-east-1"
# Tags that satisfy required-tags' default config.
TAGS = {"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"}


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def resource(
    type_: str,
    logical_name: str,
    /,
    *,
    depends_on: Sequence[str] = (),
    property_dependencies: Mapping[str, Sequence[str]] | None = None,
    **props: Any,
) -> Resource:
    return Resource(
        type=type_,
        name=logical_name,
        urn=urn(type_, logical_name),
        props=props,
        dependencies=tuple(depends_on),
        property_dependencies={k: tuple(v) for k, v in (property_dependencies or {}).items()},
    )


def table(logical_name: str = "events", /, **props: Any) -> Resource:
    return resource(DYNAMODB_TABLE, logical_name, **props)


def native_table(logical_name: str = "orders", /, **props: Any) -> Resource:
    """An aws-native dynamodb Table (CloudFormation semantics, `[{key, value}]` tags)."""
    return resource(NATIVE_TABLE, logical_name, **props)


def native_global_table(logical_name: str = "orders-global", /, **props: Any) -> Resource:
    return resource(NATIVE_GLOBAL_TABLE, logical_name, **props)


def native_alarm(logical_name: str, /, **props: Any) -> Resource:
    return resource(NATIVE_ALARM, logical_name, **props)


def cfn_stack(
    logical_name: str = "cfn", /, template: Mapping[str, Any] | None = None, **props: Any
) -> Resource:
    """An aws:cloudformation/stack:Stack; `template` is dumped to JSON as its templateBody."""
    if template is not None:
        props["templateBody"] = json.dumps(template)
    return resource(CLOUDFORMATION_STACK, logical_name, **props)


def tag_list(tags: Mapping[str, str] = TAGS) -> list[dict[str, str]]:
    """Tags as aws-native and CloudFormation write them."""
    return [{"key": k, "value": v} for k, v in tags.items()]


def table_replica(logical_name: str = "events-replica", /, **props: Any) -> Resource:
    return resource(DYNAMODB_TABLE_REPLICA, logical_name, **props)


def alarm(logical_name: str, /, **props: Any) -> Resource:
    return resource(METRIC_ALARM, logical_name, **props)


def topic(logical_name: str = "alarms", /, **props: Any) -> Resource:
    return resource(SNS_TOPIC, logical_name, **props)


def role(logical_name: str, /, **props: Any) -> Resource:
    return resource(IAM_ROLE, logical_name, **props)


def role_policy(logical_name: str, /, **props: Any) -> Resource:
    return resource(IAM_ROLE_POLICY, logical_name, **props)


def iam_policy(logical_name: str, /, **props: Any) -> Resource:
    return resource(IAM_POLICY, logical_name, **props)


def role_policy_attachment(logical_name: str, /, **props: Any) -> Resource:
    return resource(IAM_ROLE_POLICY_ATTACHMENT, logical_name, **props)


# --- property values --------------------------------------------------------------------------


def table_arn(table_name: str) -> str:
    return f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table_name}"


def topic_arn(topic_name: str = "alarms") -> str:
    return f"arn:aws:sns:{REGION}:{ACCOUNT}:{topic_name}"


def kms_key_arn(key_id: str = "1111aaaa-22bb-33cc-44dd-555555eeeeee", region: str = REGION) -> str:
    return f"arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}"


def policy_document(*statements: Mapping[str, Any]) -> str:
    """An IAM policy document as the stack builds it: a JSON string."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions: str | Sequence[str], resources: str | Sequence[str]) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def insights_query(metric: str, table_name: str) -> str:
    """A Metrics Insights query on one table's metric, summed over operations."""
    return (
        f'SELECT SUM({metric}) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
        f"WHERE TableName = '{table_name}'"
    )
