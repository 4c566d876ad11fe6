"""URNs as the engine reads them: the name is everything after the third `::`, the type is the last
segment of the qualified type, a provider reference ends in the provider's id."""

from __future__ import annotations

from policy_preview.urns import is_pulumi_urn, parse_urn, split_provider_ref, stack_urn, urn_name, urn_type

CHILD = "urn:pulumi:dev::demo::tap:stack:DynamoDbStack$aws:dynamodb/table:Table::events"


def test_a_child_urn_gives_its_own_type_and_name() -> None:
    parsed = parse_urn(CHILD)
    assert parsed is not None
    assert (parsed.stack, parsed.project) == ("dev", "demo")
    assert parsed.qualified_type == "tap:stack:DynamoDbStack$aws:dynamodb/table:Table"
    assert (urn_type(CHILD), urn_name(CHILD)) == ("aws:dynamodb/table:Table", "events")


def test_a_name_may_contain_the_separator() -> None:
    urn = "urn:pulumi:dev::demo::aws:sns/topic:Topic::team::alerts"
    assert urn_name(urn) == "team::alerts"
    assert urn_type(urn) == "aws:sns/topic:Topic"


def test_a_string_that_is_not_a_urn_is_not_taken_apart() -> None:
    for text in ("", "stack", "urn:pulumi:dev::demo::aws:s3/bucket:Bucket"):
        assert parse_urn(text) is None and not is_pulumi_urn(text)
        assert (urn_type(text), urn_name(text)) == ("", text)
    assert not is_pulumi_urn("a::b::c::d") and is_pulumi_urn(CHILD)


def test_a_provider_reference_splits_at_its_last_separator() -> None:
    provider = "urn:pulumi:dev::demo::pulumi:providers:aws::default_7_51_1"
    assert split_provider_ref(f"{provider}::04da6b54") == (provider, "04da6b54")
    assert split_provider_ref("no-id") == ("no-id", "")


def test_the_root_stack_is_named_after_project_and_stack() -> None:
    assert stack_urn("dev", "demo") == "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev"
