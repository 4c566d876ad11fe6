"""What the stack registers by default - tables, roles, policies, tags - and what it exports."""

from __future__ import annotations

import json

from dynamodb_stack import COMPONENT_TYPE, parse_stack_args
from tests.infra.harness import (
    ALARM,
    INSIGHTS,
    ROLE,
    ROLE_POLICY,
    SUBSCRIPTION,
    TABLE,
    TOPIC,
    StackRun,
    policy_document,
    run_stack,
)

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/{}"
DEFAULT_TAGS = {
    "Environment": "dev",
    "Repository": "iac-test-automations",
    "Team": "data-analytics",
    "CostCenter": "engineering",
}
READ_ACTIONS = [
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
]
WRITE_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]


def test_three_tables_with_their_keys_and_features(default_run: StackRun) -> None:
    run = default_run
    tables = {t.name: t.inputs for t in run.of_type(TABLE)}
    assert set(tables) == {"events-dev", "sessions-dev", "users-dev"}
    for inputs in tables.values():
        assert inputs["billingMode"] == "PAY_PER_REQUEST"
        assert inputs["serverSideEncryption"] == {"enabled": True}

    events, sessions, users = tables["events-dev"], tables["sessions-dev"], tables["users-dev"]
    assert events["hashKey"] == "eventId"
    assert events["attributes"] == [{"name": "eventId", "type": "S"}]
    assert events["streamEnabled"] is True
    assert events["streamViewType"] == "NEW_AND_OLD_IMAGES"
    assert events["pointInTimeRecovery"] == {"enabled": False}

    assert sessions["hashKey"] == "sessionId"
    assert sessions["attributes"] == [
        {"name": "sessionId", "type": "S"},
        {"name": "userId", "type": "S"},
        {"name": "timestamp", "type": "N"},
    ]
    assert sessions["globalSecondaryIndexes"] == [
        {
            "name": "userId-timestamp-index",
            "keySchemas": [
                {"attributeName": "userId", "keyType": "HASH"},
                {"attributeName": "timestamp", "keyType": "RANGE"},
            ],
            "projectionType": "ALL",
        }
    ]
    assert sessions["streamEnabled"] is False
    assert "streamViewType" not in sessions

    assert users["hashKey"] == "userId"
    assert users["pointInTimeRecovery"] == {"enabled": True}
    assert "globalSecondaryIndexes" not in users


def test_contributor_insights_on_the_events_table_only(default_run: StackRun) -> None:
    run = default_run
    (insights,) = run.of_type(INSIGHTS)
    assert insights.inputs == {"tableName": "events-dev"}
    assert [t.name for t in run.by_urn(insights.property_dependencies["tableName"])] == ["events-dev"]


def test_a_read_and_a_write_role_per_table_assumable_by_lambda(default_run: StackRun) -> None:
    run = default_run
    roles = {r.name: r.inputs for r in run.of_type(ROLE)}
    # Plus, beyond read and write, a stream consumer for the table with a stream (test_stream_consumer.py).
    assert set(roles) == {
        f"dynamodb-{table}-{access}-role-dev"
        for table in ("events", "sessions", "users")
        for access in ("read", "write")
    } | {"dynamodb-events-stream-role-dev"}
    for name, inputs in roles.items():
        assert inputs["name"] == name
        assert json.loads(inputs["assumeRolePolicy"]) == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }


def test_roles_are_tagged_with_their_access_level(default_run: StackRun) -> None:
    # The pack recognises read-only roles by this tag (and by the `-read-role-` name).
    levels = {r.name: r.inputs["tags"]["AccessLevel"] for r in default_run.of_type(ROLE)}
    assert {n for n, level in levels.items() if level == "read-only"} == {
        f"dynamodb-{t}-read-role-dev" for t in ("events", "sessions", "users")
    } | {"dynamodb-events-stream-role-dev"}
    assert {n for n, level in levels.items() if level == "read-write"} == {
        f"dynamodb-{t}-write-role-dev" for t in ("events", "sessions", "users")
    }


def test_role_policies_grant_exact_actions_on_their_own_table(default_run: StackRun) -> None:
    run = default_run
    for table in ("events", "sessions", "users"):
        arn = ARN.format(f"{table}-dev")
        read = run.named(f"dynamodb-{table}-read-policy-dev")
        write = run.named(f"dynamodb-{table}-write-policy-dev")
        assert policy_document(read)["Statement"] == [
            {"Effect": "Allow", "Action": READ_ACTIONS, "Resource": [arn, f"{arn}/index/*"]}
        ]
        assert policy_document(write)["Statement"] == [
            {"Effect": "Allow", "Action": WRITE_ACTIONS, "Resource": arn}
        ]
        # Each policy sits on its own role, and its document comes from its table's ARN.
        for policy, access in ((read, "read"), (write, "write")):
            assert policy.inputs["role"] == f"dynamodb-{table}-{access}-role-dev"
            assert [r.name for r in run.by_urn(policy.property_dependencies["role"])] == [
                f"dynamodb-{table}-{access}-role-dev"
            ]
            assert [r.name for r in run.by_urn(policy.property_dependencies["policy"])] == [f"{table}-dev"]


def test_every_taggable_resource_carries_the_four_tags(default_run: StackRun) -> None:
    run = default_run
    untaggable = {ROLE_POLICY, INSIGHTS, SUBSCRIPTION, COMPONENT_TYPE}
    taggable = [r for r in run.registered if r.type not in untaggable]
    assert {r.type for r in taggable} == {TABLE, ROLE, ALARM, TOPIC}
    for resource in taggable:
        assert DEFAULT_TAGS.items() <= resource.inputs["tags"].items(), resource.name


def test_tag_values_come_from_config() -> None:
    args = parse_stack_args({"repository": "shop", "team": "payments", "costCenter": "cc-42"}, {})
    for resource in run_stack(args).of_type(TABLE):
        assert resource.inputs["tags"] == {
            "Environment": "dev",
            "Repository": "shop",
            "Team": "payments",
            "CostCenter": "cc-42",
        }


def test_environment_suffix_from_variable_then_config_then_dev() -> None:
    assert parse_stack_args({"env": "qa"}, {"ENVIRONMENT_SUFFIX": "ci"}).environment == "ci"
    assert parse_stack_args({"env": "qa"}, {"ENVIRONMENT_SUFFIX": ""}).environment == "qa"
    assert parse_stack_args({}, {}).environment == "dev"
    run = run_stack(parse_stack_args({}, {"ENVIRONMENT_SUFFIX": "ci"}))
    assert {r.inputs["tags"]["Environment"] for r in run.of_type(TABLE)} == {"ci"}


def test_outputs_list_names_arns_and_streams_in_spec_order(default_run: StackRun) -> None:
    outputs = default_run.outputs
    assert outputs == {
        "tableNames": ["events-dev", "sessions-dev", "users-dev"],
        "tableArns": [ARN.format(f"{t}-dev") for t in ("events", "sessions", "users")],
        # Only the table with a stream; the others' empty stream ARNs are left out.
        "streamArns": [ARN.format("events-dev") + "/stream/2024-01-01T00:00:00.000"],
    }


def test_every_resource_is_a_child_of_the_component(default_run: StackRun) -> None:
    run = default_run
    component = run.component
    assert component.type == COMPONENT_TYPE
    assert component.parent.endswith("::pulumi:pulumi:Stack::dynamodb-guardrails-test")
    children = [r for r in run.registered if r.custom]
    assert len(children) > 20
    assert {r.parent for r in children} == {component.urn}
