"""Stack configuration: a pure function from raw config strings to typed component args.

Every problem is reported before any resource exists, as a ConfigError that names the key and
the values it accepts. Reading the strings from Pulumi is `config_source`'s job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from dynamodb_stack import naming
from dynamodb_stack.args import (
    DEFAULT_EVALUATION_PERIODS,
    DEFAULT_HOME_REGION,
    DEFAULT_PERIOD_SECONDS,
    DEFAULT_THRESHOLD,
    AlarmSettings,
    DynamoDbStackArgs,
    NotificationSettings,
)
from dynamodb_stack.default_tables import DEFAULT_TABLES
from dynamodb_stack.specs import TableSpec
from dynamodb_stack.tags import StackTags

PROJECT = "dynamodb-guardrails"
ENV_VAR = "ENVIRONMENT_SUFFIX"
# The AWS provider's config key for the stack's region (not ours: it has no project namespace).
REGION_KEY = "aws:region"

# CloudWatch Metrics Insights (the SystemErrors alarms) only looks back 3 hours, so a longer
# evaluation window would never be full.
MAX_EVALUATION_WINDOW_SECONDS = 3 * 3600

_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_WHOLE = re.compile(r"^[0-9]+$")
_TAG_VALUE = re.compile(r"^[\w .:/=+\-@]{1,256}$")
_TOPIC_ARN = re.compile(
    r"^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$"
)
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class ConfigKey:
    name: str
    default: str
    meaning: str


def max_env_length(tables: tuple[TableSpec, ...]) -> int:
    """The longest environment suffix that keeps every IAM role name within IAM's limit."""
    return naming.IAM_ROLE_NAME_MAX - len(naming.longest_role_name(tables, ""))


# Every key the stack reads: its default (as `pulumi config` would show it) and what it means, in
# markdown. The README's configuration table is generated from here (scripts/generate_docs.py).
KEYS: tuple[ConfigKey, ...] = (
    ConfigKey(
        "env",
        "dev",
        "Environment suffix of every physical name and the `Environment` tag. "
        f"`{ENV_VAR}`, when set, wins. 1-{max_env_length(DEFAULT_TABLES)} characters of `A-Z a-z 0-9 _ -` "
        f"(with the default tables: role names are at most {naming.IAM_ROLE_NAME_MAX} characters; fewer "
        'outside `homeRegion`, where role names also carry the region, see "Names").',
    ),
    ConfigKey("repository", "iac-test-automations", "`Repository` tag."),
    ConfigKey("team", "data-analytics", "`Team` tag."),
    ConfigKey("costCenter", "engineering", "`CostCenter` tag."),
    ConfigKey(
        "homeRegion",
        DEFAULT_HOME_REGION,
        "Region whose stacks keep the plain IAM role names; IAM names are global per account, so in any "
        "other region role names end in `-<env>-<region>`.",
    ),
    ConfigKey(
        "physicalTableNames",
        "{}",
        "Table key → physical name instead of `<key>-<env>`, e.g. to adopt an existing table: "
        "`pulumi config set --path 'physicalTableNames.events' events`.",
    ),
    ConfigKey(
        "protectTables",
        "true",
        "`deletionProtectionEnabled` and Pulumi's `protect` on tables; `false` for throw-away stacks.",
    ),
    ConfigKey("alarmPeriod", str(DEFAULT_PERIOD_SECONDS), "Alarm period in seconds, a multiple of 60."),
    ConfigKey(
        "alarmEvaluationPeriods",
        str(DEFAULT_EVALUATION_PERIODS),
        f"Periods compared with the threshold; period x periods <= {MAX_EVALUATION_WINDOW_SECONDS} s.",
    ),
    ConfigKey(
        "systemErrorsThreshold",
        f"{DEFAULT_THRESHOLD:g}",
        "Per table: alarm when SystemErrors (all operations) exceed it.",
    ),
    ConfigKey(
        "throttleThreshold",
        f"{DEFAULT_THRESHOLD:g}",
        "Per table and per GSI: alarm when Read/WriteThrottleEvents exceed it.",
    ),
    ConfigKey(
        "userErrorsThreshold", f"{DEFAULT_THRESHOLD:g}", "Account-level alarm: when UserErrors exceed it."
    ),
    ConfigKey(
        "accountUserErrorsAlarm",
        "true",
        "Create the account/region-wide UserErrors alarm; keep it in one stack per account and region.",
    ),
    ConfigKey(
        "alarmTopicArn",
        "(unset)",
        "Existing SNS topic ARN for alarm and OK actions, in the stack's region (CloudWatch only "
        "notifies topics in the alarm's region); unset: the stack creates "
        f"`{naming.alarm_topic_name('<env>')}`.",
    ),
    ConfigKey(
        "alarmEmail",
        "(unset)",
        "E-mail address subscribed to the created topic. Not together with `alarmTopicArn`.",
    ),
)
KEY_NAMES = frozenset(key.name for key in KEYS)


class ConfigError(ValueError):
    """A config value the stack cannot use. `key` is the full key as `pulumi config` shows it."""

    def __init__(self, key: str, accepted: str, problem: str = "is not accepted") -> None:
        self.key = key
        super().__init__(f"Invalid configuration {key}: {problem}. Accepted values: {accepted}.")


def qualified(key: str) -> str:
    return f"{PROJECT}:{key}"


def parse_stack_args(
    config: Mapping[str, str],
    environ: Mapping[str, str],
    tables: tuple[TableSpec, ...] = DEFAULT_TABLES,
    region: str | None = None,
) -> DynamoDbStackArgs:
    """`config` maps this project's config keys (without the `dynamodb-guardrails:` prefix) to
    their raw strings; `environ` is the process environment; `region` is the stack's AWS region
    (`aws:region`, as the AWS provider resolves it), None when unknown. Empty strings count as unset."""
    unknown = sorted(set(config) - KEY_NAMES)
    if unknown:
        raise ConfigError(
            qualified(unknown[0]), "the keys " + ", ".join(sorted(KEY_NAMES)), "is not a key this stack reads"
        )
    raw = {key: value for key, value in config.items() if value != ""}

    stack_region = _region(region, REGION_KEY)
    home_region = _region(raw.get("homeRegion"), qualified("homeRegion")) or DEFAULT_HOME_REGION
    env, env_key = _environment(raw, environ, tables)
    _check_iam_names(env, env_key, tables, stack_region, home_region)
    tags = StackTags(
        environment=env,
        repository=_tag(raw, "repository"),
        team=_tag(raw, "team"),
        cost_center=_tag(raw, "costCenter"),
    )
    return DynamoDbStackArgs(
        environment=env,
        tags=tags,
        tables=_tables_with_physical_names(raw, tables, env),
        protect_tables=_bool(raw, "protectTables"),
        alarms=_alarm_settings(raw),
        notifications=_notifications(raw, stack_region),
        region=stack_region,
        home_region=home_region,
    )


def _default(key: str) -> str:
    return next(k.default for k in KEYS if k.name == key)


def _environment(
    raw: Mapping[str, str], environ: Mapping[str, str], tables: tuple[TableSpec, ...]
) -> tuple[str, str]:
    """The env suffix and the key it came from (config key or environment variable)."""
    if environ.get(ENV_VAR):
        env, key = environ[ENV_VAR], f"{ENV_VAR} (environment variable)"
    else:
        env, key = raw.get("env", _default("env")), qualified("env")
    max_length = max_env_length(tables)
    if not naming.ENV_SUFFIX.match(env) or len(env) > max_length:
        raise ConfigError(
            key,
            f"1-{max_length} characters of A-Z a-z 0-9 _ - (the suffix goes into table, IAM role and "
            "SNS topic names; role names are at most 64 characters)",
            f"{env[:80]!r} would make invalid resource names",
        )
    return env, key


def _check_iam_names(
    env: str, env_key: str, tables: tuple[TableSpec, ...], region: str | None, home_region: str
) -> None:
    """Outside the home region role names also carry the region: they must still fit IAM's limit."""
    suffix = naming.iam_name_suffix(env, region, home_region)
    longest = naming.longest_role_name(tables, suffix)
    if len(longest) <= naming.IAM_ROLE_NAME_MAX:
        return
    max_length = naming.IAM_ROLE_NAME_MAX - len(naming.longest_role_name(tables, "")) - len(f"-{region}")
    raise ConfigError(
        env_key,
        f"1-{max_length} characters in {region}: IAM role names are global per account, so outside "
        f"homeRegion ({home_region}) they end in -<env>-{region}, and a role name is at most "
        f"{naming.IAM_ROLE_NAME_MAX} characters",
        f"{env[:80]!r} would make the role name {longest[:80]!r} ({len(longest)} characters)",
    )


def _region(region: str | None, key: str) -> str | None:
    if not region:
        return None
    if not _REGION.match(region):
        raise ConfigError(
            key,
            "an AWS region code such as us-east-1 or eu-central-2",
            f"{region[:40]!r} is not a region code",
        )
    return region


def _tag(raw: Mapping[str, str], key: str) -> str:
    value = raw.get(key, _default(key))
    if not value.strip():
        # The guardrails pack counts a blank tag as missing: refuse it here, before any resource.
        raise ConfigError(qualified(key), "a tag value with at least one non-space character", "is blank")
    if not _TAG_VALUE.match(value):
        raise ConfigError(
            qualified(key),
            "1-256 characters of letters, digits, spaces and _ . : / = + - @ (an AWS tag value)",
        )
    return value


def _bool(raw: Mapping[str, str], key: str) -> bool:
    value = raw.get(key, _default(key)).strip().lower()
    if value not in ("true", "false"):
        raise ConfigError(qualified(key), "true, false", f"{value[:20]!r} is not a boolean")
    return value == "true"


def _number(raw: Mapping[str, str], key: str, parse: Callable[[str], float], accepted: str) -> float:
    value = raw.get(key, _default(key)).strip()
    if not _DECIMAL.match(value):
        raise ConfigError(qualified(key), accepted, f"{value[:20]!r} is not a non-negative number")
    return parse(value)


def _whole(raw: Mapping[str, str], key: str, accepted: str) -> int:
    value = raw.get(key, _default(key)).strip()
    if not _WHOLE.match(value):
        raise ConfigError(qualified(key), accepted, f"{value[:20]!r} is not a whole number")
    return int(value)


def _alarm_settings(raw: Mapping[str, str]) -> AlarmSettings:
    threshold_accepted = "a non-negative number such as 5 or 0.5"
    period_accepted = "a positive multiple of 60 seconds (60, 120, ...) up to 10800"
    period = _whole(raw, "alarmPeriod", period_accepted)
    if period == 0 or period % 60 or period > MAX_EVALUATION_WINDOW_SECONDS:
        # DynamoDB publishes one data point a minute: a shorter period has no data.
        raise ConfigError(qualified("alarmPeriod"), period_accepted, f"{period} is out of range")
    evaluation_accepted = f"a whole number >= 1 with alarmPeriod x it <= {MAX_EVALUATION_WINDOW_SECONDS}"
    evaluation_periods = _whole(raw, "alarmEvaluationPeriods", evaluation_accepted)
    if evaluation_periods < 1 or evaluation_periods * period > MAX_EVALUATION_WINDOW_SECONDS:
        raise ConfigError(
            qualified("alarmEvaluationPeriods"),
            evaluation_accepted,
            f"{evaluation_periods} periods of {period} s is out of range",
        )
    return AlarmSettings(
        period_seconds=period,
        evaluation_periods=evaluation_periods,
        system_errors_threshold=_number(raw, "systemErrorsThreshold", float, threshold_accepted),
        throttle_threshold=_number(raw, "throttleThreshold", float, threshold_accepted),
        user_errors_threshold=_number(raw, "userErrorsThreshold", float, threshold_accepted),
        account_user_errors_alarm=_bool(raw, "accountUserErrorsAlarm"),
    )


def _notifications(raw: Mapping[str, str], stack_region: str | None) -> NotificationSettings:
    topic_arn = raw.get("alarmTopicArn")
    email = raw.get("alarmEmail")
    if topic_arn is not None and not _TOPIC_ARN.match(topic_arn):
        raise ConfigError(
            qualified("alarmTopicArn"),
            "an SNS topic ARN, arn:<partition>:sns:<region>:<12-digit account>:<topic>",
        )
    topic_region = topic_arn.split(":")[3] if topic_arn is not None else None
    if topic_region is not None and stack_region is not None and topic_region != stack_region:
        # AWS refuses such an alarm action (PutMetricAlarm: the action must be in the alarm's region).
        raise ConfigError(
            qualified("alarmTopicArn"),
            f"an SNS topic in the stack's region {stack_region} ({REGION_KEY}), "
            f"arn:<partition>:sns:{stack_region}:<12-digit account>:<topic>",
            f"names a topic in {topic_region}, but CloudWatch alarms can only notify SNS topics in "
            f"their own region ({stack_region})",
        )
    if email is not None and not _EMAIL.match(email):
        raise ConfigError(qualified("alarmEmail"), "one e-mail address, such as oncall@example.com")
    if email is not None and topic_arn is not None:
        raise ConfigError(
            qualified("alarmEmail"),
            "unset when alarmTopicArn is set (subscribe the address to that topic instead)",
            "only applies to the topic the stack creates",
        )
    return NotificationSettings(existing_topic_arn=topic_arn, email=email)


def _tables_with_physical_names(
    raw: Mapping[str, str], tables: tuple[TableSpec, ...], env: str
) -> tuple[TableSpec, ...]:
    key = qualified("physicalTableNames")
    table_keys = [table.key for table in tables]
    accepted = (
        "a JSON object from table keys (" + ", ".join(table_keys) + ") to DynamoDB table names "
        "(3-255 characters of A-Z a-z 0-9 _ . -), unique across the stack"
    )
    text = raw.get("physicalTableNames", "{}")
    try:
        overrides = json.loads(text)
    except ValueError:
        raise ConfigError(key, accepted, "is not JSON") from None
    if not isinstance(overrides, dict):
        raise ConfigError(key, accepted, "is not an object")
    for table_key, name in overrides.items():
        if table_key not in table_keys:
            raise ConfigError(key, accepted, f"{table_key[:64]!r} is not a table of this stack")
        if not isinstance(name, str) or not naming.TABLE_NAME.match(name):
            raise ConfigError(key, accepted, f"the name for {table_key!r} is not a valid table name")
    resolved = tuple(
        replace(table, physical_name=overrides[table.key]) if table.key in overrides else table
        for table in tables
    )
    names = [naming.physical_table_name(table, env) for table in resolved]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ConfigError(key, accepted, f"two tables would both be named {duplicates[0]!r}")
    return resolved
