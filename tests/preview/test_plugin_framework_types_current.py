"""The checked-in Plugin Framework type list names what it should (tests/test_generated_files.py checks
it is current with the pinned pulumi-aws and its known list)."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest

from policy_preview.program import plugin_framework_types
from tests.scripts import load_script


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_script("generate_plugin_framework_types")


def test_bridge_metadata_replaces_the_known_list(
    generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = tmp_path / "known.json"
    known.write_text(json.dumps({"about": "x", "source": "old", "types": []}), encoding="utf-8")
    metadata = tmp_path / "bridge-metadata.json"
    mux = {
        "resources": {
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
            "aws:sns/topic:Topic": 0,
        }
    }
    metadata.write_text(json.dumps({"mux": mux}), encoding="utf-8")
    monkeypatch.setattr(generator, "KNOWN", known)
    monkeypatch.setattr(generator, "TARGET", tmp_path / "out.py")
    assert generator.main(["--bridge-metadata", str(metadata)]) == 0
    data = json.loads(known.read_text(encoding="utf-8"))
    assert data["types"] == ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"]
    assert version("pulumi-aws") in data["source"]


def test_version_is_the_pinned_pulumi_aws() -> None:
    assert version("pulumi-aws") == plugin_framework_types.PULUMI_AWS_VERSION


@pytest.mark.parametrize(
    "kind",
    [
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",  # from pulumi-aws's bridge metadata
        "aws:resourceexplorer/index:Index",  # both: metadata and a timeouts input
        "aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex",  # a timeouts input
    ],
)
def test_known_plugin_framework_types_are_listed(kind: str) -> None:
    assert kind in plugin_framework_types.PLUGIN_FRAMEWORK_TYPES


@pytest.mark.parametrize(
    "kind",
    ["aws:dynamodb/table:Table", "aws:iam/role:Role", "aws:sns/topic:Topic", "aws:rds/instance:Instance"],
)
def test_sdkv2_types_are_not_listed(kind: str) -> None:
    # rds Instance has timeouts too, but as the customTimeouts option: SDKv2.
    assert kind not in plugin_framework_types.PLUGIN_FRAMEWORK_TYPES
