"""iam-least-privilege on the other roads to a permission: DynamoDB resource policies (classic and
an aws-native table's own), IAM Identity Center, aws-native IAM, exclusive attachments, and an ARN
that reaches every table in a short spelling. Each is caught by exactly iam-least-privilege; the
controls (a scoped same-account grant, an org-limited `Principal: "*"`) stay clean."""

from dynamodb_guardrails.resource_types import (
    DYNAMODB_RESOURCE_POLICY,
    IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
    NATIVE_DYNAMODB_TABLE,
    NATIVE_IAM_GROUP_POLICY,
    NATIVE_IAM_MANAGED_POLICY,
    NATIVE_IAM_ROLE,
    NATIVE_IAM_ROLE_POLICY,
    NATIVE_IAM_USER_POLICY,
    NATIVE_SSO_PERMISSION_SET,
    SSO_MANAGED_POLICY_ATTACHMENT,
    SSO_PERMISSION_SET_INLINE_POLICY,
)
from dynamodb_guardrails.rules import iam_least_privilege
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS
from dynamodb_stack.iam import write_policy_document
from tests.mutations.breakage import ACCOUNT, Breakage, table_arn, with_statement_change, write_policy
from tests.mutations.permission_roads import (
    FULL_ACCESS,
    OTHER_ACCOUNT,
    allow,
    group_attachments_exclusive,
    native_document,
    native_permission_set,
    native_role,
    native_table,
    resource_policy,
    sso_inline_wildcard,
    sso_managed_full_access,
    table_policy,
    user_attachments_exclusive,
)
from tests.mutations.variant import Res, Variant, role_policy

RULE = iam_least_privilege.RULE
EVENTS_ACCESS = Res(DYNAMODB_RESOURCE_POLICY, "events-access-{env}")
NATIVE_ORDERS = Res(NATIVE_DYNAMODB_TABLE, "native-orders-{env}")
NATIVE_EVENTS_ROLE = Res(NATIVE_IAM_ROLE, "events-native-role-{env}")


def _read_role_arn(env: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{naming.role_name(EVENTS, 'read', env)}"


VARIANTS = (
    Variant(
        "write-policy-every-table-spelling",
        'events write policy: Resource "arn:aws:dynamodb:*" (every table, spelt short)',
        lambda env: write_policy(
            EVENTS,
            env,
            with_statement_change(
                write_policy_document(table_arn(EVENTS, env)), Resource="arn:aws:dynamodb:*"
            ),
        ),
        RULE,
        (role_policy("events", "write"),),
        update_too=True,
    ),
    Variant(
        "user-attachments-exclusive-full-access",
        "UserPolicyAttachmentsExclusive with AmazonDynamoDBFullAccess",
        lambda env: Breakage(extra=user_attachments_exclusive),
        RULE,
        (Res(IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE, "events-operator-attachments-{env}"),),
    ),
    Variant(
        "group-attachments-exclusive-admin",
        "GroupPolicyAttachmentsExclusive with AdministratorAccess",
        lambda env: Breakage(extra=group_attachments_exclusive),
        RULE,
        (Res(IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE, "events-operators-attachments-{env}"),),
    ),
    # --- DynamoDB resource-based policies
    Variant(
        "resource-policy-public",
        'DynamoDB ResourcePolicy on the events table: Principal "*", no condition',
        lambda env: Breakage(
            extra=resource_policy(
                lambda arn: allow("dynamodb:GetItem", "dynamodb:Query", resource=arn, Principal="*")
            )
        ),
        RULE,
        (EVENTS_ACCESS,),
        update_too=True,
    ),
    Variant(
        "resource-policy-other-account-wildcard",
        "DynamoDB ResourcePolicy: another account's root gets dynamodb:*",
        lambda env: Breakage(
            extra=resource_policy(
                lambda arn: allow(
                    "dynamodb:*", resource=arn, Principal={"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}
                )
            )
        ),
        RULE,
        (EVENTS_ACCESS,),
    ),
    Variant(
        "resource-policy-same-account-scoped",
        "DynamoDB ResourcePolicy: the stack's read role gets GetItem and Query (control)",
        lambda env: Breakage(
            extra=resource_policy(
                lambda arn: allow(
                    "dynamodb:GetItem", "dynamodb:Query", resource=arn, Principal={"AWS": _read_role_arn(env)}
                )
            )
        ),
        None,
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "resource-policy-org-limited",
        'DynamoDB ResourcePolicy: Principal "*" limited by aws:PrincipalOrgID (control)',
        lambda env: Breakage(
            extra=resource_policy(
                lambda arn: allow(
                    "dynamodb:GetItem",
                    resource=arn,
                    Principal="*",
                    Condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                )
            )
        ),
        None,
        exit_code=0,
    ),
    Variant(
        "native-table-resource-policy-public",
        "aws-native table (otherwise compliant, with alarms): resourcePolicy open to {AWS: *}",
        lambda env: Breakage(
            extra=native_table(
                resource_policy=lambda arn: table_policy(
                    allow("dynamodb:Scan", resource=arn, Principal={"AWS": "*"})
                )
            )
        ),
        RULE,
        (NATIVE_ORDERS,),
        update_too=True,
    ),
    Variant(
        "native-table-stream-policy-other-account-wildcard",
        "aws-native table: streamSpecification.resourcePolicy gives another account dynamodb:*",
        lambda env: Breakage(
            extra=native_table(
                stream_specification=lambda arn: {
                    "stream_view_type": "NEW_IMAGE",
                    "resource_policy": table_policy(
                        allow("dynamodb:*", resource=f"{arn}/stream/*", Principal={"AWS": OTHER_ACCOUNT})
                    ),
                }
            )
        ),
        RULE,
        (NATIVE_ORDERS,),
    ),
    Variant(
        "native-table-scoped-resource-policy",
        "aws-native table: resourcePolicy gives its own account GetItem (control)",
        lambda env: Breakage(
            extra=native_table(
                resource_policy=lambda arn: table_policy(
                    allow("dynamodb:GetItem", resource=arn, Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
                )
            )
        ),
        None,
        exit_code=0,
    ),
    # --- IAM Identity Center
    Variant(
        "sso-inline-policy-wildcard",
        "Identity Center PermissionSetInlinePolicy: dynamodb:* on the events table",
        lambda env: Breakage(extra=sso_inline_wildcard),
        RULE,
        (Res(SSO_PERMISSION_SET_INLINE_POLICY, "events-operators-inline-{env}"),),
        update_too=True,
    ),
    Variant(
        "sso-managed-full-access",
        "Identity Center ManagedPolicyAttachment of AmazonDynamoDBFullAccess",
        lambda env: Breakage(extra=sso_managed_full_access),
        RULE,
        (Res(SSO_MANAGED_POLICY_ATTACHMENT, "events-operators-full-access-{env}"),),
    ),
    Variant(
        "native-permission-set-inline-wildcard",
        "aws-native sso PermissionSet: inlinePolicy dynamodb:*",
        lambda env: Breakage(extra=native_permission_set),
        RULE,
        (Res(NATIVE_SSO_PERMISSION_SET, "events-native-permission-set-{env}"),),
    ),
    # --- aws-native IAM
    Variant(
        "native-role-inline-wildcard",
        "aws-native iam Role: inline policies dynamodb:* on the events table",
        lambda env: Breakage(
            extra=native_role(
                policies=lambda env: [
                    {
                        "policy_name": "events-all",
                        "policy_document": {
                            "Version": "2012-10-17",
                            "Statement": [allow("dynamodb:*", resource=table_arn(EVENTS, env))],
                        },
                    }
                ]
            )
        ),
        RULE,
        (NATIVE_EVENTS_ROLE,),
        update_too=True,
    ),
    Variant(
        "native-role-managed-full-access",
        "aws-native iam Role: managedPolicyArns AmazonDynamoDBFullAccess",
        lambda env: Breakage(extra=native_role(managed_policy_arns=[FULL_ACCESS])),
        RULE,
        (NATIVE_EVENTS_ROLE,),
    ),
    Variant(
        "native-role-policy-not-action",
        "aws-native iam RolePolicy: NotAction DeleteTable",
        lambda env: Breakage(
            extra=native_document(
                "RolePolicy",
                lambda arn: {"Effect": "Allow", "NotAction": "dynamodb:DeleteTable", "Resource": arn},
                policy_name="events-not-delete",
                role_name=lambda env: f"events-native-role-{env}",
            )
        ),
        RULE,
        (Res(NATIVE_IAM_ROLE_POLICY, "events-native-rolepolicy-{env}"),),
    ),
    Variant(
        "native-user-policy-admin",
        "aws-native iam UserPolicy: dynamodb:DeleteTable",
        lambda env: Breakage(
            extra=native_document(
                "UserPolicy",
                lambda arn: allow("dynamodb:DeleteTable", resource=arn),
                policy_name="events-admin",
                user_name=lambda env: f"events-operator-{env}",
            )
        ),
        RULE,
        (Res(NATIVE_IAM_USER_POLICY, "events-native-userpolicy-{env}"),),
    ),
    Variant(
        "native-group-policy-every-table",
        'aws-native iam GroupPolicy: GetItem on "arn:aws:dynamodb:*:*:table*"',
        lambda env: Breakage(
            extra=native_document(
                "GroupPolicy",
                lambda arn: allow("dynamodb:GetItem", resource="arn:aws:dynamodb:*:*:table*"),
                policy_name="events-read-all",
                group_name=lambda env: f"events-operators-{env}",
            )
        ),
        RULE,
        (Res(NATIVE_IAM_GROUP_POLICY, "events-native-grouppolicy-{env}"),),
    ),
    Variant(
        "native-managed-policy-write-in-read-role",
        "aws-native iam ManagedPolicy attached to the events read role: PutItem",
        lambda env: Breakage(
            extra=native_document(
                "ManagedPolicy",
                lambda arn: allow("dynamodb:PutItem", resource=arn),
                roles=lambda env: [naming.role_name(EVENTS, "read", env)],
            )
        ),
        RULE,
        (Res(NATIVE_IAM_MANAGED_POLICY, "events-native-managedpolicy-{env}"),),
    ),
)
