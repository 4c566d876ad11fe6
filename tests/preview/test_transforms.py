"""Pulumi `transforms` run offline as the engine runs them: what policies see is the transformed
resource. Fixture programs: fixtures/programs/transforms (every kind of transform, one run per
mode), transform_tags (tags added by a stack transform), transform_raises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dynamodb_guardrails.rules import required_tags
from policy_preview import cli
from policy_preview.errors import ProgramError
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.program.runner import run_program
from policy_preview.urns import split_provider_ref
from policy_preview.wire import is_secret

from .engine_helpers import OUR_PACK

FIXTURES = Path(__file__).parent / "fixtures" / "programs"
ORG_TAGS = {"Environment": "dev", "Repository": "example/infra", "Team": "data", "CostCenter": "cc-42"}


def named(records: list[ResourceRecord], name: str) -> ResourceRecord:
    [record] = [r for r in records if r.name == name]
    return record


@pytest.fixture(scope="module")
def preview() -> list[ResourceRecord]:
    return run_program(FIXTURES / "transforms", stack="dev", mode="preview", config={})


@pytest.fixture(scope="module")
def update() -> list[ResourceRecord]:
    return run_program(FIXTURES / "transforms", stack="dev", mode="update", config={})


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_a_resource_transform_that_sets_provisioned_billing_is_what_gets_recorded(
    mode: str, preview: list[ResourceRecord], update: list[ResourceRecord]
) -> None:
    table = named(preview if mode == "preview" else update, "billing")
    assert table.inputs["billingMode"] == "PROVISIONED"
    assert (table.inputs["readCapacity"], table.inputs["writeCapacity"]) == (5, 5)
    assert table.outputs["billingMode"] == "PROVISIONED"  # the program sees it too


def test_an_async_transform_is_awaited(preview: list[ResourceRecord]) -> None:
    table = named(preview, "billing")
    assert table.inputs["streamEnabled"] is True
    assert table.inputs["streamViewType"] == "NEW_IMAGE"


def test_a_transform_can_protect_the_resource(preview: list[ResourceRecord]) -> None:
    assert named(preview, "billing").protect is True
    assert named(preview, "plain").protect is False


def test_a_stack_transform_applies_to_every_later_resource_not_to_components(
    preview: list[ResourceRecord],
) -> None:
    for name in ("billing", "plain", "reader", "outer-inner-table"):
        record = named(preview, name)
        assert record.inputs["tags"]["Last"] == "stack", name
        assert record.inputs["tagsAll"]["Last"] == "stack", name  # the provider's merge sees them
    assert named(preview, "outer").inputs == {}
    assert named(preview, "outer-inner").inputs == {}


def test_transforms_run_own_then_each_parent_up_the_chain_then_the_stacks(
    preview: list[ResourceRecord],
) -> None:
    # The program's value, the SDK-side `transformations` option, then the engine's order.
    table = named(preview, "outer-inner-table")
    assert table.inputs["tags"]["Order"] == "program,legacy,own,inner,outer,stack"
    assert table.inputs["tags"]["Last"] == "stack"  # the same key set by all four: the stack's wins


def test_a_components_transforms_reach_only_its_own_descendants(preview: list[ResourceRecord]) -> None:
    assert named(preview, "plain").inputs["tags"]["Order"] == "stack"


def test_a_transform_returning_none_leaves_the_inputs_as_the_program_gave_them(
    preview: list[ResourceRecord], update: list[ResourceRecord]
) -> None:
    read = named(preview, "read")
    assert read.inputs == {"policy": UNKNOWN_WIRE, "role": UNKNOWN_WIRE, "name": read.inputs["name"]}
    document = json.loads(named(update, "read").inputs["policy"])
    assert document["Statement"][0]["Action"] == "dynamodb:GetItem"
    plain = named(preview, "plain")
    assert plain.inputs["billingMode"] == "PAY_PER_REQUEST"
    assert "readCapacity" not in plain.inputs


def test_unknowns_and_secrets_survive_a_transform_that_returns_props(
    preview: list[ResourceRecord], update: list[ResourceRecord]
) -> None:
    described = named(preview, "read-described")
    assert described.inputs["description"] == "set by a transform"
    assert described.inputs["policy"] == UNKNOWN_WIRE  # built from the table's ARN: unknown in preview
    assert described.inputs["role"] == UNKNOWN_WIRE
    assume = named(preview, "reader").inputs["assumeRolePolicy"]
    assert is_secret(assume)
    assert json.loads(assume["value"]) == {"Version": "2012-10-17", "Statement": []}
    document = json.loads(named(update, "read-described").inputs["policy"])
    assert document["Statement"][0]["Resource"].startswith("arn:aws:dynamodb:us-east-1:123456789012:table/")


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_options_handed_back_unchanged_keep_the_provider_and_dependencies(
    mode: str, preview: list[ResourceRecord], update: list[ResourceRecord]
) -> None:
    records = preview if mode == "preview" else update
    topic, west = named(records, "west-topic"), named(records, "west")
    assert topic.provider is not None and split_provider_ref(topic.provider)[0] == west.urn
    assert topic.inputs["tagsAll"] == {"Site": "west", "Team": "data"}  # the provider's default tags
    if mode == "update":  # the explicit provider's region
        assert topic.outputs["arn"].startswith("arn:aws:sns:us-west-2:123456789012:")
    assert named(records, "billing").urn in topic.dependencies


def test_a_failing_transform_fails_the_run_with_its_own_error() -> None:
    with pytest.raises(ProgramError) as caught:
        run_program(FIXTURES / "transform_raises", stack="dev", mode="preview", config={})
    message = str(caught.value)
    assert "alerts has no owner tag" in message
    assert "transform_raises/__main__.py" in message and "require_owner" in message
    assert "aws:sns/topic:Topic 'alerts'" in message


def test_a_stack_transform_adds_tags_to_every_taggable_resource() -> None:
    records = run_program(FIXTURES / "transform_tags", stack="dev", mode="preview", config={})
    for name in ("orders", "orders-reader"):
        record = named(records, name)
        assert record.inputs["tags"] == ORG_TAGS, name
        assert record.inputs["tagsAll"] == ORG_TAGS, name


@pytest.mark.parametrize(
    ("add_tags", "expected_exit"), [("true", 0), pytest.param("false", 1, marks=pytest.mark.slow)]
)
def test_tags_added_by_a_stack_transform_satisfy_required_tags_end_to_end(
    tmp_path: Path, add_tags: str, expected_exit: int
) -> None:
    tags = required_tags.META.name
    pack_config = tmp_path / "required-tags-only.json"
    pack_config.write_text(json.dumps({"all": "disabled", tags: "mandatory"}))
    out = tmp_path / "report.json"
    code = cli.main(
        [
            str(FIXTURES / "transform_tags"),
            "--config", f"addTags={add_tags}",
            "--policy-pack", str(OUR_PACK),
            "--policy-pack-config", str(pack_config),
            "--format", "json",
            "--output", str(out),
        ]
    )  # fmt: skip
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    flagged = sorted(f["resourceName"] for f in findings if f["policy"] == tags)
    assert code == expected_exit
    assert flagged == ([] if add_tags == "true" else ["orders", "orders-reader"])
