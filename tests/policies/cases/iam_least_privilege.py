"""iam-least-privilege: IAM documents grant DynamoDB only what a workload needs."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import iam_least_privilege
from tests.policies.kit import (
    allow,
    bad,
    cfn_stack,
    good,
    iam_policy,
    policy_document,
    resource,
    role,
    role_policy,
    role_policy_attachment,
    table_arn,
)

RULE = iam_least_privilege.RULE
OTHER_ACCOUNT = "999988887777"

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
    # --- the other roads to a permission
    bad(
        "aws-native role inline policy with dynamodb:*",
        resource(
            "aws-native:iam:Role",
            "native-app-role",
            roleName="native-app-role",
            policies=[{"policyName": "all", "policyDocument": {"Statement": [allow("dynamodb:*", ARN)]}}],
        ),
    ),
    bad(
        "aws-native managed policy on every table, spelt short",
        resource(
            "aws-native:iam:ManagedPolicy",
            "native-app-policy",
            policyDocument={"Statement": [allow("dynamodb:GetItem", "arn:aws:dynamodb:*")]},
        ),
    ),
    bad(
        "resource policy open to everyone",
        resource(
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "events-access",
            resourceArn=ARN,
            policy=policy_document({**allow("dynamodb:GetItem", ARN), "Principal": "*"}),
        ),
    ),
    bad(
        "resource policy granting another account dynamodb:*",
        resource(
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "events-access",
            resourceArn=ARN,
            policy=policy_document({**allow("dynamodb:*", ARN), "Principal": {"AWS": OTHER_ACCOUNT}}),
        ),
    ),
    good(
        "resource policy: Principal '*' limited to the organisation",
        resource(
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "events-access",
            resourceArn=ARN,
            policy=policy_document(
                {
                    **allow("dynamodb:GetItem", ARN),
                    "Principal": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
                }
            ),
        ),
    ),
    bad(
        "aws-native table resource policy open to everyone",
        resource(
            "aws-native:dynamodb:Table",
            "events",
            resourcePolicy={
                "policyDocument": {"Statement": [{**allow("dynamodb:Query", ARN), "Principal": "*"}]}
            },
        ),
    ),
    bad(
        "Identity Center inline policy with dynamodb:*",
        resource(
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
            "operators-inline",
            inlinePolicy=policy_document(allow("dynamodb:*", ARN)),
        ),
    ),
    bad(
        "user exclusive attachments with full access",
        resource(
            "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
            "operator-attachments",
            userName="operator",
            policyArns=["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"],
        ),
    ),
    good(
        "aws-native permission set with an unknown inline policy",
        resource("aws-native:sso:PermissionSet", "operators", inlinePolicy=UNKNOWN),
    ),
    # IAM inside an embedded CloudFormation template (aws-native records, reported on the stack)
    bad(
        "template role allowing dynamodb:* on every table",
        cfn_stack(
            "cfn",
            {
                "Resources": {
                    "Writer": {
                        "Type": "AWS::IAM::Role",
                        "Properties": {
                            "Policies": [
                                {
                                    "PolicyName": "p",
                                    "PolicyDocument": {"Statement": [allow("dynamodb:*", "*")]},
                                }
                            ]
                        },
                    }
                }
            },
        ),
    ),
    good(
        "template role scoped to its table with !GetAtt",
        cfn_stack(
            "cfn",
            {
                "Resources": {
                    "Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
                    "Writer": {
                        "Type": "AWS::IAM::Role",
                        "Properties": {
                            "Policies": [
                                {
                                    "PolicyName": "p",
                                    "PolicyDocument": {
                                        "Statement": [
                                            allow("dynamodb:PutItem", {"Fn::GetAtt": ["Orders", "Arn"]})
                                        ]
                                    },
                                }
                            ]
                        },
                    },
                }
            },
        ),
    ),
)
