"""The DynamoDB stack as a reusable component. infra/__main__.py reads config and builds it."""

from dynamodb_stack.args import AlarmSettings, DynamoDbStackArgs, NotificationSettings
from dynamodb_stack.component import COMPONENT_TYPE, DynamoDbStack
from dynamodb_stack.config import ConfigError, parse_stack_args
from dynamodb_stack.specs import Attribute, GlobalSecondaryIndex, TableSpec
from dynamodb_stack.tags import StackTags

__all__ = [
    "COMPONENT_TYPE",
    "AlarmSettings",
    "Attribute",
    "ConfigError",
    "DynamoDbStack",
    "DynamoDbStackArgs",
    "GlobalSecondaryIndex",
    "NotificationSettings",
    "StackTags",
    "TableSpec",
    "parse_stack_args",
]
