"""cloudformation-template-readable: templates the guardrails cannot read (advisory by default)."""

from dynamodb_guardrails.rules import cloudformation_templates
from tests.mutations.roads import CFN, cfn_stack, extra
from tests.mutations.variant import Variant

RULE = cloudformation_templates.RULE

VARIANTS = (
    Variant(
        "cfn-template-url",
        "CloudFormation stack with templateUrl only: an advisory, never a silent pass",
        extra(cfn_stack(template_url=True)),
        RULE,
        (CFN,),
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "cfn-serverless-transform",
        "SAM template (Transform, AWS::Serverless::SimpleTable): what the transform adds is not judged",
        extra(cfn_stack(transform=True)),
        RULE,
        (CFN,),
        exit_code=0,
    ),
    Variant(
        "cfn-unresolvable-billing",
        "template BillingMode from Fn::ImportValue: unknown to billing, an advisory says so",
        extra(cfn_stack(BillingMode={"Fn::ImportValue": "billing-mode"})),
        RULE,
        (CFN,),
        exit_code=0,
    ),
)
