"""iam-least-privilege: IAM declared inside an embedded CloudFormation template."""

from dynamodb_guardrails.rules import iam_least_privilege
from tests.mutations.roads import CFN, cfn_stack, extra, template_role
from tests.mutations.variant import Variant

RULE = iam_least_privilege.RULE

VARIANTS = (
    Variant(
        "cfn-role-dynamodb-star",
        "CloudFormation template: an AWS::IAM::Role whose inline policy allows dynamodb:* on every table",
        extra(
            cfn_stack(
                resources={
                    "OrdersWriter": template_role(
                        {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}
                    )
                }
            )
        ),
        RULE,
        (CFN,),
        update_too=True,
    ),
)
