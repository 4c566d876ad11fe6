"""IAM names are global per account: stacks with the same env in two regions of one account must
not collide on role names, while the home region keeps the plain names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_stack import ConfigError, parse_stack_args
from dynamodb_stack.config import PROJECT
from tests.infra.harness import ROLE, ROLE_POLICY, StackRun, run_stack

# Region codes of every partition, the longest ones included.
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-1", "us-gov-west-1", "cn-northwest-1", "il-central-1"]
SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_-"
IAM_ROLE_NAME_MAX = 64


def role_names(run: StackRun) -> set[str]:
    return {r.inputs["name"] for r in run.of_type(ROLE)}


def test_the_same_env_in_two_regions_of_one_account_gets_disjoint_role_names() -> None:
    home = run_stack(parse_stack_args({"env": "prod"}, {}, region="us-east-1"))
    other = run_stack(parse_stack_args({"env": "prod"}, {}, region="eu-west-1"))
    assert role_names(home) and role_names(other)
    assert role_names(home).isdisjoint(role_names(other))
    assert all(name.endswith("-prod-eu-west-1") for name in role_names(other))


def test_the_home_region_and_an_unknown_region_keep_the_plain_role_names() -> None:
    plain = {f"dynamodb-{t}-{a}-role-dev" for t in ("events", "sessions", "users") for a in ("read", "write")}
    for region in ("us-east-1", None):
        assert plain <= role_names(run_stack(parse_stack_args({}, {}, region=region)))


def test_home_region_is_configurable_and_logical_names_do_not_depend_on_the_region() -> None:
    moved = run_stack(parse_stack_args({"homeRegion": "eu-west-1"}, {}, region="eu-west-1"))
    away = run_stack(parse_stack_args({"homeRegion": "eu-west-1"}, {}, region="us-east-1"))
    assert "dynamodb-events-read-role-dev" in role_names(moved)
    assert "dynamodb-events-read-role-dev-us-east-1" in role_names(away)
    # URNs stay the same in every region; only the physical names differ.
    assert {r.name for r in moved.of_type(ROLE)} == {r.name for r in away.of_type(ROLE)}
    # Each role's policy sits on the role's physical name.
    assert {p.inputs["role"] for p in away.of_type(ROLE_POLICY)} == role_names(away)


@given(region=st.sampled_from(REGIONS), env=st.text(SUFFIX_ALPHABET, min_size=1, max_size=40))
def test_role_names_fit_iams_limit_or_config_fails_naming_the_env_key(region: str, env: str) -> None:
    try:
        args = parse_stack_args({"env": env}, {}, region=region)
    except ConfigError as error:
        assert error.key == f"{PROJECT}:env"
        if region != "us-east-1" and len(f"dynamodb-sessions-write-role-{env}") <= IAM_ROLE_NAME_MAX:
            assert region in str(error) and "64" in str(error)  # rejected because of the region suffix
        return
    longest = f"dynamodb-sessions-write-role-{args.iam_name_suffix}"
    assert len(longest) <= IAM_ROLE_NAME_MAX
    assert args.iam_name_suffix == (env if region == "us-east-1" else f"{env}-{region}")


def test_an_env_that_fits_only_without_the_region_is_rejected_in_another_region() -> None:
    env = "e" * (IAM_ROLE_NAME_MAX - len("dynamodb-sessions-write-role-"))
    assert parse_stack_args({"env": env}, {}, region="us-east-1").environment == env
    with pytest.raises(ConfigError) as caught:
        parse_stack_args({"env": env}, {}, region="ap-southeast-1")
    assert caught.value.key == f"{PROJECT}:env"
    assert "ap-southeast-1" in str(caught.value) and "homeRegion" in str(caught.value)
    with pytest.raises(ConfigError) as from_variable:
        parse_stack_args({}, {"ENVIRONMENT_SUFFIX": env}, region="eu-west-1")
    assert "ENVIRONMENT_SUFFIX" in str(from_variable.value)


@pytest.mark.parametrize("value", ["us_east_1", "Europe", "eu-west"])
def test_a_malformed_home_region_is_rejected(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_stack_args({"homeRegion": value}, {})
    assert caught.value.key == f"{PROJECT}:homeRegion"
