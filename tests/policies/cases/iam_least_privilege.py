"""iam-least-privilege: IAM documents grant DynamoDB only what a workload needs."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import iam_least_privilege
from tests.policies.kit import (
    allow,
    bad,
    good,
    iam_policy,
    policy_document,
    role,
    role_policy,
    role_policy_attachment,
    table_arn,
)

RULE = iam_least_privilege.RULE

ARN = table_arn("events-dev")
READS = [
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:BatchGetItem",
    "dynamodb:DescribeTable",
]
WRITES = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
READ_POLICY = "dynamodb-events-read-policy-dev"
READ_ROLE = "dynamodb-events-read-role-dev"
WRITE_POLICY = "dynamodb-events-write-policy-dev"
WRITE_ROLE = "dynamodb-events-write-role-dev"


def read_policy(*statements: dict[str, object]) -> object:
    return role_policy(READ_POLICY, role=READ_ROLE, policy=policy_document(*statements))


def write_policy(*statements: dict[str, object]) -> object:
    return role_policy(WRITE_POLICY, role=WRITE_ROLE, policy=policy_document(*statements))


CASES = (
    good("exact reads on the table", read_policy(allow(READS, [ARN, f"{ARN}/index/*"]))),
    good("exact writes on the table", write_policy(allow(WRITES, ARN))),
    good("document unknown during preview", role_policy(READ_POLICY, role=READ_ROLE, policy=UNKNOWN)),
    good("Deny never violates", write_policy({"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"})),
    good(
        "allowed admin action",
        write_policy(allow("dynamodb:UpdateTable", ARN)),
        allowedAdminActions=["dynamodb:UpdateTable"],
    ),
    good(
        "accepted wildcard pattern",
        write_policy(allow("dynamodb:Describe*", ARN)),
        allowedActionPatterns=["dynamodb:Describe*"],
    ),
    good("exempt policy", write_policy(allow("dynamodb:*", "*")), exemptResources=[WRITE_POLICY]),
    bad("dynamodb:* on every resource", write_policy(allow("dynamodb:*", "*"))),
    bad("write in a read-only role policy", read_policy(allow([*READS, "dynamodb:PutItem"], ARN))),
    bad(
        "read-only by tag",
        iam_policy(
            "app-policy",
            policy=policy_document(allow("dynamodb:PutItem", ARN)),
            tags={"AccessLevel": "read-only"},
        ),
    ),
    bad("NotAction", write_policy({"Effect": "Allow", "NotAction": "dynamodb:DeleteTable", "Resource": ARN})),
    bad("admin action", write_policy(allow([*WRITES, "dynamodb:DeleteTable"], ARN))),
    bad("prefix wildcard", write_policy(allow([*WRITES[1:], "dynamodb:Put*"], ARN))),
    bad("not JSON", role_policy(WRITE_POLICY, role=WRITE_ROLE, policy="{not json")),
    bad(
        "role inline policy on every table",
        role(
            READ_ROLE,
            inlinePolicies=[{"name": "scan", "policy": policy_document(allow("dynamodb:Scan", "*"))}],
        ),
    ),
    bad(
        "role with a broad managed policy",
        role("app-role", managedPolicyArns=["arn:aws:iam::aws:policy/AdministratorAccess"]),
    ),
    bad(
        "attachment of full access",
        role_policy_attachment(
            "app-full-access", role="app-role", policyArn="arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
        ),
    ),
)
