"""iam-least-privilege: the stack's roles and policies granting more than they need."""

from dynamodb_guardrails.rules import iam_least_privilege
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS, SESSIONS, USERS
from dynamodb_stack.iam import read_policy_document, write_policy_document
from tests.mutations.breakage import (
    ROLE,
    ROLE_POLICY,
    Breakage,
    change,
    full_access_attachment,
    policy_document,
    read_policy,
    setting,
    table_arn,
    unchanged,
    with_actions,
    with_statement_change,
    write_added_after_deploy,
    write_policy,
)
from tests.mutations.variant import ATTACHMENT, PackConfig, Res, Variant, role, role_policy

RULE = iam_least_privilege.RULE

VARIANTS = (
    Variant(
        "read-policy-dynamodb-star",
        "events read policy: Action dynamodb:*",
        lambda env: read_policy(
            EVENTS,
            env,
            with_statement_change(read_policy_document(table_arn(EVENTS, env)), Action="dynamodb:*"),
        ),
        RULE,
        (role_policy("events", "read"),),
        update_too=True,
    ),
    Variant(
        "read-policy-put-item",
        "users read policy: + dynamodb:PutItem",
        lambda env: read_policy(
            USERS, env, with_actions(read_policy_document(table_arn(USERS, env)), "dynamodb:PutItem")
        ),
        RULE,
        (role_policy("users", "read"),),
    ),
    Variant(
        "read-policy-lowercase-putitem",
        "sessions read policy: + dynamodb:putitem (lower case)",
        lambda env: read_policy(
            SESSIONS, env, with_actions(read_policy_document(table_arn(SESSIONS, env)), "dynamodb:putitem")
        ),
        RULE,
        (role_policy("sessions", "read"),),
    ),
    Variant(
        "read-policy-write-after-deploy",
        "events read policy: + PutItem, built from the table ARN (unknown in preview)",
        lambda env: change(
            ROLE_POLICY, naming.role_policy_name(EVENTS, "read", env), write_added_after_deploy
        ),
        RULE,
        (role_policy("events", "read"),),
        update_too=True,
        clean_in_preview=True,
    ),
    Variant(
        "write-policy-resource-star",
        'events write policy: Resource "*"',
        lambda env: write_policy(
            EVENTS, env, with_statement_change(write_policy_document(table_arn(EVENTS, env)), Resource="*")
        ),
        RULE,
        (role_policy("events", "write"),),
        update_too=True,
    ),
    Variant(
        "write-policy-not-action",
        "users write policy: NotAction [DeleteTable] instead of Action",
        lambda env: write_policy(
            USERS,
            env,
            with_statement_change(
                write_policy_document(table_arn(USERS, env)), Action=None, NotAction=["dynamodb:DeleteTable"]
            ),
        ),
        RULE,
        (role_policy("users", "write"),),
    ),
    Variant(
        "write-policy-delete-table",
        "sessions write policy: + dynamodb:DeleteTable (admin)",
        lambda env: write_policy(
            SESSIONS,
            env,
            with_actions(write_policy_document(table_arn(SESSIONS, env)), "dynamodb:DeleteTable"),
        ),
        RULE,
        (role_policy("sessions", "write"),),
    ),
    Variant(
        "write-policy-put-wildcard",
        "events write policy: + dynamodb:Put*",
        lambda env: write_policy(
            EVENTS, env, with_actions(write_policy_document(table_arn(EVENTS, env)), "dynamodb:Put*")
        ),
        RULE,
        (role_policy("events", "write"),),
    ),
    Variant(
        "full-access-attachment",
        "extra RolePolicyAttachment of AmazonDynamoDBFullAccess to the events write role",
        lambda env: Breakage(extra=full_access_attachment),
        RULE,
        (Res(ATTACHMENT, "events-write-full-access-{env}"),),
        update_too=True,
    ),
    Variant(
        "role-admin-managed-policy",
        "users read role: managedPolicyArns [AdministratorAccess]",
        lambda env: change(
            ROLE,
            naming.role_name(USERS, "read", env),
            setting(managed_policy_arns=["arn:aws:iam::aws:policy/AdministratorAccess"]),
        ),
        RULE,
        (role("users", "read"),),
    ),
    Variant(
        "role-inline-scan-everything",
        'sessions read role: inline policy dynamodb:Scan on "*"',
        lambda env: change(
            ROLE,
            naming.role_name(SESSIONS, "read", env),
            setting(
                inline_policies=[
                    {
                        "name": "scan-all",
                        "policy": policy_document(
                            {"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}
                        ),
                    }
                ]
            ),
        ),
        RULE,
        (role("sessions", "read"),),
        update_too=True,
    ),
    Variant(
        "write-roles-named-read-only",
        "unchanged stack under readOnlyNamePattern matching -write- too",
        unchanged,
        RULE,
        (role_policy("events", "write"), role_policy("sessions", "write"), role_policy("users", "write")),
        pack_config=PackConfig(
            "write-roles-read-only", {RULE.meta.name: {"readOnlyNamePattern": "(?i)-(read|write)-"}}
        ),
        update_too=True,
        clean_in_preview=True,  # the stack builds its documents from the table ARN
    ),
)
