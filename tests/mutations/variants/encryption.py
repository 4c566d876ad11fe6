"""dynamodb-encryption-key-level: tables below the required key level or outside the allow-list."""

from collections.abc import Callable

from dynamodb_guardrails.rules import encryption
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS, USERS
from tests.mutations.breakage import ACCOUNT, REGION, TABLE, Breakage, change, setting, unchanged
from tests.mutations.roads import CFN, NATIVE, cfn_stack, extra, native_table
from tests.mutations.variant import PackConfig, Variant, tables

RULE = encryption.RULE

KMS_ALLOW_LIST = PackConfig(
    "kms-allow-list",
    {RULE.meta.name: {"allowedKmsKeyArns": [f"arn:aws:kms:{REGION}:{ACCOUNT}:key/approved-*"]}},
)


def events_key(key_id: str) -> Callable[[str], Breakage]:
    return lambda env: change(
        TABLE,
        naming.table_resource_name(EVENTS, env),
        setting(
            server_side_encryption={
                "enabled": True,
                "kms_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
            }
        ),
    )


VARIANTS = (
    Variant(
        "sse-disabled",
        "users table: serverSideEncryption.enabled false",
        lambda env: change(
            TABLE, naming.table_resource_name(USERS, env), setting(server_side_encryption={"enabled": False})
        ),
        RULE,
        tables("users"),
        update_too=True,
    ),
    Variant(
        "sse-absent",
        "events table: no serverSideEncryption block",
        lambda env: change(
            TABLE, naming.table_resource_name(EVENTS, env), setting(server_side_encryption=None)
        ),
        RULE,
        tables("events"),
    ),
    Variant(
        "customer-managed-key-required",
        "unchanged stack (aws-managed keys) under minimumKeyLevel customer-managed",
        unchanged,
        RULE,
        tables("events", "sessions", "users"),
        pack_config=PackConfig(
            "customer-managed-keys", {RULE.meta.name: {"minimumKeyLevel": "customer-managed"}}
        ),
        update_too=True,
    ),
    Variant(
        "kms-key-not-allowed",
        "events table: customer-managed key outside allowedKmsKeyArns",
        events_key("11111111-2222-3333-4444-555555555555"),
        RULE,
        tables("events"),
        pack_config=KMS_ALLOW_LIST,
        update_too=True,
    ),
    Variant(
        "kms-key-allowed",
        "events table: customer-managed key inside allowedKmsKeyArns (control)",
        events_key("approved-1"),
        None,
        exit_code=0,
        pack_config=KMS_ALLOW_LIST,
    ),
    Variant(
        "native-sse-absent",
        "aws-native table without sseSpecification (AWS-owned key)",
        extra(native_table(sse=None)),
        RULE,
        (NATIVE,),
    ),
    Variant(
        "cfn-table-without-sse",
        "CloudFormation template table without SSESpecification",
        extra(cfn_stack(SSESpecification=None)),
        RULE,
        (CFN,),
    ),
)
