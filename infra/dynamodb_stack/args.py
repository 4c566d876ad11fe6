"""Typed arguments of the DynamoDbStack component. Built from config by `config.parse_stack_args`,
or directly in code (tests, other programs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dynamodb_stack import naming
from dynamodb_stack.seed_tables import SEED_TABLES
from dynamodb_stack.specs import TableSpec
from dynamodb_stack.tags import StackTags

# The original design's alarm settings: more than 5 in one 60-second period, Sum.
SEED_THRESHOLD = 5.0
SEED_PERIOD_SECONDS = 60
SEED_EVALUATION_PERIODS = 1
# The region of the seed's stack (Pulumi.dev.yaml): stacks there keep the seed's IAM role names.
SEED_HOME_REGION = "us-east-1"


@dataclass(frozen=True)
class AlarmSettings:
    period_seconds: int = SEED_PERIOD_SECONDS
    evaluation_periods: int = SEED_EVALUATION_PERIODS
    system_errors_threshold: float = SEED_THRESHOLD
    throttle_threshold: float = SEED_THRESHOLD
    user_errors_threshold: float = SEED_THRESHOLD
    # UserErrors exists only per account and region, so one alarm per account/region is enough:
    # stacks sharing an account can switch theirs off.
    account_user_errors_alarm: bool = True


@dataclass(frozen=True)
class NotificationSettings:
    """Where alarms notify: an existing SNS topic, or one the stack creates (optionally with an
    e-mail subscription)."""

    existing_topic_arn: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class DynamoDbStackArgs:
    environment: str
    tags: StackTags
    tables: tuple[TableSpec, ...] = SEED_TABLES
    # Tables hold data: deletion protection in AWS plus Pulumi's `protect`, unless switched off.
    protect_tables: bool = True
    alarms: AlarmSettings = field(default_factory=AlarmSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    # The AWS region the stack deploys to (`aws:region`), None when the program cannot tell.
    region: str | None = None
    # IAM names are global per account: outside this region they carry the region (naming.py).
    home_region: str = SEED_HOME_REGION

    @property
    def iam_name_suffix(self) -> str:
        return naming.iam_name_suffix(self.environment, self.region, self.home_region)
