"""The preview emulates pulumi-aws's Check for tags as the CLI would see it: `tagsAll` only for
SDKv2 types, unknown when anything in the provider's config is unknown; and it sends each
resource's provider, so required-tags judges a Plugin Framework resource by its defaultTags."""

from __future__ import annotations

from pathlib import Path

import pytest

from dynamodb_guardrails.rules import required_tags
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.program.provider_check import checked_inputs
from policy_preview.program.runner import run_program
from policy_preview.urns import urn_name
from tests.mutations.harness import run_cli
from tests.preview.engine_helpers import OUR_PACK

PROJECT = Path(__file__).parent / "fixtures" / "programs" / "plugin_framework"
DEFAULTS = {"Environment": "dev", "Repository": "org/repo", "Team": "data", "CostCenter": "cc-42"}
PF_TYPE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SDKV2_TYPE = "aws:ec2/securityGroup:SecurityGroup"


def named(records: list[ResourceRecord], name: str) -> ResourceRecord:
    (record,) = (r for r in records if r.name == name)
    return record


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["preview", "update"])
def test_tags_all_only_for_sdkv2_types_and_unknown_under_an_unknown_provider_config(mode: str) -> None:
    records = run_program(PROJECT, stack="dev", mode=mode, config={})  # type: ignore[arg-type]
    assert "tagsAll" not in named(records, "ingress").inputs
    assert named(records, "group").inputs["tagsAll"] == DEFAULTS
    late_topic = named(records, "late-topic").inputs["tagsAll"]
    if mode == "preview":
        assert late_topic == UNKNOWN_WIRE  # the provider's profile is a computed output
    else:
        assert late_topic == {"Team": "data", "Environment": "dev"}


def test_a_plugin_framework_resource_tagged_by_default_tags_passes_required_tags(tmp_path: Path) -> None:
    code, report = run_cli(tmp_path, str(PROJECT), "--policy-pack", str(OUR_PACK), "--mode", "update")
    tag_findings = [f for f in report["findings"] if f["policy"] == required_tags.META.name]
    assert [urn_name(f["urn"]) for f in tag_findings] == ["late-topic"]  # Repository, CostCenter
    assert "in tagsAll" in tag_findings[0]["message"]
    assert code == 1


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"defaultTags": '{"tags": {"A": "1", "B": "2"}}'}, {"A": "1", "B": "2", "Own": "x"}),
        ({"defaultTags": {"tags": {"Own": "default"}}}, {"Own": "x"}),  # own tags win
        (
            {
                "defaultTags": '{"tags": {"A": "1", "skip-me": "2"}}',
                "ignoreTags": '{"keys": ["A"], "keyPrefixes": ["skip-"]}',
            },
            {"Own": "x"},
        ),
        ({"region": UNKNOWN_WIRE}, UNKNOWN_WIRE),
        ({"assumeRoles": [{"roleArn": UNKNOWN_WIRE}]}, UNKNOWN_WIRE),
        ({}, {"Own": "x"}),
    ],
    ids=["json defaults", "own wins", "ignoreTags", "unknown region", "nested unknown", "no defaults"],
)
def test_the_tags_all_merge_follows_pulumi_aws(config: dict[str, object], expected: object) -> None:
    checked = checked_inputs(SDKV2_TYPE, "urn:x", "g", {"tags": {"Own": "x"}}, config)
    assert checked["tagsAll"] == expected
    assert "tagsAll" not in checked_inputs(PF_TYPE, "urn:y", "r", {"tags": {"Own": "x"}}, config)
