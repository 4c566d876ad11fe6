"""AWS-managed policies that grant DynamoDB far more than a workload needs, and why.

A resource policy sees an attachment's ARN, not the managed policy's document, so the pack keeps
what those documents grant here. Contents checked 2026-11-28 against the policy documents
published in iann0036/iam-dataset (aws/managedpolicies/*.json, a daily copy of the AWS managed
policies) and the AWS Managed Policy Reference,
https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
(AdministratorAccess and PowerUserAccess: the reference's documents, `*` on `*` and NotAction
iam/organizations/account on `*`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

SOURCE_URL: Final = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html"

# arn:<partition>:iam::aws:policy/[path/]Name - only AWS-managed policies have account "aws".
_AWS_MANAGED_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")


@dataclass(frozen=True)
class BroadPolicy:
    name: str
    why: str


BROAD_POLICIES: Final[Mapping[str, BroadPolicy]] = {
    p.name: p
    for p in (
        BroadPolicy(
            "AdministratorAccess", "allows every action of every service on every resource ('*' on '*')"
        ),
        BroadPolicy(
            "PowerUserAccess",
            "allows every action except IAM/Organizations/Account management (NotAction) on every resource",
        ),
        BroadPolicy(
            "AmazonDynamoDBFullAccess",
            "allows dynamodb:* and dax:* on every table, plus iam:PassRole on '*'",
        ),
        BroadPolicy("AmazonDynamoDBFullAccess_v2", "allows dynamodb:* and dax:* on every table"),
        BroadPolicy(
            "AmazonDynamoDBFullAccesswithDataPipeline",
            "allows dynamodb:*, datapipeline:*, lambda:* and S3 reads/writes on every resource",
        ),
        BroadPolicy(
            "AmazonDynamoDBReadOnlyAccess",
            "allows reading every item of every table (GetItem, Query, Scan, ... on '*')",
        ),
        BroadPolicy(
            "AWSLambdaDynamoDBExecutionRole",
            "allows reading the streams of every table (GetRecords, GetShardIterator on '*')",
        ),
        BroadPolicy(
            "AWSLambdaInvocation-DynamoDB",
            "allows reading the streams of every table and invoking every Lambda function",
        ),
    )
}


def managed_policy_name(arn: Any) -> str | None:
    """The policy name of an AWS-managed policy ARN; None for customer policies or non-ARNs."""
    if not isinstance(arn, str):
        return None
    match = _AWS_MANAGED_ARN.match(arn.strip())
    return match.group("name") if match else None


def broad_policy(arn: Any) -> BroadPolicy | None:
    name = managed_policy_name(arn)
    return BROAD_POLICIES.get(name) if name is not None else None
