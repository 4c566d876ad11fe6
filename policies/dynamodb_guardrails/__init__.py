"""DynamoDB guardrails: a CrossGuard policy pack.

The policy logic lives in `rules/` as pure functions over plain data (dicts, lists, strings),
one policy per module. `sdk_adapter` is the only module that touches `pulumi_policy`.
"""
