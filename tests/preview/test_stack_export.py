"""Reading `pulumi stack export` files into the records a policy pack is shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy_preview.errors import ExportError
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.program.stack_export import read_stack_export
from policy_preview.wire import SECRET_SIG, SIG_KEY

EXPORT = Path(__file__).parent / "fixtures" / "exports" / "dev-stack.json"
PREFIX = "urn:pulumi:dev::dynamodb-guardrails::"
COMPONENT_URN = f"{PREFIX}dynamodb:index:DynamoDbStack::main"
TABLE_URN = f"{PREFIX}dynamodb:index:DynamoDbStack$aws:dynamodb/table:Table::orders"
ROLE_URN = f"{PREFIX}dynamodb:index:DynamoDbStack$aws:iam/role:Role::orders-reader"
POLICY_URN = f"{PREFIX}dynamodb:index:DynamoDbStack$aws:iam/rolePolicy:RolePolicy::orders-reader-access"
TOPIC_URN = f"{PREFIX}dynamodb:index:DynamoDbStack$aws:sns/topic:Topic::alerts"
PROVIDER_REF = f"{PREFIX}pulumi:providers:aws::default_7_51_1::0d6b2a67-3e7d-4c55-9a39-3b0f6fd51f0e"


@pytest.fixture(scope="module")
def records() -> dict[str, ResourceRecord]:
    return {record.urn: record for record in read_stack_export(EXPORT)}


def test_every_live_resource_is_read_and_pending_deletes_are_skipped(
    records: dict[str, ResourceRecord],
) -> None:
    assert [r.type for r in records.values()] == [
        "pulumi:pulumi:Stack",
        "pulumi:providers:aws",
        "dynamodb:index:DynamoDbStack",
        "aws:dynamodb/table:Table",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:sns/topic:Topic",
    ]
    assert not any(r.name == "legacy" for r in records.values())


def test_inputs_outputs_and_options_come_from_the_export(records: dict[str, ResourceRecord]) -> None:
    table = records[TABLE_URN]
    assert (table.name, table.custom, table.protect) == ("orders", True, True)
    assert table.parent == COMPONENT_URN
    assert table.provider == PROVIDER_REF
    assert table.inputs["billingMode"] == "PAY_PER_REQUEST"
    assert table.inputs["pointInTimeRecovery"]["enabled"] is True
    assert table.outputs["arn"] == "arn:aws:dynamodb:us-east-1:123456789012:table/orders-dev"
    assert table.outputs["pointInTimeRecovery"]["recoveryPeriodInDays"] == 35
    component = records[COMPONENT_URN]
    assert (component.custom, component.protect, component.provider) == (False, False, None)


def test_dependencies_and_property_dependencies(records: dict[str, ResourceRecord]) -> None:
    policy = records[POLICY_URN]
    assert policy.dependencies == (TABLE_URN, ROLE_URN)
    assert policy.property_dependencies == {"policy": (TABLE_URN,), "role": (ROLE_URN,)}
    assert records[TABLE_URN].property_dependencies["name"] == ()


def test_secrets_stay_secret_and_are_never_decrypted(records: dict[str, ResourceRecord]) -> None:
    topic = records[TOPIC_URN]
    unknown_secret = {SIG_KEY: SECRET_SIG, "value": UNKNOWN_WIRE}
    assert topic.inputs["kmsMasterKeyId"] == unknown_secret
    assert topic.outputs["kmsMasterKeyId"] == unknown_secret
    # `--show-secrets` exports carry JSON plaintext: still a secret, with its decoded value.
    assert topic.inputs["deliveryPolicy"] == {
        SIG_KEY: SECRET_SIG,
        "value": {"http": {"defaultHealthyRetryPolicy": {"numRetries": 3}}},
    }


def test_version_4_and_file_backend_checkpoints_are_read(tmp_path: Path) -> None:
    deployment = json.loads(EXPORT.read_text())["deployment"]
    v4 = tmp_path / "v4.json"
    v4.write_text(json.dumps({"version": 4, "features": [], "deployment": deployment}))
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(json.dumps({"version": 3, "checkpoint": {"stack": "dev", "latest": deployment}}))
    assert len(read_stack_export(v4)) == len(read_stack_export(checkpoint)) == 7


def test_an_empty_stack_has_no_records(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"manifest": {}}}))
    assert read_stack_export(path) == []


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "version": 3,\n  "deployment": {\n    "resources": [,]\n  }\n}\n')
    with pytest.raises(ExportError, match=r"broken\.json: not valid JSON at line 4, column 19") as raised:
        read_stack_export(path)
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ([1, 2], "expected the JSON object"),
        ({"version": 1, "deployment": {}}, "version 1 is not supported"),
        ({"deployment": {}}, "version None is not supported"),
        ({"version": 3}, "no `deployment` object"),
        ({"version": 3, "deployment": {"resources": {}}}, "`deployment.resources` must be a list"),
        ({"version": 3, "deployment": {"resources": ["x"]}}, "resource #0 is not an object"),
        ({"version": 3, "deployment": {"resources": [{"type": "a:b:C"}]}}, "resource #0 has no valid `urn`"),
        (
            {"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:s::p::a:b:C::n"}]}},
            r"resource #0 \(urn:pulumi:s::p::a:b:C::n\) has no `type`",
        ),
    ],
)
def test_documents_that_are_not_exports_say_what_is_wrong(
    tmp_path: Path, document: object, problem: str
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ExportError, match=problem) as raised:
        read_stack_export(path)
    assert str(path) in raised.value.message


def test_missing_file_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no such stack export file"):
        read_stack_export(tmp_path / "nope.json")
