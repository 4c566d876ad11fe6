"""The pack's table of contents: the policies it enforces. Each rule lives in its own module
under dynamodb_guardrails/rules; the adapter wraps the pure rule for pulumi_policy."""

from pulumi_policy import PolicyPack

from dynamodb_guardrails.process_tuning import tune_garbage_collector
from dynamodb_guardrails.rules import (
    alarm_actions,
    billing_mode,
    cloudformation_templates,
    encryption,
    iam_least_privilege,
    required_tags,
    table_alarms,
)
from dynamodb_guardrails.sdk_adapter import resource_policy, stack_policy
from dynamodb_guardrails.sdk_speedups import install as install_sdk_speedups

tune_garbage_collector()
install_sdk_speedups()
PolicyPack(
    name="dynamodb-guardrails",
    description="DynamoDB guardrails: on-demand billing, encryption key level, required tags, "
    "working alarms per table, least-privilege IAM.",
    policies=[
        resource_policy(billing_mode),
        resource_policy(encryption),
        resource_policy(required_tags),
        stack_policy(table_alarms),
        resource_policy(alarm_actions),
        resource_policy(iam_least_privilege),
        resource_policy(cloudformation_templates),
    ],
)
