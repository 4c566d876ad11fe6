"""Per table, a read role and a write role that Lambda functions assume, least privilege; for a table
with a stream, also a stream-consumer role (a Lambda event source mapping reads the stream)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from dynamodb_stack import naming
from dynamodb_stack.args import DynamoDbStackArgs
from dynamodb_stack.specs import TableSpec
from dynamodb_stack.tags import ACCESS_LEVEL_TAG, READ_ONLY, READ_WRITE

READ_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
)
WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
# What Lambda's event source mapping calls on a DynamoDB stream (AWSLambdaDynamoDBExecutionRole).
# The three can be scoped to the table's streams (resource type `stream`); ListStreams has no
# resource type in the Service Authorization Reference, so IAM only grants it on "*".
STREAM_ACTIONS = (
    "dynamodb:DescribeStream",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
)
LIST_STREAMS_ACTION = "dynamodb:ListStreams"

LAMBDA_ASSUME_ROLE_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def read_policy_document(table_arn: str) -> str:
    # Queries on indexes need the index ARNs too.
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": list(READ_ACTIONS),
                    "Resource": [table_arn, f"{table_arn}/index/*"],
                }
            ],
        }
    )


def write_policy_document(table_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(WRITE_ACTIONS), "Resource": table_arn}],
        }
    )


def stream_policy_document(table_arn: str) -> str:
    # `<table ARN>/stream/*`: every stream the table has had (a stream's label changes when the
    # stream is turned off and on again).
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": list(STREAM_ACTIONS), "Resource": f"{table_arn}/stream/*"},
                {"Effect": "Allow", "Action": LIST_STREAMS_ACTION, "Resource": "*"},
            ],
        }
    )


@dataclass(frozen=True)
class TableRoles:
    read: aws.iam.Role
    write: aws.iam.Role
    stream: aws.iam.Role | None = None  # only for a table with a stream


def _role_with_policy(
    parent: pulumi.Resource,
    spec: TableSpec,
    args: DynamoDbStackArgs,
    access: str,
    access_level: str,
    policy: pulumi.Output[str],
    policy_name: str | None = None,
) -> aws.iam.Role:
    role = aws.iam.Role(
        naming.role_name(spec, access, args.environment),
        aws.iam.RoleArgs(
            name=naming.role_name(spec, access, args.iam_name_suffix),
            assume_role_policy=LAMBDA_ASSUME_ROLE_POLICY,
            tags=args.tags.with_extra(**{ACCESS_LEVEL_TAG: access_level}),
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    aws.iam.RolePolicy(
        policy_name or naming.role_policy_name(spec, access, args.environment),
        aws.iam.RolePolicyArgs(role=role.id, policy=policy),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return role


def create_access_roles(
    parent: pulumi.Resource, spec: TableSpec, table: aws.dynamodb.Table, args: DynamoDbStackArgs
) -> TableRoles:
    read = _role_with_policy(parent, spec, args, "read", READ_ONLY, table.arn.apply(read_policy_document))
    write = _role_with_policy(parent, spec, args, "write", READ_WRITE, table.arn.apply(write_policy_document))
    stream = None
    if spec.stream_enabled:
        stream = _role_with_policy(
            parent,
            spec,
            args,
            "stream",
            READ_ONLY,
            table.arn.apply(stream_policy_document),
            # RolePolicy has no tags: "read" in its name is what tells the pack it is read-only.
            policy_name=naming.role_policy_name(spec, "stream-read", args.environment),
        )
    return TableRoles(read=read, write=write, stream=stream)
