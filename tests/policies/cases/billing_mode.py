"""dynamodb-on-demand-billing: tables on PAY_PER_REQUEST pass, anything else is flagged."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import billing_mode
from tests.policies.kit import bad, cfn_stack, good, native_global_table, native_table, table

RULE = billing_mode.RULE

CASES = (
    good("on-demand table", table(billingMode="PAY_PER_REQUEST")),
    good("billing mode unknown during preview", table(billingMode=UNKNOWN)),
    good("exempt table", table(billingMode="PROVISIONED"), exemptResources=["events"]),
    bad(
        "provisioned table with capacity",
        table(
            billingMode="PROVISIONED",
            readCapacity=5,
            writeCapacity=5,
            globalSecondaryIndexes=[{"name": "by-user", "hashKey": "userId", "readCapacity": 1}],
        ),
    ),
    bad("billing mode absent is the provider default", table()),
    bad("billing mode null", table(billingMode=None)),
    bad("free text is never echoed", table(billingMode="s3cr3t-value")),
    # the other roads: aws-native (CloudFormation semantics) and embedded templates
    good("aws-native table on demand", native_table(billingMode="PAY_PER_REQUEST")),
    bad("aws-native table without billingMode", native_table()),
    bad("aws-native global table provisioned", native_global_table(billingMode="PROVISIONED")),
    good(
        "template table on demand",
        cfn_stack(
            "cfn",
            {
                "Resources": {
                    "Orders": {
                        "Type": "AWS::DynamoDB::Table",
                        "Properties": {"BillingMode": "PAY_PER_REQUEST"},
                    }
                }
            },
        ),
    ),
    bad(
        "template table without BillingMode",
        cfn_stack("cfn", {"Resources": {"Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}}),
    ),
    good(
        "template by URL: another policy says it is unreadable",
        cfn_stack("cfn", templateUrl="https://b.s3.amazonaws.com/t"),
    ),
)
