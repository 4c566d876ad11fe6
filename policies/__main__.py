"""The pack's entry point: every rule of `dynamodb_guardrails.rules.ALL_RULES`, wrapped for
pulumi_policy by the adapter. Each rule lives in its own module under dynamodb_guardrails/rules."""

from pulumi_policy import PolicyPack

from dynamodb_guardrails.docs import pack_readme
from dynamodb_guardrails.pack_identity import PACK_DESCRIPTION, PACK_NAME
from dynamodb_guardrails.process_tuning import tune_garbage_collector
from dynamodb_guardrails.rules import ALL_RULES
from dynamodb_guardrails.sdk_adapter import policy_for
from dynamodb_guardrails.sdk_speedups import install as install_sdk_speedups

tune_garbage_collector()
install_sdk_speedups()
PolicyPack(
    name=PACK_NAME,
    description=PACK_DESCRIPTION,
    readme=pack_readme(PACK_NAME, PACK_DESCRIPTION, ALL_RULES),
    policies=[policy_for(rule) for rule in ALL_RULES],
)
