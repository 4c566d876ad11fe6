"""AWS-managed policies that grant DynamoDB too much: which ARNs name one, and how the message says
what it allows."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb_guardrails.managed_policies import (
    BROAD_POLICIES,
    broad_policy,
    broad_reason,
    managed_policy_name,
)


@pytest.mark.parametrize(
    ("levels", "count", "examples", "reason"),
    [
        (
            ("admin", "write", "read"),
            57,
            ("CreateTable", "DeleteTable"),
            "allows DynamoDB admin actions, item writes and item reads on every table "
            "(57 table actions: CreateTable, DeleteTable, ...)",
        ),
        (
            ("write", "read"),
            2,
            ("GetItem", "PutItem"),
            "allows item writes and item reads on every table (2 table actions: GetItem, PutItem)",
        ),
        (("read",), 1, ("GetItem",), "allows item reads on every table (1 table action: GetItem)"),
        (("read", "tagging"), 1, ("GetItem",), "allows item reads on every table (1 table action: GetItem)"),
    ],
)
def test_why_a_policy_is_broad_reads_as_one_sentence(
    levels: tuple[str, ...], count: int, examples: tuple[str, ...], reason: str
) -> None:
    assert broad_reason(levels, count, examples) == reason


def test_the_dynamodb_full_access_policy_is_broad_by_any_arn_spelling() -> None:
    full = BROAD_POLICIES["AmazonDynamoDBFullAccess"]
    assert full.why.startswith("allows DynamoDB admin actions, item writes and item reads on every table (")
    for arn in (
        "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
        " arn:aws-us-gov:iam::aws:policy/AmazonDynamoDBFullAccess ",
        "arn:aws:iam::aws:policy/service-role/AmazonDynamoDBFullAccess",
    ):
        assert broad_policy(arn) == full


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::111122223333:policy/AmazonDynamoDBFullAccess",  # a customer's own policy
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",  # AWS-managed, grants no DynamoDB
        "AmazonDynamoDBFullAccess",
        None,
        7,
    ],
)
def test_customer_policies_unrelated_policies_and_junk_are_not_broad_managed_policies(arn: Any) -> None:
    assert broad_policy(arn) is None


def test_the_policy_name_is_the_last_path_segment_of_an_aws_managed_arn() -> None:
    assert managed_policy_name("arn:aws:iam::aws:policy/job-function/DatabaseAdministrator") == (
        "DatabaseAdministrator"
    )
    assert managed_policy_name("arn:aws:iam::aws:policy/") is None
