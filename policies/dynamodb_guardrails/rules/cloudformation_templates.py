"""cloudformation-template-readable: the guardrails can read every embedded CloudFormation template.

The other policies judge the tables, alarms and IAM resources inside an
`aws:cloudformation/stack:Stack` or `aws-native:cloudformation:Stack` template
(readers/cloudformation.py). What they cannot read - a template given only by `templateUrl`, a body
that is neither JSON nor YAML, an intrinsic function they cannot resolve in a resource they judge,
a `Transform`, a nested stack - is unknown to them and so never a finding there. This policy makes
that gap visible instead of a silent pass. Advisory: a template may be fine; the pack just cannot
show it. A template that is unknown during a preview is judged on the update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exemptions import exemption_schema, is_exempt
from ..model import PolicyMeta, Resource, Violation
from ..readers import template_expansion
from ..resource_types import CLOUDFORMATION_HOSTS

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
