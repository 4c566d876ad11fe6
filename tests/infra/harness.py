"""Build the component under mocks and hand back what was registered and what it outputs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pulumi

from dynamodb_stack import DynamoDbStack, DynamoDbStackArgs
from tests.infra.mocks import Registered, install_mocks

TABLE = "aws:dynamodb/table:Table"
INSIGHTS = "aws:dynamodb/contributorInsights:ContributorInsights"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"


@dataclass(frozen=True)
class StackRun:
    registered: tuple[Registered, ...]
    outputs: dict[str, Any]

    @property
    def component(self) -> Registered:
        (component,) = (r for r in self.registered if not r.custom)
        return component

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.registered if r.type == type_]

    def named(self, name: str) -> Registered:
        (resource,) = (r for r in self.registered if r.name == name)
        return resource

    def by_urn(self, urns: Iterable[str]) -> list[Registered]:
        wanted = set(urns)
        return [r for r in self.registered if r.urn in wanted]


def run_stack(args: DynamoDbStackArgs) -> StackRun:
    monitor = install_mocks()
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test
    def build() -> pulumi.Output[None]:
        stack = DynamoDbStack("dynamodb-guardrails", args)
        return pulumi.Output.all(
            tableNames=stack.table_names, tableArns=stack.table_arns, streamArns=stack.stream_arns
        ).apply(outputs.update)

    build()
    return StackRun(tuple(monitor.registered), outputs)


def policy_document(resource: Registered) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resource.inputs["policy"])
    return document
