"""The rule test kit: resource builders, config from schema defaults, good/bad cases, goldens.

from tests.policies.kit import bad, config, good, table
"""

from .builders import (
    ACCOUNT,
    REGION,
    TAGS,
    alarm,
    allow,
    iam_policy,
    insights_query,
    kms_key_arn,
    policy_document,
    resource,
    role,
    role_policy,
    role_policy_attachment,
    table,
    table_arn,
    table_replica,
    topic,
    topic_arn,
    urn,
)
from .cases import Case, bad, good, outcome, violations
from .config import config

__all__ = [
    "ACCOUNT",
    "REGION",
    "TAGS",
    "Case",
    "alarm",
    "allow",
    "bad",
    "config",
    "good",
    "iam_policy",
    "insights_query",
    "kms_key_arn",
    "outcome",
    "policy_document",
    "resource",
    "role",
    "role_policy",
    "role_policy_attachment",
    "table",
    "table_arn",
    "table_replica",
    "topic",
    "topic_arn",
    "urn",
    "violations",
]
