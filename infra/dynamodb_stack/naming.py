"""Every physical and logical name the stack gives a resource, and the rules those names obey.

One place, so config validation checks exactly the names the resources will get.
"""

from __future__ import annotations

import re

from dynamodb_stack.specs import TableSpec

# DynamoDB: 3-255 characters of a-z A-Z 0-9 _ . -
TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
# The suffix also ends up in IAM role names ([\w+=,.@-]) and SNS topic names ([A-Za-z0-9_-]);
# the intersection of the three is what it may contain.
ENV_SUFFIX = re.compile(r"^[A-Za-z0-9_-]+$")
IAM_ROLE_NAME_MAX = 64


def physical_table_name(table: TableSpec, env: str) -> str:
    return table.physical_name or f"{table.key}-{env}"


def table_resource_name(table: TableSpec, env: str) -> str:
    return f"{table.key}-{env}"


def contributor_insights_resource_name(table: TableSpec, env: str) -> str:
    return f"{table.key}-insights-{env}"


def iam_name_suffix(env: str, region: str | None, home_region: str) -> str:
    """The suffix of IAM names. IAM names are global per account, unlike table, alarm and topic
    names (per region): a stack outside the home region adds its region, so stacks with the same
    `env` in two regions of one account never collide; the home region keeps the plain names."""
    return env if region is None or region == home_region else f"{env}-{region}"


def role_name(table: TableSpec, access: str, suffix: str) -> str:
    """`access` is "read", "write" or "stream"; the pack recognises read-only roles by the word
    "read" in the name and by a tag.

    With the IAM suffix (`iam_name_suffix`) it is the role's physical name; with the plain env
    suffix, its logical name (the same in every region, so a stack's URNs do not depend on it)."""
    return f"dynamodb-{table.key}-{access}-role-{suffix}"


def role_policy_name(table: TableSpec, access: str, env: str) -> str:
    return f"dynamodb-{table.key}-{access}-policy-{env}"


def table_alarm_name(table: TableSpec, what: str, env: str, index: str | None = None) -> str:
    scope = f"{table.key}-{index}" if index else table.key
    return f"dynamodb-{scope}-{what}-{env}"


def account_alarm_name(what: str, env: str) -> str:
    return f"dynamodb-account-{what}-{env}"


def alarm_topic_name(env: str) -> str:
    return f"dynamodb-alarms-{env}"


def role_accesses(table: TableSpec) -> tuple[str, ...]:
    """The roles the stack makes for a table: read and write, and a stream consumer if it has a stream."""
    return ("read", "write", "stream") if table.stream_enabled else ("read", "write")


def longest_role_name(tables: tuple[TableSpec, ...], suffix: str) -> str:
    names = (role_name(table, access, suffix) for table in tables for access in role_accesses(table))
    return max(names, key=len, default="")
