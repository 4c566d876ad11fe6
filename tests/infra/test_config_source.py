"""Reading config from Pulumi: this project's namespace only, misspelt keys caught."""

from __future__ import annotations

import json

import pytest

from dynamodb_stack import ConfigError
from dynamodb_stack.config_source import read_stack_args
from tests.infra.engine import install_engine


@pytest.fixture
def pulumi_config(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    install_engine()  # sets the project name that namespaces the keys
    monkeypatch.delenv("ENVIRONMENT_SUFFIX", raising=False)
    return monkeypatch


def set_config(monkeypatch: pytest.MonkeyPatch, config: dict[str, str]) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(config))


def test_keys_are_read_from_the_project_namespace(pulumi_config: pytest.MonkeyPatch) -> None:
    set_config(
        pulumi_config,
        {
            "dynamodb-guardrails:env": "staging",
            "dynamodb-guardrails:physicalTableNames": '{"users": "users"}',
            "other-project:env": "ignored",
            "aws:region": "eu-west-1",
        },
    )
    args = read_stack_args()
    assert args.environment == "staging"
    assert {t.key: t.physical_name for t in args.tables}["users"] == "users"


def test_the_environment_variable_wins_over_config(pulumi_config: pytest.MonkeyPatch) -> None:
    set_config(pulumi_config, {"dynamodb-guardrails:env": "staging"})
    pulumi_config.setenv("ENVIRONMENT_SUFFIX", "pr-42")
    assert read_stack_args().environment == "pr-42"


def test_a_misspelt_key_in_the_namespace_fails(pulumi_config: pytest.MonkeyPatch) -> None:
    set_config(pulumi_config, {"dynamodb-guardrails:protectTable": "false"})
    with pytest.raises(ConfigError, match="dynamodb-guardrails:protectTable: is not a key") as caught:
        read_stack_args()
    assert "protectTables" in str(caught.value)


def test_the_stack_region_comes_from_aws_region_and_checks_the_alarm_topic(
    pulumi_config: pytest.MonkeyPatch,
) -> None:
    set_config(
        pulumi_config,
        {
            "aws:region": "eu-west-1",
            "dynamodb-guardrails:alarmTopicArn": "arn:aws:sns:us-east-1:123456789012:alerts",
        },
    )
    with pytest.raises(ConfigError, match="dynamodb-guardrails:alarmTopicArn") as caught:
        read_stack_args()
    assert "eu-west-1" in str(caught.value) and "us-east-1" in str(caught.value)
