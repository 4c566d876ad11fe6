"""The DynamoDbStack component: tables from specs, with roles, alarms and notifications."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from dynamodb_stack.alarms import create_account_user_errors_alarm, create_table_alarms
from dynamodb_stack.args import DynamoDbStackArgs
from dynamodb_stack.iam import TableRoles, create_access_roles
from dynamodb_stack.notifications import create_alarm_target
from dynamodb_stack.tables import create_table

COMPONENT_TYPE = "tap:stack:DynamoDbStack"


class DynamoDbStack(pulumi.ComponentResource):
    table_names: pulumi.Output[list[str]]
    table_arns: pulumi.Output[list[str]]
    stream_arns: pulumi.Output[list[str]]

    def __init__(
        self, name: str, args: DynamoDbStackArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self.alarm_target = create_alarm_target(self, args)
        self.tables: dict[str, aws.dynamodb.Table] = {}
        self.roles: dict[str, TableRoles] = {}
        self.alarms: list[aws.cloudwatch.MetricAlarm] = []
        for spec in args.tables:
            table = create_table(self, spec, args)
            self.tables[spec.key] = table
            self.roles[spec.key] = create_access_roles(self, spec, table, args)
            self.alarms += create_table_alarms(self, spec, table, args, self.alarm_target.topic_arn)
        if args.alarms.account_user_errors_alarm:
            self.alarms.append(create_account_user_errors_alarm(self, args, self.alarm_target.topic_arn))

        tables = list(self.tables.values())
        self.table_names = pulumi.Output.all(*(table.name for table in tables))
        self.table_arns = pulumi.Output.all(*(table.arn for table in tables))
        # Only tables with a stream: AWS reports an empty streamArn for the others.
        streams = [self.tables[spec.key].stream_arn for spec in args.tables if spec.stream_enabled]
        self.stream_arns = pulumi.Output.all(*streams)
        self.register_outputs(
            {"tableNames": self.table_names, "tableArns": self.table_arns, "streamArns": self.stream_arns}
        )
