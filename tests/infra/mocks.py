"""Pulumi mocks for the stack: plausible AWS ids and ARNs, and a monitor that records every
registration with what the engine would see (parent, protect, dependencies).

No import of the stack here: the program test loads this module before `runpy` puts infra/ on
sys.path, as the language host does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs

PROJECT = "dynamodb-guardrails"
REGION = "us-east-1"
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Registered:
    type: str
    name: str
    urn: str
    custom: bool
    inputs: dict[str, Any]
    parent: str
    protect: bool
    dependencies: tuple[str, ...] = ()
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)


class AwsMocks(pulumi.runtime.Mocks):
    """Resources come back with their inputs plus the ids and ARNs AWS would give them."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        name = args.inputs.get("name") or args.name
        state = dict(args.inputs)
        if args.typ == "aws:dynamodb/table:Table":
            state["arn"] = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
            # AWS reports an empty stream ARN for a table without a stream.
            state["streamArn"] = (
                f"{state['arn']}/stream/2024-01-01T00:00:00.000" if state.get("streamEnabled") else ""
            )
            return name, state
        if args.typ == "aws:iam/role:Role":
            state["arn"] = f"arn:aws:iam::{ACCOUNT}:role/{name}"
            return name, state
        if args.typ == "aws:sns/topic:Topic":
            state["arn"] = f"arn:aws:sns:{REGION}:{ACCOUNT}:{name}"
            return state["arn"], state
        if args.typ == "aws:cloudwatch/metricAlarm:MetricAlarm":
            state["arn"] = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"
            return name, state
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registered: list[Registered] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registered.append(
                Registered(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    custom=request.custom,
                    inputs=rpc.deserialize_properties(request.object),
                    parent=request.parent,
                    protect=request.protect,
                    dependencies=tuple(request.dependencies),
                    property_dependencies={
                        key: tuple(deps.urns) for key, deps in request.propertyDependencies.items()
                    },
                )
            )
        return response


def install_mocks(stack: str = "test") -> RecordingMonitor:
    """Fresh mocks and monitor: Pulumi's runtime state is global, so every run starts here."""
    mocks = AwsMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, monitor=monitor)
    return monitor
