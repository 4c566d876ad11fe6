"""The checked-in list of taggable types names what it should (tests/test_generated_files.py checks it
is current with the pinned pulumi-aws; test_aws_native_currency.py that the pack never imports it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dynamodb_guardrails import taggable_types

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_the_pinned_pulumi_aws() -> None:
    from importlib.metadata import version

    assert version("pulumi-aws") == taggable_types.PULUMI_AWS_VERSION


@pytest.mark.parametrize(
    "kind",
    [
        "aws:dynamodb/table:Table",
        "aws:dynamodb/tableReplica:TableReplica",
        "aws:iam/role:Role",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:sns/topic:Topic",
        "aws:s3/bucket:Bucket",
        "aws:kms/key:Key",
    ],
)
def test_obvious_taggable_types_are_listed(kind: str) -> None:
    assert kind in taggable_types.TAGGABLE_TYPES


@pytest.mark.parametrize(
    "kind",
    [
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        # pulumi-aws 7.51.1: ContributorInsights has no tags input.
        "aws:dynamodb/contributorInsights:ContributorInsights",
        # `tags` there is a filter, not the resource's tags.
        "aws:devopsguru/resourceCollection:ResourceCollection",
        # The provider itself takes defaultTags, not tags.
        "pulumi:providers:aws",
    ],
)
def test_untaggable_types_are_not_listed(kind: str) -> None:
    assert kind not in taggable_types.TAGGABLE_TYPES | taggable_types.TAG_LIST_TYPES


def test_autoscaling_groups_are_listed_with_their_tag_list() -> None:
    assert {"aws:autoscaling/group:Group"} == taggable_types.TAG_LIST_TYPES
