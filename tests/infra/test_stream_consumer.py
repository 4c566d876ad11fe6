"""A table with a stream gets a least-privilege stream-consumer role for Lambda; the pack judges it
read-only and finds nothing wrong with it."""

from __future__ import annotations

import json
from typing import Any

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import Resource
from dynamodb_guardrails.rules import iam_least_privilege, required_tags
from dynamodb_stack import parse_stack_args
from tests.infra.harness import ROLE, ROLE_POLICY, StackRun, policy_document, run_stack

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/{}"
IAM_CONFIG = defaults(iam_least_privilege.META.config_schema)
TAGS_CONFIG = defaults(required_tags.META.config_schema)


def as_resource(run: StackRun, name: str) -> Resource:
    registered = run.named(name)
    return Resource(type=registered.type, name=registered.name, urn=registered.urn, props=registered.inputs)


def stream_policy(run: StackRun) -> Any:
    return run.named("dynamodb-events-stream-read-policy-dev")


def test_only_the_table_with_a_stream_gets_a_stream_consumer_role(default_run: StackRun) -> None:
    streams = [r for r in default_run.of_type(ROLE) if "-stream-" in r.name]
    assert [r.inputs["name"] for r in streams] == ["dynamodb-events-stream-role-dev"]
    [role] = streams
    assume = json.loads(role.inputs["assumeRolePolicy"])
    assert assume["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert role.inputs["tags"] == {
        "Environment": "dev",
        "Repository": "iac-test-automations",
        "Team": "data-analytics",
        "CostCenter": "engineering",
        "AccessLevel": "read-only",
    }


def test_the_stream_policy_reads_the_tables_streams_and_lists_streams_on_star(default_run: StackRun) -> None:
    policy = stream_policy(default_run)
    assert policy.inputs["role"] == "dynamodb-events-stream-role-dev"
    assert [r.name for r in default_run.by_urn(policy.property_dependencies["policy"])] == ["events-dev"]
    assert policy_document(policy)["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
            "Resource": ARN.format("events-dev") + "/stream/*",
        },
        # ListStreams has no resource type: IAM only grants it on "*".
        {"Effect": "Allow", "Action": "dynamodb:ListStreams", "Resource": "*"},
    ]


def test_the_pack_judges_the_stream_role_and_policy_read_only_and_clean(default_run: StackRun) -> None:
    role = as_resource(default_run, "dynamodb-events-stream-role-dev")
    policy = as_resource(default_run, "dynamodb-events-stream-read-policy-dev")
    assert iam_least_privilege.check(role, IAM_CONFIG) == []
    assert iam_least_privilege.check(policy, IAM_CONFIG) == []
    assert required_tags.check(role, TAGS_CONFIG) == []
    # Read-only for the pack: a write slipped into either is a finding.
    document = json.loads(policy.props["policy"])
    document["Statement"][0]["Action"].append("dynamodb:PutItem")
    widened = Resource(policy.type, policy.name, policy.urn, {**policy.props, "policy": json.dumps(document)})
    [finding] = iam_least_privilege.check(widened, IAM_CONFIG)
    assert "read-only" in finding.message and "PutItem" in finding.message
    inline = {**role.props, "inlinePolicies": [{"name": "x", "policy": json.dumps(document)}]}
    [finding] = iam_least_privilege.check(Resource(role.type, role.name, role.urn, inline), IAM_CONFIG)
    assert "AccessLevel=read-only" in finding.message


def test_the_stream_role_follows_the_iam_naming_rule() -> None:
    run = run_stack(parse_stack_args({"env": "prod"}, {}, region="eu-west-1"))
    [role] = [r for r in run.of_type(ROLE) if "-stream-" in r.name]
    assert role.name == "dynamodb-events-stream-role-prod"
    assert role.inputs["name"] == "dynamodb-events-stream-role-prod-eu-west-1"
    assert {p.inputs["role"] for p in run.of_type(ROLE_POLICY)} >= {role.inputs["name"]}
