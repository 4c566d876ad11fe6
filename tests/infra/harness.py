"""Build the component under the preview's mock engine and hand back what it registered and outputs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pulumi

from dynamodb_stack import DynamoDbStack, DynamoDbStackArgs
from policy_preview.model import ResourceRecord
from tests.infra.engine import install_engine, program_resources

TABLE = "aws:dynamodb/table:Table"
INSIGHTS = "aws:dynamodb/contributorInsights:ContributorInsights"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


@dataclass(frozen=True)
class StackRun:
    registered: tuple[ResourceRecord, ...]
    outputs: dict[str, Any]

    @property
    def component(self) -> ResourceRecord:
        (component,) = (r for r in self.registered if not r.custom)
        return component

    def of_type(self, type_: str) -> list[ResourceRecord]:
        return [r for r in self.registered if r.type == type_]

    def named(self, name: str) -> ResourceRecord:
        (resource,) = (r for r in self.registered if r.name == name)
        return resource

    def by_urn(self, urns: Iterable[str]) -> list[ResourceRecord]:
        wanted = set(urns)
        return [r for r in self.registered if r.urn in wanted]


def run_stack(args: DynamoDbStackArgs) -> StackRun:
    monitor = install_engine()
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test
    def build() -> pulumi.Output[None]:
        stack = DynamoDbStack("dynamodb-guardrails", args)
        return pulumi.Output.all(
            tableNames=stack.table_names, tableArns=stack.table_arns, streamArns=stack.stream_arns
        ).apply(outputs.update)

    build()
    return StackRun(program_resources(monitor.records), outputs)


def policy_document(resource: ResourceRecord) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resource.inputs["policy"])
    return document
