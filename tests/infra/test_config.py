"""Config parsing: valid values parse to what they say; anything else fails naming the key and
what it accepts, before a resource exists."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_stack import ConfigError, parse_stack_args
from dynamodb_stack.config import KEY_NAMES, KEYS, PROJECT

SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
# `dynamodb-sessions-write-role-` is 29 characters; IAM role names stop at 64.
MAX_SUFFIX = 64 - len("dynamodb-sessions-write-role-")

suffixes = st.text(SUFFIX_ALPHABET, min_size=1, max_size=MAX_SUFFIX)
decimals = st.decimals(min_value=0, max_value=10**6, places=2).map(str)
tag_values = st.text("abcXYZ019 _.:/=+-@", min_size=1, max_size=256).filter(str.strip)
table_names = st.text("abcXYZ019_.-", min_size=3, max_size=255)


@st.composite
def windows(draw: st.DrawFn) -> tuple[int, int]:
    period = 60 * draw(st.integers(1, 180))
    return period, draw(st.integers(1, 10800 // period))


@given(
    env=suffixes,
    tags=st.tuples(tag_values, tag_values, tag_values),
    window=windows(),
    thresholds=st.tuples(decimals, decimals, decimals),
    flags=st.tuples(st.booleans(), st.booleans()),
    events_name=st.none() | table_names,
)
def test_valid_config_parses_to_what_it_says(
    env: str,
    tags: tuple[str, str, str],
    window: tuple[int, int],
    thresholds: tuple[str, str, str],
    flags: tuple[bool, bool],
    events_name: str | None,
) -> None:
    config = {
        "env": env,
        "repository": tags[0],
        "team": tags[1],
        "costCenter": tags[2],
        "alarmPeriod": str(window[0]),
        "alarmEvaluationPeriods": str(window[1]),
        "systemErrorsThreshold": thresholds[0],
        "throttleThreshold": thresholds[1],
        "userErrorsThreshold": thresholds[2],
        "protectTables": str(flags[0]).lower(),
        "accountUserErrorsAlarm": str(flags[1]).upper(),
        "physicalTableNames": json.dumps({"events": events_name} if events_name else {}),
    }
    args = parse_stack_args(config, {})
    assert args.environment == env
    assert args.tags.as_dict() == {
        "Environment": env,
        "Repository": tags[0],
        "Team": tags[1],
        "CostCenter": tags[2],
    }
    assert (args.alarms.period_seconds, args.alarms.evaluation_periods) == window
    assert (
        args.alarms.system_errors_threshold,
        args.alarms.throttle_threshold,
        args.alarms.user_errors_threshold,
    ) == tuple(float(t) for t in thresholds)
    assert (args.protect_tables, args.alarms.account_user_errors_alarm) == flags
    names = {t.key: t.physical_name for t in args.tables}
    assert names["events"] == events_name
    assert names["sessions"] is None


def _rejected(config: dict[str, str], environ: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_stack_args(config, environ or {})
    return caught.value


@given(
    st.one_of(
        st.text(min_size=1).filter(lambda s: any(c not in SUFFIX_ALPHABET for c in s)),
        st.text(SUFFIX_ALPHABET, min_size=MAX_SUFFIX + 1, max_size=MAX_SUFFIX + 40),
    )
)
def test_an_environment_suffix_that_makes_invalid_names_is_rejected(env: str) -> None:
    error = _rejected({"env": env})
    assert error.key == f"{PROJECT}:env"
    assert f"{PROJECT}:env" in str(error)
    assert "A-Z a-z 0-9 _ -" in str(error)
    from_variable = _rejected({}, {"ENVIRONMENT_SUFFIX": env})
    assert "ENVIRONMENT_SUFFIX" in str(from_variable)


NOT_A_NUMBER = st.one_of(
    st.sampled_from(["five", "-1", "1e3", "nan", "inf", " ", "0x10", "1.", ".5", "1,5", "\u0663"]),
    st.text(min_size=1).filter(lambda s: not re.fullmatch(r"[0-9]+(\.[0-9]+)?", s.strip())),
)


@given(
    key=st.sampled_from(["systemErrorsThreshold", "throttleThreshold", "userErrorsThreshold"]),
    value=NOT_A_NUMBER,
)
def test_a_threshold_that_is_not_a_non_negative_number_is_rejected(key: str, value: str) -> None:
    error = _rejected({key: value})
    assert error.key == f"{PROJECT}:{key}"
    assert "non-negative number" in str(error)


@given(
    st.one_of(
        st.integers(-10, 10**6).filter(lambda p: p <= 0 or p % 60 or p > 10800).map(str),
        st.sampled_from(["sixty", "60.0", "1m"]),
    )
)
def test_a_period_that_is_not_a_multiple_of_a_minute_up_to_three_hours_is_rejected(value: str) -> None:
    error = _rejected({"alarmPeriod": value})
    assert error.key == f"{PROJECT}:alarmPeriod"
    assert "multiple of 60" in str(error)


@given(window=windows(), extra=st.integers(1, 1000))
def test_an_evaluation_window_beyond_three_hours_is_rejected(window: tuple[int, int], extra: int) -> None:
    period, _ = window
    error = _rejected({"alarmPeriod": str(period), "alarmEvaluationPeriods": str(10800 // period + extra)})
    assert error.key == f"{PROJECT}:alarmEvaluationPeriods"
    assert "10800" in str(error)


@given(key=st.sampled_from(["protectTables", "accountUserErrorsAlarm"]), value=st.text(min_size=1))
def test_a_flag_that_is_not_true_or_false_is_rejected(key: str, value: str) -> None:
    if value.strip().lower() in ("true", "false"):
        return
    error = _rejected({key: value})
    assert error.key == f"{PROJECT}:{key}"
    assert "true, false" in str(error)


@given(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "arn:aws:sqs:us-east-1:123456789012:queue",  # not SNS
                "arn:aws:sns:us-east-1:12345:topic",  # short account
                "arn:aws:sns:us-east-1:123456789012:",  # no topic
                "arn:aws:sns:us-east-1:123456789012:topic:subscription-id",  # a subscription
                "sns:us-east-1:123456789012:topic",
            ]
        ),
    )
)
def test_a_malformed_topic_arn_is_rejected(value: str) -> None:
    if value == "":
        return  # empty means unset
    error = _rejected({"alarmTopicArn": value})
    assert error.key == f"{PROJECT}:alarmTopicArn"
    assert "arn:<partition>:sns:<region>" in str(error)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:sns:us-east-1:123456789012:alerts",
        "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts_2",
        "arn:aws-cn:sns:cn-north-1:123456789012:alerts.fifo",
    ],
)
def test_topic_arns_of_every_partition_are_accepted(arn: str) -> None:
    assert parse_stack_args({"alarmTopicArn": arn}, {}).notifications.existing_topic_arn == arn


@pytest.mark.parametrize(
    "email", ["pager", "pager@", "@corp.test", "on call@corp.test", "a@b", "a@b.c,d@e.f"]
)
def test_a_malformed_email_is_rejected_without_echoing_it(email: str) -> None:
    error = _rejected({"alarmEmail": email})
    assert error.key == f"{PROJECT}:alarmEmail"
    assert "e-mail address" in str(error)
    assert email not in str(error)


def test_an_email_cannot_be_combined_with_an_existing_topic() -> None:
    error = _rejected(
        {"alarmEmail": "oncall@example.com", "alarmTopicArn": "arn:aws:sns:us-east-1:123456789012:alerts"}
    )
    assert error.key == f"{PROJECT}:alarmEmail"
    assert "alarmTopicArn" in str(error)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("events=legacy", "is not JSON"),
        ('["events"]', "is not an object"),
        ('{"orders": "orders"}', "'orders' is not a table of this stack"),
        ('{"events": "ab"}', "not a valid table name"),
        ('{"events": "bad name!"}', "not a valid table name"),
        ('{"events": 42}', "not a valid table name"),
        ('{"events": "shared", "users": "shared"}', "both be named 'shared'"),
        ('{"events": "users-dev"}', "both be named 'users-dev'"),
    ],
)
def test_a_bad_physical_name_override_is_rejected(value: str, problem: str) -> None:
    error = _rejected({"physicalTableNames": value})
    assert error.key == f"{PROJECT}:physicalTableNames"
    assert problem in str(error)
    assert "events, sessions, users" in str(error)


@given(st.sampled_from(["repository", "team", "costCenter"]), st.sampled_from(["a" * 257, "a<b", "x\x00y"]))
def test_a_tag_value_aws_would_refuse_is_rejected(key: str, value: str) -> None:
    assert _rejected({key: value}).key == f"{PROJECT}:{key}"


@given(st.sampled_from(["repository", "team", "costCenter"]), st.text(alphabet=" \t", min_size=1, max_size=5))
def test_a_blank_tag_value_is_rejected_because_the_pack_counts_it_as_missing(key: str, value: str) -> None:
    error = _rejected({key: value})
    assert error.key == f"{PROJECT}:{key}" and "blank" in str(error)


def test_a_misspelt_key_is_rejected_with_the_keys_that_exist() -> None:
    error = _rejected({"alarmTreshold": "3"})
    assert error.key == f"{PROJECT}:alarmTreshold"
    assert "alarmPeriod" in str(error)


def test_empty_values_mean_unset_as_in_the_design() -> None:
    assert parse_stack_args(dict.fromkeys(KEY_NAMES, ""), {}) == parse_stack_args({}, {})


def test_every_key_is_documented_with_a_default_and_a_meaning() -> None:
    assert len(KEY_NAMES) == len(KEYS)
    assert all(key.default and key.meaning for key in KEYS)


TOPIC_IN = "arn:aws:sns:{region}:123456789012:alerts"


@pytest.mark.parametrize(
    ("stack_region", "topic_region"),
    [("us-east-1", "eu-west-1"), ("eu-central-1", "eu-central-2"), ("us-gov-west-1", "us-gov-east-1")],
)
def test_an_alarm_topic_in_another_region_than_the_stack_is_rejected(
    stack_region: str, topic_region: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_stack_args({"alarmTopicArn": TOPIC_IN.format(region=topic_region)}, {}, region=stack_region)
    error = caught.value
    assert error.key == f"{PROJECT}:alarmTopicArn"
    message = str(error)
    assert topic_region in message and stack_region in message and "aws:region" in message
    assert "CloudWatch" in message and "own region" in message  # says why


def test_an_alarm_topic_in_the_stacks_region_is_accepted() -> None:
    arn = TOPIC_IN.format(region="eu-west-1")
    args = parse_stack_args({"alarmTopicArn": arn}, {}, region="eu-west-1")
    assert args.notifications.existing_topic_arn == arn and args.region == "eu-west-1"


@pytest.mark.parametrize("region", ["", "us_east_1", "US-EAST-1", "eu-west", "x" * 40])
def test_a_malformed_stack_region_is_rejected_naming_aws_region(region: str) -> None:
    if region == "":
        assert parse_stack_args({}, {}, region=region).region is None  # empty means unset
        return
    with pytest.raises(ConfigError) as caught:
        parse_stack_args({}, {}, region=region)
    assert caught.value.key == "aws:region"
