"""Pulumi program: read config, build the DynamoDB stack, export what other stacks consume."""

import pulumi

from dynamodb_stack.component import DynamoDbStack
from dynamodb_stack.config_source import read_stack_args

# Config is checked in full before the first resource is registered.
args = read_stack_args()
stack = DynamoDbStack("dynamodb-guardrails", args)

pulumi.export("tableNames", stack.table_names)
pulumi.export("tableArns", stack.table_arns)
pulumi.export("streamArns", stack.stream_arns)
