"""cloudformation-template-readable: the guardrails can read every embedded CloudFormation template.

## What it checks
The other policies judge the tables, alarms and IAM resources inside the template of an
`aws:cloudformation/stack:Stack` or `aws-native:cloudformation:Stack`: its `templateBody`, JSON or
YAML with CloudFormation's short forms (`!Ref`, `!Sub`, `!GetAtt`, ...), read as the aws-native
resources it declares (`AWS::DynamoDB::Table` is `aws-native:dynamodb:Table`). What they cannot
read is unknown to them, so never a finding there; this policy reports it instead:

- a template given only by `templateUrl` (the pack cannot fetch it);
- a body that is neither JSON nor YAML, or no CloudFormation template;
- an intrinsic function the pack cannot resolve where a rule reads (any property of a table,
  alarm or IAM resource, the `Tags` of any other): `Fn::ImportValue`, a `Ref` to nothing the
  template declares, a parameter without a value, `Fn::If` on a condition it cannot evaluate, ...
  Parameters (the stack's `parameters`, else their `Default`), pseudo parameters, `Fn::Sub`,
  `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap` and `Fn::If` are resolved; `Ref` and
  `Fn::GetAtt` of another template resource are that resource's values after deployment;
- a `Transform` (SAM and other macros rewrite the template while deploying), nested stacks and
  stack sets, SAM resources.

Template text is never echoed: messages name logical ids and property names only.

## Why
A guardrail that silently passes what it cannot read is a hole: a table declared in a template
by URL, or with its billing mode imported from another stack, would pass every policy unseen.

## Example
```python
import pulumi_aws as aws

aws.cloudformation.Stack(
    "orders",
    template_url="https://templates.s3.amazonaws.com/orders.yaml",
    tags={"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"},
)
```

## Use instead
```python
import json

import pulumi_aws as aws

template = {
    "Resources": {
        "Orders": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "SSESpecification": {"SSEEnabled": True},
                "KeySchema": [{"AttributeName": "orderId", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "orderId", "AttributeType": "S"}],
            },
        }
    }
}
aws.cloudformation.Stack(
    "orders",
    template_body=json.dumps(template),
    tags={"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"},
)
```

## During preview
A `templateBody` built from another resource's output is unknown in a preview and is judged on the
update; so are parameters the stack gets from outputs. Neither is reported as unreadable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exemptions import exemption_schema, is_exempt
from ..model import PolicyMeta, Resource, Violation
from ..readers import template_expansion
from ..resource_types import CLOUDFORMATION_HOSTS
from ..rule import ResourceRule

META = PolicyMeta(
    name="cloudformation-template-readable",
    description="Embedded CloudFormation templates must be readable by the guardrails (inline body, "
    "intrinsic functions the pack can resolve), so their tables, alarms and IAM resources are judged.",
    severity="medium",
    enforcement_level="advisory",
    remediation_steps=(
        "Pass the template in templateBody (not templateUrl); use literal values, parameters, Ref, "
        "Fn::Sub, Fn::Join, Fn::Select, Fn::FindInMap or Fn::If on conditions over parameters where the "
        "template sets table, alarm or IAM properties; or declare those resources with Pulumi directly. "
        "To exempt a stack, add its logical name to `exemptResources`."
    ),
    url="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html",
    config_schema={
        **exemption_schema("CloudFormation stacks whose templates the policy skips"),
    },
    resource_types=CLOUDFORMATION_HOSTS,
    tags=("governance", "cloudformation"),
)


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if is_exempt(resource, config):
        return []
    expansion = template_expansion(resource)
    if expansion is None or expansion.unknown or not expansion.problems:
        return []
    return [
        Violation(
            f"CloudFormation stack '{resource.name}': the guardrails cannot read all of its template: "
            + "; ".join(expansion.problems)
            + ". What they cannot read is not checked by the other policies. Put the template in "
            "templateBody and use values the pack can resolve, or declare those resources with Pulumi."
        )
    ]


RULE = ResourceRule(meta=META, check=check, doc=__doc__)
