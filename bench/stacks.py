"""Stacks to measure: our real stack as the program registers it, and generated stacks of N tables.

A generated stack repeats the real stack's per-table resources (table, contributor insights, read
and write roles with their policies, alarms) under new table keys, and keeps what the stack has
once (root stack, component, provider, alarm topic, account-level alarm) once. So a stack of 1000
tables has the shape the program would produce for 1000 specs, without running the program
(minutes under mocks at that size).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policy_preview.model import ResourceRecord
from policy_preview.program.record_codec import record_from_json, record_to_json
from policy_preview.program.runner import run_program

TABLE_TYPE = "aws:dynamodb/table:Table"
REPO_ROOT = Path(__file__).resolve().parents[1]
# Stands for the table key in a template's JSON text; no resource of ours contains it.
_PLACEHOLDER = "@@TABLE_KEY@@"


def real_stack_records(repo_root: Path = REPO_ROOT) -> list[ResourceRecord]:
    """Our stack as `pulumi up` would register it (update mode: every ARN known), under mocks."""
    return run_program(repo_root, stack="dev", mode="update", config={})


def _table_keys(records: Sequence[ResourceRecord]) -> list[str]:
    """The stack's table keys: physical table names are `<key>-<env>`, env is the Environment tag."""
    keys = []
    for record in records:
        if record.type != TABLE_TYPE:
            continue
        tags = record.inputs.get("tags")
        env = tags.get("Environment") if isinstance(tags, dict) else None
        keys.append(record.name.removesuffix(f"-{env}") if env else record.name)
    return keys


def _word(key: str) -> re.Pattern[str]:
    # The key as a whole word: `users` in `dynamodb-users-read-role-dev`, not in `userId`.
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])")


@dataclass(frozen=True)
class StackTemplate:
    """The real stack split into what it has once and, per table key, that table's resources as
    JSON text with the key replaced by a placeholder."""

    before: tuple[ResourceRecord, ...]  # shared resources registered before the first table
    after: tuple[ResourceRecord, ...]  # shared resources registered after it
    tables: tuple[tuple[str, str], ...]  # (template key, JSON text of its records)

    @property
    def resources_per_table(self) -> float:
        return sum(len(json.loads(text)) for _, text in self.tables) / len(self.tables)


def make_template(records: Sequence[ResourceRecord]) -> StackTemplate:
    # Sorted: the SDK registers resources in no fixed order, and a generated stack must not
    # depend on which table happened to come first.
    keys = sorted(_table_keys(records))
    if not keys:
        raise ValueError("the stack has no DynamoDB table to use as a template")
    patterns = {key: _word(key) for key in keys}
    groups: dict[str, list[ResourceRecord]] = {key: [] for key in keys}
    before: list[ResourceRecord] = []
    after: list[ResourceRecord] = []
    for record in records:
        owner = next((key for key, word in patterns.items() if word.search(record.name)), None)
        if owner is not None:
            groups[owner].append(record)
        elif any(groups.values()):
            after.append(record)
        else:
            before.append(record)
    tables = tuple(
        (key, patterns[key].sub(_PLACEHOLDER, json.dumps([record_to_json(r) for r in group])))
        for key, group in groups.items()
    )
    return StackTemplate(before=tuple(before), after=tuple(after), tables=tables)


def generate_stack(template: StackTemplate, tables: int) -> list[ResourceRecord]:
    """A stack of `tables` tables; table i copies template table i mod k under the key `<key><i>`."""
    records = list(template.before)
    for index in range(tables):
        key, text = template.tables[index % len(template.tables)]
        renamed = json.loads(text.replace(_PLACEHOLDER, f"{key}{index:04d}"))
        records += [record_from_json(item) for item in renamed]
    return records + list(template.after)


# --- an aws-native stack ---------------------------------------------------------------------------

NATIVE_PROVIDER_VERSION = "1.84.0"
_NATIVE_TAGS = [
    {"key": "Environment", "value": "dev"},
    {"key": "Repository", "value": "iac-test-automations"},
    {"key": "Team", "value": "data-analytics"},
    {"key": "CostCenter", "value": "engineering"},
]


def _native_urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::dynamodb-guardrails-native::{type_}::{name}"


def native_stack(tables: int) -> list[ResourceRecord]:
    """A stack of `tables` aws-native dynamodb Tables, each with an aws-native SystemErrors (Metrics
    Insights) and a read-throttle alarm, as the engine would send it after `pulumi up` (records in wire
    form: the pack only sees those, and a program of 1000 tables under mocks takes minutes)."""
    root = ResourceRecord(
        urn=_native_urn("pulumi:pulumi:Stack", "dynamodb-guardrails-native-dev"),
        type="pulumi:pulumi:Stack",
        name="dynamodb-guardrails-native-dev",
        custom=False,
        inputs={},
    )
    provider_inputs = {"region": "us-east-1", "version": NATIVE_PROVIDER_VERSION}
    provider = ResourceRecord(
        urn=_native_urn("pulumi:providers:aws-native", "default_1_84_0"),
        type="pulumi:providers:aws-native",
        name="default_1_84_0",
        custom=True,
        inputs=provider_inputs,
        outputs=provider_inputs,
    )
    provider_ref = f"{provider.urn}::00000000-0000-4000-8000-000000000000"
    records = [root, provider]
    for index in range(tables):
        name = f"orders{index:04d}-dev"
        arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
        table_inputs = {
            "tableName": name,
            "billingMode": "PAY_PER_REQUEST",
            "sseSpecification": {"sseEnabled": True},
            "keySchema": [{"attributeName": "orderId", "keyType": "HASH"}],
            "attributeDefinitions": [{"attributeName": "orderId", "attributeType": "S"}],
            "tags": _NATIVE_TAGS,
        }
        table = ResourceRecord(
            urn=_native_urn("aws-native:dynamodb:Table", name),
            type="aws-native:dynamodb:Table",
            name=name,
            custom=True,
            inputs=table_inputs,
            outputs={**table_inputs, "arn": arn},
            parent=root.urn,
            provider=provider_ref,
        )
        common = {
            "comparisonOperator": "GreaterThanThreshold",
            "threshold": 5,
            "evaluationPeriods": 1,
            "alarmActions": ["arn:aws:sns:us-east-1:123456789012:dynamodb-alarms-dev"],
            "tags": _NATIVE_TAGS,
        }
        query = (
            'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
            f"WHERE TableName = '{name}'"
        )
        alarms = {
            f"{name}-system-errors": {
                **common,
                "metrics": [{"id": "q", "expression": query, "period": 60, "returnData": True}],
            },
            f"{name}-read-throttle": {
                **common,
                "namespace": "AWS/DynamoDB",
                "metricName": "ReadThrottleEvents",
                "dimensions": [{"name": "TableName", "value": name}],
                "statistic": "Sum",
                "period": 60,
            },
        }
        records.append(table)
        for alarm_name, inputs in alarms.items():
            records.append(
                ResourceRecord(
                    urn=_native_urn("aws-native:cloudwatch:Alarm", alarm_name),
                    type="aws-native:cloudwatch:Alarm",
                    name=alarm_name,
                    custom=True,
                    inputs=inputs,
                    outputs=dict(inputs),
                    parent=root.urn,
                    provider=provider_ref,
                    dependencies=(table.urn,),
                    property_dependencies={"dimensions": (table.urn,), "metrics": (table.urn,)},
                )
            )
    return records
