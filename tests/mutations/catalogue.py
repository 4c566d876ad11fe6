"""What each broken variant of the stack must produce: the one policy that catches it, the resources
it reports, the exit code. How each variant is broken lives in programs/variants/breakages.py,
under the same id (`program`); a variant may also judge a program variant under a pack config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

TABLE = "aws:dynamodb/table:Table"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
NATIVE_TABLE = "aws-native:dynamodb:Table"
NATIVE_GLOBAL_TABLE = "aws-native:dynamodb:GlobalTable"
NATIVE_ALARM = "aws-native:cloudwatch:Alarm"
CFN_STACK = "aws:cloudformation/stack:Stack"
# The stack's taggable resource types (contributor insights and role policies take no tags).
TAGGED_TYPES = frozenset({TABLE, ROLE, ALARM, TOPIC})

BILLING = "dynamodb-on-demand-billing"
ENCRYPTION = "dynamodb-encryption-key-level"
TAGS = "required-tags"
TABLE_ALARMS = "dynamodb-table-alarms"
ALARM_ACTIONS = "dynamodb-alarm-actions"
IAM = "iam-least-privilege"
CFN_READABLE = "cloudformation-template-readable"

Mode = Literal["preview", "update"]

STACK_TAG_KEYS = ["Environment", "Repository", "Team", "CostCenter"]

# `--policy-pack-config` documents in the CLI's format, by name.
PACK_CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "customer-managed-keys": {ENCRYPTION: {"minimumKeyLevel": "customer-managed"}},
    "kms-allow-list": {
        ENCRYPTION: {"allowedKmsKeyArns": ["arn:aws:kms:us-east-1:123456789012:key/approved-*"]}
    },
    "owner-tag-required": {TAGS: {"requiredTags": [*STACK_TAG_KEYS, "Owner"]}},
    "conditional-check-alarms": {
        TABLE_ALARMS: {
            "requiredMetrics": [
                "SystemErrors",
                "ReadThrottleEvents|WriteThrottleEvents|ThrottledRequests",
                "ConditionalCheckFailedRequests",
            ]
        }
    },
    "write-roles-read-only": {IAM: {"readOnlyNamePattern": "(?i)-(read|write)-"}},
    "alarm-actions-mandatory": {ALARM_ACTIONS: "mandatory"},
    "all-advisory": {"all": "advisory"},
    "billing-remediate": {BILLING: "remediate"},
}


@dataclass(frozen=True)
class Res:
    """An expected resource: type and logical name; `{env}` is the variant's environment suffix."""

    type: str
    name: str


EVERY_TAGGED = "every taggable resource of the stack"


def table(key: str) -> Res:
    return Res(TABLE, f"{key}-{{env}}")


def tables(*keys: str) -> tuple[Res, ...]:
    return tuple(table(key) for key in keys)


def table_alarm(key: str, what: str) -> Res:
    return Res(ALARM, f"dynamodb-{key}-{what}-{{env}}")


def role(key: str, access: str) -> Res:
    return Res(ROLE, f"dynamodb-{key}-{access}-role-{{env}}")


def role_policy(key: str, access: str) -> Res:
    return Res(ROLE_POLICY, f"dynamodb-{key}-{access}-policy-{{env}}")


@dataclass(frozen=True)
class Variant:
    id: str
    how: str  # what is broken, for people reading a failure or the report
    policy: str | None  # the only policy that may report it; None: a control that must stay clean
    resources: tuple[Res, ...] | str = ()  # exactly the resources reported, or EVERY_TAGGED
    exit_code: int = 1
    program: str = ""  # variant of breakages.py to judge; default: the same id
    pack_config: str = "default"
    update_too: bool = False  # also judged after `--mode update` and through a stack export
    clean_in_preview: bool = False  # the broken value is unknown in a preview, so nothing to judge yet
    remediated: tuple[Res, ...] = ()
    xfail_preview: str = ""  # a known bug: reason (the test is xfail(strict=True) in that mode)
    xfail_update: str = ""

    @property
    def program_id(self) -> str:
        return self.program or self.id

    @property
    def level(self) -> str:
        return "mandatory" if self.exit_code == 1 else "advisory"


VARIANTS: tuple[Variant, ...] = (
    Variant("clean", "nothing broken (control)", None, exit_code=0, update_too=True),
    # --- billing
    Variant(
        "billing-provisioned",
        "events table: billingMode PROVISIONED with 5/5 capacity",
        BILLING,
        tables("events"),
        update_too=True,
    ),
    Variant(
        "billing-via-transforms",
        "events table set to PROVISIONED by a `transforms` resource option (run by the engine)",
        BILLING,
        tables("events"),
    ),
    Variant("billing-mode-absent", "sessions table: billingMode unset", BILLING, tables("sessions")),
    Variant(
        "billing-advisory",
        "billing-provisioned under pack config `all: advisory`",
        BILLING,
        tables("events"),
        exit_code=0,
        program="billing-provisioned",
        pack_config="all-advisory",
    ),
    Variant(
        "billing-remediated",
        "billing-provisioned with the billing policy at `remediate`: fixed, not reported",
        None,
        exit_code=0,
        program="billing-provisioned",
        pack_config="billing-remediate",
        remediated=tables("events"),
    ),
    # --- encryption
    Variant(
        "sse-disabled",
        "users table: serverSideEncryption.enabled false",
        ENCRYPTION,
        tables("users"),
        update_too=True,
    ),
    Variant("sse-absent", "events table: no serverSideEncryption block", ENCRYPTION, tables("events")),
    Variant(
        "customer-managed-key-required",
        "unchanged stack (aws-managed keys) under minimumKeyLevel customer-managed",
        ENCRYPTION,
        tables("events", "sessions", "users"),
        program="clean",
        pack_config="customer-managed-keys",
        update_too=True,
    ),
    Variant(
        "kms-key-not-allowed",
        "events table: customer-managed key outside allowedKmsKeyArns",
        ENCRYPTION,
        tables("events"),
        pack_config="kms-allow-list",
        update_too=True,
    ),
    Variant(
        "kms-key-allowed",
        "events table: customer-managed key inside allowedKmsKeyArns (control)",
        None,
        exit_code=0,
        pack_config="kms-allow-list",
    ),
    # --- tags
    Variant(
        "table-tag-missing", "sessions table: no CostCenter tag", TAGS, tables("sessions"), update_too=True
    ),
    Variant("table-tag-empty", "users table: Team tag ''", TAGS, tables("users")),
    Variant(
        "table-tag-key-wrong-case", "events table: `costcenter` instead of CostCenter", TAGS, tables("events")
    ),
    Variant(
        "alarm-tag-missing",
        "events SystemErrors alarm: no Environment tag",
        TAGS,
        (table_alarm("events", "system-errors"),),
    ),
    Variant(
        "role-tag-missing",
        "events read role: no Repository tag",
        TAGS,
        (role("events", "read"),),
        update_too=True,
    ),
    Variant("topic-tags-missing", "alarm topic: no tags", TAGS, (Res(TOPIC, "dynamodb-alarms-{env}"),)),
    Variant("role-tag-blank", "users write role: Team tag is only spaces", TAGS, (role("users", "write"),)),
    Variant(
        "owner-tag-required",
        "unchanged stack under requiredTags + Owner",
        TAGS,
        EVERY_TAGGED,
        program="clean",
        pack_config="owner-tag-required",
        update_too=True,
    ),
    # --- alarms per table
    Variant(
        "table-without-alarms",
        "an extra compliant table `orders` with no alarms",
        TABLE_ALARMS,
        tables("orders"),
        update_too=True,
    ),
    Variant(
        "throttle-alarms-on-other-metric",
        "users throttle alarms watch ConsumedRead/WriteCapacityUnits instead",
        TABLE_ALARMS,
        tables("users"),
    ),
    Variant(
        "throttle-alarms-on-other-table",
        "users throttle alarms carry TableName of the events table",
        TABLE_ALARMS,
        tables("users"),
    ),
    Variant(
        "system-errors-without-operation",
        "events SystemErrors alarm on TableName only (no Operation: dead)",
        TABLE_ALARMS,
        (table_alarm("events", "system-errors"), table("events")),
        update_too=True,
    ),
    Variant(
        "system-errors-insights-by-table-only",
        'sessions SystemErrors Insights query over SCHEMA("AWS/DynamoDB", TableName) (dead)',
        TABLE_ALARMS,
        (table_alarm("sessions", "system-errors"), table("sessions")),
    ),
    Variant(
        "user-errors-with-table-name",
        "account UserErrors alarm with a TableName dimension (dead)",
        TABLE_ALARMS,
        (Res(ALARM, "dynamodb-account-user-errors-{env}"),),
    ),
    Variant(
        "conditional-check-alarm-required",
        "unchanged stack under requiredMetrics + ConditionalCheckFailedRequests",
        TABLE_ALARMS,
        tables("events", "sessions", "users"),
        program="clean",
        pack_config="conditional-check-alarms",
    ),
    # --- alarm actions
    Variant(
        "alarm-without-actions",
        "events read-throttle alarm: alarmActions []",
        ALARM_ACTIONS,
        (table_alarm("events", "read-throttle"),),
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "alarm-actions-disabled",
        "sessions write-throttle alarm: actionsEnabled false",
        ALARM_ACTIONS,
        (table_alarm("sessions", "write-throttle"),),
        exit_code=0,
    ),
    Variant(
        "alarm-without-actions-mandatory",
        "alarm-without-actions under `dynamodb-alarm-actions: mandatory`",
        ALARM_ACTIONS,
        (table_alarm("events", "read-throttle"),),
        program="alarm-without-actions",
        pack_config="alarm-actions-mandatory",
    ),
    # --- least privilege
    Variant(
        "read-policy-dynamodb-star",
        "events read policy: Action dynamodb:*",
        IAM,
        (role_policy("events", "read"),),
        update_too=True,
    ),
    Variant(
        "read-policy-put-item", "users read policy: + dynamodb:PutItem", IAM, (role_policy("users", "read"),)
    ),
    Variant(
        "read-policy-lowercase-putitem",
        "sessions read policy: + dynamodb:putitem (lower case)",
        IAM,
        (role_policy("sessions", "read"),),
    ),
    Variant(
        "read-policy-write-after-deploy",
        "events read policy: + PutItem, built from the table ARN (unknown in preview)",
        IAM,
        (role_policy("events", "read"),),
        update_too=True,
        clean_in_preview=True,
    ),
    Variant(
        "write-policy-resource-star",
        'events write policy: Resource "*"',
        IAM,
        (role_policy("events", "write"),),
        update_too=True,
    ),
    Variant(
        "write-policy-not-action",
        "users write policy: NotAction [DeleteTable] instead of Action",
        IAM,
        (role_policy("users", "write"),),
    ),
    Variant(
        "write-policy-delete-table",
        "sessions write policy: + dynamodb:DeleteTable (admin)",
        IAM,
        (role_policy("sessions", "write"),),
    ),
    Variant(
        "write-policy-put-wildcard",
        "events write policy: + dynamodb:Put*",
        IAM,
        (role_policy("events", "write"),),
    ),
    Variant(
        "full-access-attachment",
        "extra RolePolicyAttachment of AmazonDynamoDBFullAccess to the events write role",
        IAM,
        (Res(ATTACHMENT, "events-write-full-access-{env}"),),
        update_too=True,
    ),
    Variant(
        "role-admin-managed-policy",
        "users read role: managedPolicyArns [AdministratorAccess]",
        IAM,
        (role("users", "read"),),
    ),
    Variant(
        "role-inline-scan-everything",
        'sessions read role: inline policy dynamodb:Scan on "*"',
        IAM,
        (role("sessions", "read"),),
        update_too=True,
    ),
    Variant(
        "write-roles-named-read-only",
        "unchanged stack under readOnlyNamePattern matching -write- too",
        IAM,
        (role_policy("events", "write"), role_policy("sessions", "write"), role_policy("users", "write")),
        program="clean",
        pack_config="write-roles-read-only",
        update_too=True,
        clean_in_preview=True,  # the stack builds its documents from the table ARN
    ),
    Variant(
        "env-named-read",
        "stack config env=read, a valid suffix (must stay clean)",
        None,
        exit_code=0,
        update_too=True,
    ),
)

# The other roads to a table or an alarm (programs/variants/roads.py): aws-native resources run
# under mocks with the real SDK, tables inside CloudFormation templates, alarms that are dead for
# where they live or how they compare.
NATIVE = Res(NATIVE_TABLE, "orders-native-{env}")
NATIVE_ALARMS = (
    Res(NATIVE_ALARM, "native-orders-system-errors-{env}"),
    Res(NATIVE_ALARM, "native-orders-read-throttle-{env}"),
)
CFN = Res(CFN_STACK, "orders-cfn-{env}")


def throttle_alarms(key: str) -> tuple[Res, ...]:
    return (table_alarm(key, "read-throttle"), table_alarm(key, "write-throttle"))


ROAD_VARIANTS: tuple[Variant, ...] = (
    Variant(
        "roads-clean",
        "aws-native table, global table and their aws-native alarms; CloudFormation stacks with a JSON and "
        "a YAML template (table and alarms): all compliant (control)",
        None,
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "native-billing-absent",
        "aws-native table without billingMode (CloudFormation's default PROVISIONED)",
        BILLING,
        (NATIVE,),
        update_too=True,
    ),
    Variant(
        "native-sse-absent",
        "aws-native table without sseSpecification (AWS-owned key)",
        ENCRYPTION,
        (NATIVE,),
    ),
    Variant(
        "native-tag-missing", "aws-native table: tags list without Team", TAGS, (NATIVE,), update_too=True
    ),
    Variant("native-table-without-alarms", "aws-native table without alarms", TABLE_ALARMS, (NATIVE,)),
    Variant(
        "native-global-table-provisioned",
        "aws-native global table: billingMode PROVISIONED",
        BILLING,
        (Res(NATIVE_GLOBAL_TABLE, "orders-global-{env}"),),
    ),
    Variant(
        "native-alarms-in-another-region",
        "aws-native table's alarms made by an aws-native provider in eu-west-1 (table in us-east-1): dead",
        TABLE_ALARMS,
        (NATIVE, *NATIVE_ALARMS),
        update_too=True,
    ),
    Variant(
        "native-alarms-without-actions",
        "aws-native alarms with alarmActions []",
        ALARM_ACTIONS,
        NATIVE_ALARMS,
        exit_code=0,
    ),
    Variant(
        "alarm-region-argument",
        "events throttle alarms moved to eu-west-1 by pulumi-aws 7's per-resource `region`: dead",
        TABLE_ALARMS,
        (*throttle_alarms("events"), table("events")),
        update_too=True,
    ),
    Variant(
        "alarm-namespace-wrong-case",
        "users throttle alarms on namespace aws/dynamodb (names are case-sensitive): dead",
        TABLE_ALARMS,
        (*throttle_alarms("users"), table("users")),
    ),
    Variant(
        "alarm-threshold-never-reached",
        "users throttle alarms: LessThanThreshold 0, which a count never is: dead",
        TABLE_ALARMS,
        (*throttle_alarms("users"), table("users")),
    ),
    Variant(
        "cfn-table-provisioned",
        "CloudFormation stack, YAML template with short forms: table BillingMode PROVISIONED",
        BILLING,
        (CFN,),
        update_too=True,
    ),
    Variant(
        "cfn-table-without-sse", "CloudFormation template table without SSESpecification", ENCRYPTION, (CFN,)
    ),
    Variant("cfn-table-tag-blank", "CloudFormation template table: Tags Team ' '", TAGS, (CFN,)),
    Variant(
        "cfn-template-url",
        "CloudFormation stack with templateUrl only: an advisory, never a silent pass",
        CFN_READABLE,
        (CFN,),
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "cfn-serverless-transform",
        "SAM template (Transform, AWS::Serverless::SimpleTable): what the transform adds is not judged, "
        "an advisory says so",
        CFN_READABLE,
        (CFN,),
        exit_code=0,
    ),
    Variant(
        "cfn-unresolvable-billing",
        "template BillingMode from Fn::ImportValue: unknown to billing, an advisory says so",
        CFN_READABLE,
        (CFN,),
        exit_code=0,
    ),
)
VARIANTS = (*VARIANTS, *ROAD_VARIANTS)

PROGRAMS_FOR: dict[Mode, frozenset[str]] = {
    "preview": frozenset(v.program_id for v in VARIANTS),
    "update": frozenset(v.program_id for v in VARIANTS if v.update_too),
}
