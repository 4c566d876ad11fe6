"""Per table, a read role and a write role that Lambda functions assume, least privilege."""

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


@dataclass(frozen=True)
class TableRoles:
    read: aws.iam.Role
    write: aws.iam.Role


def _role_with_policy(
    parent: pulumi.Resource,
    spec: TableSpec,
    args: DynamoDbStackArgs,
    access: str,
    access_level: str,
    policy: pulumi.Output[str],
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
        naming.role_policy_name(spec, access, args.environment),
        aws.iam.RolePolicyArgs(role=role.id, policy=policy),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return role


def create_access_roles(
    parent: pulumi.Resource, spec: TableSpec, table: aws.dynamodb.Table, args: DynamoDbStackArgs
) -> TableRoles:
    return TableRoles(
        read=_role_with_policy(parent, spec, args, "read", READ_ONLY, table.arn.apply(read_policy_document)),
        write=_role_with_policy(
            parent, spec, args, "write", READ_WRITE, table.arn.apply(write_policy_document)
        ),
    )
