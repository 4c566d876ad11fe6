"""cloudformation-template-readable: what the guardrails cannot read in an embedded template."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import cloudformation_templates
from tests.policies.kit import TAGS, bad, cfn_stack, good

RULE = cloudformation_templates.RULE

TABLE = {
    "Type": "AWS::DynamoDB::Table",
    "Properties": {"BillingMode": "PAY_PER_REQUEST", "SSESpecification": {"SSEEnabled": True}},
}


def template(**properties: object) -> dict[str, object]:
    return {"Resources": {"Orders": {**TABLE, "Properties": {**TABLE["Properties"], **properties}}}}


CASES = (
    good("a template it reads", cfn_stack("cfn", template(), tags=TAGS)),
    good(
        "parameters and intrinsics it resolves",
        cfn_stack(
            "cfn",
            {
                "Parameters": {"Mode": {"Type": "String", "Default": "PAY_PER_REQUEST"}},
                "Resources": {
                    "Orders": {
                        **TABLE,
                        "Properties": {
                            "BillingMode": {"Ref": "Mode"},
                            "TableName": {"Fn::Sub": "orders-${AWS::Region}"},
                        },
                    }
                },
            },
        ),
    ),
    good("template unknown during preview", cfn_stack("cfn", templateBody=UNKNOWN)),
    good(
        "exempt stack", cfn_stack("cfn", templateUrl="https://b.s3.amazonaws.com/t"), exemptResources=["cfn"]
    ),
    bad("template by URL only", cfn_stack("cfn", templateUrl="https://b.s3.amazonaws.com/t")),
    bad("not JSON or YAML", cfn_stack("cfn", templateBody="{not json")),
    bad("an import it cannot resolve", cfn_stack("cfn", template(BillingMode={"Fn::ImportValue": "mode"}))),
    bad("a SAM transform", cfn_stack("cfn", {"Transform": "AWS::Serverless-2016-10-31", "Resources": {}})),
    bad(
        "a nested stack",
        cfn_stack("cfn", {"Resources": {"Nested": {"Type": "AWS::CloudFormation::Stack", "Properties": {}}}}),
    ),
)
