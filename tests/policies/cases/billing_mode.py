"""dynamodb-on-demand-billing: tables on PAY_PER_REQUEST pass, anything else is flagged."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import billing_mode
from tests.policies.kit import bad, good, table

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
)
