"""dynamodb-encryption-key-level: key level of tables and replicas, the KMS allow-list."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import encryption
from tests.policies.kit import (
    bad,
    cfn_stack,
    good,
    kms_key_arn,
    native_global_table,
    native_table,
    table,
    table_replica,
)

RULE = encryption.RULE

KEY = kms_key_arn()
REPLICA_KEY = kms_key_arn("9999aaaa-22bb-33cc-44dd-555555eeeeee", region="eu-west-1")
AWS_MANAGED = {"enabled": True}
CUSTOMER_MANAGED = {"enabled": True, "kmsKeyArn": KEY}

CASES = (
    good("aws-managed key meets the default", table(serverSideEncryption=AWS_MANAGED)),
    good("customer-managed key", table(serverSideEncryption=CUSTOMER_MANAGED)),
    good("aws-owned key when configured", table(), minimumKeyLevel="aws-owned"),
    good("key unknown during preview", table(serverSideEncryption={"enabled": True, "kmsKeyArn": UNKNOWN})),
    good("encryption unknown during preview", table(serverSideEncryption=UNKNOWN)),
    good(
        "allowed key by pattern",
        table(serverSideEncryption=CUSTOMER_MANAGED),
        allowedKmsKeyArns=["arn:aws:kms:*:123456789012:key/*"],
    ),
    good(
        "customer-managed table and replica",
        table(
            serverSideEncryption=CUSTOMER_MANAGED,
            replicas=[{"regionName": "eu-west-1", "kmsKeyArn": REPLICA_KEY}],
        ),
        minimumKeyLevel="customer-managed",
    ),
    good("keyless TableReplica is judged on its table", table_replica(globalTableArn="arn")),
    good("exempt table", table(), exemptResources=["events"]),
    bad("SSE disabled is an AWS-owned key", table(serverSideEncryption={"enabled": False})),
    bad("no SSE block", table()),
    bad(
        "aws-managed key when customer-managed is required",
        table(serverSideEncryption=AWS_MANAGED),
        minimumKeyLevel="customer-managed",
    ),
    bad(
        "key outside the allow-list",
        table(serverSideEncryption=CUSTOMER_MANAGED),
        allowedKmsKeyArns=["arn:aws:kms:us-east-1:123456789012:key/approved-*"],
    ),
    bad(
        "replica without its own key",
        table(serverSideEncryption=CUSTOMER_MANAGED, replicas=[{"regionName": "eu-west-1"}]),
        minimumKeyLevel="customer-managed",
    ),
    bad(
        "keyless TableReplica when customer-managed is required",
        table_replica(globalTableArn="arn"),
        minimumKeyLevel="customer-managed",
    ),
    bad(
        "free text in a key is never echoed",
        table(serverSideEncryption={"enabled": True, "kmsKeyArn": "s3cr3t key text"}),
        allowedKmsKeyArns=[KEY],
    ),
    # the AWS-managed key named by alias is not customer-managed
    bad(
        "alias ARN of the AWS-managed key under customer-managed",
        table(
            serverSideEncryption={
                "enabled": True,
                "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb",
            }
        ),
        minimumKeyLevel="customer-managed",
    ),
    good(
        "alias ARN of the AWS-managed key meets aws-managed",
        table(
            serverSideEncryption={
                "enabled": True,
                "kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb",
            }
        ),
    ),
    # the other roads
    bad("aws-native table without sseSpecification", native_table()),
    good("aws-native table with SSE", native_table(sseSpecification={"sseEnabled": True})),
    bad(
        "aws-native alias/aws/dynamodb under customer-managed",
        native_table(sseSpecification={"sseEnabled": True, "kmsMasterKeyId": "alias/aws/dynamodb"}),
        minimumKeyLevel="customer-managed",
    ),
    bad(
        "global table with a keyless replica under customer-managed",
        native_global_table(
            sseSpecification={"sseEnabled": True, "sseType": "KMS"},
            replicas=[
                {"region": "us-east-1", "sseSpecification": {"kmsMasterKeyId": KEY}},
                {"region": "eu-west-1"},
            ],
        ),
        minimumKeyLevel="customer-managed",
    ),
    good(
        "aws-native SSE unknown during preview",
        native_table(sseSpecification=UNKNOWN),
        minimumKeyLevel="customer-managed",
    ),
    bad(
        "template table without SSESpecification",
        cfn_stack("cfn", {"Resources": {"Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}}),
    ),
)
