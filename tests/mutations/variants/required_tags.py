"""required-tags: resources of the stack with a tag missing, empty or in the wrong case."""

from dynamodb_guardrails.rules import required_tags
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS, SESSIONS, USERS
from tests.mutations.breakage import (
    ROLE,
    TABLE,
    TOPIC,
    alarm,
    change,
    setting,
    unchanged,
    with_tag,
    without_tag,
)
from tests.mutations.roads import CFN, NATIVE, cfn_stack, extra, native_table
from tests.mutations.variant import EVERY_TAGGED, PackConfig, Res, Variant, role, table_alarm, tables

RULE = required_tags.RULE
# The policy's default tags plus one the stack does not set.
OWNER_REQUIRED = PackConfig(
    "owner-tag-required", {RULE.meta.name: {"requiredTags": [*required_tags.DEFAULT_REQUIRED_TAGS, "Owner"]}}
)

VARIANTS = (
    Variant(
        "table-tag-missing",
        "sessions table: no CostCenter tag",
        lambda env: change(TABLE, naming.table_resource_name(SESSIONS, env), without_tag("CostCenter")),
        RULE,
        tables("sessions"),
        update_too=True,
    ),
    Variant(
        "table-tag-empty",
        "users table: Team tag ''",
        lambda env: change(TABLE, naming.table_resource_name(USERS, env), with_tag("Team", "")),
        RULE,
        tables("users"),
    ),
    Variant(
        "table-tag-key-wrong-case",
        "events table: `costcenter` instead of CostCenter",
        lambda env: change(
            TABLE,
            naming.table_resource_name(EVENTS, env),
            with_tag("costcenter", "engineering", instead_of="CostCenter"),
        ),
        RULE,
        tables("events"),
    ),
    Variant(
        "alarm-tag-missing",
        "events SystemErrors alarm: no Environment tag",
        lambda env: alarm(EVENTS, "system-errors", env, without_tag("Environment")),
        RULE,
        (table_alarm("events", "system-errors"),),
    ),
    Variant(
        "role-tag-missing",
        "events read role: no Repository tag",
        lambda env: change(ROLE, naming.role_name(EVENTS, "read", env), without_tag("Repository")),
        RULE,
        (role("events", "read"),),
        update_too=True,
    ),
    Variant(
        "topic-tags-missing",
        "alarm topic: no tags",
        lambda env: change(TOPIC, naming.alarm_topic_name(env), setting(tags=None)),
        RULE,
        (Res(TOPIC, "dynamodb-alarms-{env}"),),
    ),
    Variant(
        "role-tag-blank",
        "users write role: Team tag is only spaces",
        lambda env: change(ROLE, naming.role_name(USERS, "write", env), with_tag("Team", "   ")),
        RULE,
        (role("users", "write"),),
    ),
    Variant(
        "owner-tag-required",
        "unchanged stack under requiredTags + Owner",
        unchanged,
        RULE,
        EVERY_TAGGED,
        pack_config=OWNER_REQUIRED,
        update_too=True,
    ),
    Variant(
        "native-tag-missing",
        "aws-native table: tags list without Team",
        extra(native_table(tags={"Team": None})),
        RULE,
        (NATIVE,),
        update_too=True,
    ),
    Variant(
        "cfn-table-tag-blank",
        "CloudFormation template table: Tags Team ' '",
        extra(cfn_stack(Tags=[{"Key": "Team", "Value": " "}])),
        RULE,
        (CFN,),
    ),
)
