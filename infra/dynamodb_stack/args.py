"""Typed arguments of the DynamoDbStack component. Built from config by `config.parse_stack_args`,
or directly in code (tests, other programs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dynamodb_stack import naming
from dynamodb_stack.default_tables import DEFAULT_TABLES
from dynamodb_stack.specs import TableSpec
from dynamodb_stack.tags import StackTags

# Default alarm settings: more than 5 in one 60-second period, Sum.
DEFAULT_THRESHOLD = 5.0
DEFAULT_PERIOD_SECONDS = 60
DEFAULT_EVALUATION_PERIODS = 1
# The region of the first deployed stack (Pulumi.dev.yaml): stacks there keep their IAM role names.
DEFAULT_HOME_REGION = "us-east-1"


@dataclass(frozen=True)
class AlarmSettings:
    period_seconds: int = DEFAULT_PERIOD_SECONDS
    evaluation_periods: int = DEFAULT_EVALUATION_PERIODS
    system_errors_threshold: float = DEFAULT_THRESHOLD
    throttle_threshold: float = DEFAULT_THRESHOLD
    user_errors_threshold: float = DEFAULT_THRESHOLD
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
    tables: tuple[TableSpec, ...] = DEFAULT_TABLES
    # Tables hold data: deletion protection in AWS plus Pulumi's `protect`, unless switched off.
    protect_tables: bool = True
    alarms: AlarmSettings = field(default_factory=AlarmSettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    # The AWS region the stack deploys to (`aws:region`), None when the program cannot tell.
    region: str | None = None
    # IAM names are global per account: outside this region they carry the region (naming.py).
    home_region: str = DEFAULT_HOME_REGION

    @property
    def iam_name_suffix(self) -> str:
        return naming.iam_name_suffix(self.environment, self.region, self.home_region)
