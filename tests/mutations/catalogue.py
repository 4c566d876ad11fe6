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
RESOURCE_POLICY = "aws:dynamodb/resourcePolicy:ResourcePolicy"
SSO_INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
SSO_MANAGED_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
USER_ATTACHMENTS_EXCLUSIVE = "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive"
GROUP_ATTACHMENTS_EXCLUSIVE = "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"
NATIVE_TABLE = "aws-native:dynamodb:Table"
NATIVE_ROLE = "aws-native:iam:Role"
NATIVE_PERMISSION_SET = "aws-native:sso:PermissionSet"
# The stack's taggable resource types (contributor insights and role policies take no tags).
TAGGED_TYPES = frozenset({TABLE, ROLE, ALARM, TOPIC})

BILLING = "dynamodb-on-demand-billing"
ENCRYPTION = "dynamodb-encryption-key-level"
TAGS = "required-tags"
TABLE_ALARMS = "dynamodb-table-alarms"
ALARM_ACTIONS = "dynamodb-alarm-actions"
IAM = "iam-least-privilege"

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
    # --- least privilege on the other roads to a permission
    Variant(
        "write-policy-every-table-spelling",
        'events write policy: Resource "arn:aws:dynamodb:*" (every table, spelt short)',
        IAM,
        (role_policy("events", "write"),),
        update_too=True,
    ),
    Variant(
        "user-attachments-exclusive-full-access",
        "UserPolicyAttachmentsExclusive with AmazonDynamoDBFullAccess",
        IAM,
        (Res(USER_ATTACHMENTS_EXCLUSIVE, "events-operator-attachments-{env}"),),
    ),
    Variant(
        "group-attachments-exclusive-admin",
        "GroupPolicyAttachmentsExclusive with AdministratorAccess",
        IAM,
        (Res(GROUP_ATTACHMENTS_EXCLUSIVE, "events-operators-attachments-{env}"),),
    ),
    Variant(
        "resource-policy-public",
        'DynamoDB ResourcePolicy on the events table: Principal "*", no condition',
        IAM,
        (Res(RESOURCE_POLICY, "events-access-{env}"),),
        update_too=True,
    ),
    Variant(
        "resource-policy-other-account-wildcard",
        "DynamoDB ResourcePolicy: another account's root gets dynamodb:*",
        IAM,
        (Res(RESOURCE_POLICY, "events-access-{env}"),),
    ),
    Variant(
        "resource-policy-same-account-scoped",
        "DynamoDB ResourcePolicy: the stack's read role gets GetItem and Query (control)",
        None,
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "resource-policy-org-limited",
        'DynamoDB ResourcePolicy: Principal "*" limited by aws:PrincipalOrgID (control)',
        None,
        exit_code=0,
    ),
    Variant(
        "native-table-resource-policy-public",
        "aws-native table (otherwise compliant, with alarms): resourcePolicy open to {AWS: *}",
        IAM,
        (Res(NATIVE_TABLE, "native-orders-{env}"),),
        update_too=True,
    ),
    Variant(
        "native-table-stream-policy-other-account-wildcard",
        "aws-native table: streamSpecification.resourcePolicy gives another account dynamodb:*",
        IAM,
        (Res(NATIVE_TABLE, "native-orders-{env}"),),
    ),
    Variant(
        "native-table-scoped-resource-policy",
        "aws-native table: resourcePolicy gives its own account GetItem (control)",
        None,
        exit_code=0,
    ),
    Variant(
        "sso-inline-policy-wildcard",
        "Identity Center PermissionSetInlinePolicy: dynamodb:* on the events table",
        IAM,
        (Res(SSO_INLINE_POLICY, "events-operators-inline-{env}"),),
        update_too=True,
    ),
    Variant(
        "sso-managed-full-access",
        "Identity Center ManagedPolicyAttachment of AmazonDynamoDBFullAccess",
        IAM,
        (Res(SSO_MANAGED_ATTACHMENT, "events-operators-full-access-{env}"),),
    ),
    Variant(
        "native-permission-set-inline-wildcard",
        "aws-native sso PermissionSet: inlinePolicy dynamodb:*",
        IAM,
        (Res(NATIVE_PERMISSION_SET, "events-native-permission-set-{env}"),),
    ),
    Variant(
        "native-role-inline-wildcard",
        "aws-native iam Role: inline policies dynamodb:* on the events table",
        IAM,
        (Res(NATIVE_ROLE, "events-native-role-{env}"),),
        update_too=True,
    ),
    Variant(
        "native-role-managed-full-access",
        "aws-native iam Role: managedPolicyArns AmazonDynamoDBFullAccess",
        IAM,
        (Res(NATIVE_ROLE, "events-native-role-{env}"),),
    ),
    Variant(
        "native-role-policy-not-action",
        "aws-native iam RolePolicy: NotAction DeleteTable",
        IAM,
        (Res("aws-native:iam:RolePolicy", "events-native-rolepolicy-{env}"),),
    ),
    Variant(
        "native-user-policy-admin",
        "aws-native iam UserPolicy: dynamodb:DeleteTable",
        IAM,
        (Res("aws-native:iam:UserPolicy", "events-native-userpolicy-{env}"),),
    ),
    Variant(
        "native-group-policy-every-table",
        'aws-native iam GroupPolicy: GetItem on "arn:aws:dynamodb:*:*:table*"',
        IAM,
        (Res("aws-native:iam:GroupPolicy", "events-native-grouppolicy-{env}"),),
    ),
    Variant(
        "native-managed-policy-write-in-read-role",
        "aws-native iam ManagedPolicy attached to the events read role: PutItem",
        IAM,
        (Res("aws-native:iam:ManagedPolicy", "events-native-managedpolicy-{env}"),),
    ),
    Variant(
        "env-named-read",
        "stack config env=read, a valid suffix (must stay clean)",
        None,
        exit_code=0,
        update_too=True,
    ),
)

PROGRAMS_FOR: dict[Mode, frozenset[str]] = {
    "preview": frozenset(v.program_id for v in VARIANTS),
    "update": frozenset(v.program_id for v in VARIANTS if v.update_too),
}
