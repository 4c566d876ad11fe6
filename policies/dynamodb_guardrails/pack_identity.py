"""The pack's name and one-line description, as `pulumi policy` commands and reports show them.

PulumiPolicy.yaml repeats the description for the CLI; scripts/generate_docs.py writes it there.
"""

PACK_NAME = "dynamodb-guardrails"
PACK_DESCRIPTION = (
    "DynamoDB guardrails: on-demand billing, encryption key level, required tags, "
    "working alarms per table, least-privilege IAM."
)
