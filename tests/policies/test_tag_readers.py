"""What the tag readers hand required-tags: one item per thing that must carry the tags (a
resource, each replica of an aws-native global table, each taggable template resource), with the
label its message starts with, the type names an exemption may list, the effective tags and the
fix its message ends with. test_required_tags.py judges tags through the rule; here every item is
pinned whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers import tag_shapes, tagged_items, tags
from dynamodb_guardrails.views.tags import EffectiveTags
from tests.policies.roads import CFN_STACK, NATIVE_CFN_STACK, resource, template

NATIVE_LIST = "aws-native:sns:Topic"
NATIVE_MAP = "aws-native:ssm:Parameter"
GLOBAL = "aws-native:dynamodb:GlobalTable"
CLASSIC = "aws:sns/topic:Topic"
ASG = "aws:autoscaling/group:Group"


def item_of(res: Resource) -> Any:
    items = tagged_items(res)
    assert all(i.source == res for i in items)  # findings are reported on the resource itself
    return [(i.label, i.types, i.tags, i.fix, i.exempt_keys) for i in items]


def on_provider(type_: str, provider_props: dict[str, Any] | None, **props: Any) -> Resource:
    return Resource(type_, "r", f"urn:{type_}::r", props, provider_props=provider_props)


# --- one resource ----------------------------------------------------------------------------------


def test_a_classic_resource_is_one_item_with_the_classic_fix() -> None:
    res = resource(CLASSIC, "t", tags={"Team": "t"}, tagsAll={"Team": "t", "Env": "dev"})
    assert item_of(res) == [
        (
            f"Resource 't' ({CLASSIC})",
            (CLASSIC,),
            EffectiveTags({"Team": "t", "Env": "dev"}, source="tagsAll"),
            "to the resource's tags or to the provider's defaultTags",
            ("t", res.urn),
        )
    ]


def test_an_autoscaling_group_reads_its_tag_list() -> None:
    res = resource(ASG, "g", tags=[{"key": "Team", "value": "t", "propagateAtLaunch": True}])
    assert item_of(res) == [
        (
            f"Resource 'g' ({ASG})",
            (ASG,),
            EffectiveTags({"Team": "t"}, source="tags list"),
            "to the resource's tags list",
            ("g", res.urn),
        )
    ]


def test_an_aws_native_resource_reads_its_list_or_map_by_its_type() -> None:
    listed = resource(NATIVE_LIST, "l", tags=[{"key": "Team", "value": "t"}])
    mapped = resource(NATIVE_MAP, "m", tags={"Team": "t", 7: "x"})
    fix = "to the resource's tags or to the aws-native provider's defaultTags"
    assert item_of(listed) == [
        (
            f"Resource 'l' ({NATIVE_LIST})",
            (NATIVE_LIST,),
            EffectiveTags({"Team": "t"}, source="tags list"),
            fix,
            ("l", listed.urn),
        )
    ]
    assert item_of(mapped) == [
        (f"Resource 'm' ({NATIVE_MAP})", (NATIVE_MAP,), EffectiveTags({"Team": "t"}), fix, ("m", mapped.urn))
    ]
    assert tagged_items(resource(NATIVE_MAP, "m", tags=UNKNOWN))[0].tags is None
    assert tagged_items(resource(NATIVE_MAP, "m", tags="junk"))[0].tags == EffectiveTags({})


def test_untaggable_types_have_no_items() -> None:
    for type_ in ("aws:iam/rolePolicy:RolePolicy", "aws-native:iam:RolePolicy", "pulumi:providers:aws"):
        assert tagged_items(resource(type_, "x", tags={"Team": "t"})) == []


def test_each_replica_of_an_aws_native_global_table_is_an_item() -> None:
    res = resource(
        GLOBAL,
        "g",
        tags=[{"key": "Ignored", "value": "x"}],  # a GlobalTable has no tags of its own
        replicas=[
            {"region": "eu-west-1", "tags": [{"key": "Team", "value": "t"}]},
            "junk",
            {"region": "bogus", "tags": UNKNOWN},
            {},
        ],
    )
    where = f"Resource 'g' ({GLOBAL})"
    fix = "to the replica's tags list"
    assert item_of(res) == [
        (
            f"{where}, replica in eu-west-1,",
            (GLOBAL,),
            EffectiveTags({"Team": "t"}, source="tags list"),
            fix,
            ("g", res.urn),
        ),
        (f"{where}, replica #3,", (GLOBAL,), None, fix, ("g", res.urn)),
        (f"{where}, replica #4,", (GLOBAL,), EffectiveTags({}, source="tags list"), fix, ("g", res.urn)),
    ]
    for replicas in (UNKNOWN, "junk", None, {"region": "eu-west-1", "tags": []}):
        assert tagged_items(resource(GLOBAL, "g", replicas=replicas)) == []


# --- aws-native provider defaultTags ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider_props", "expected"),
    [
        (None, EffectiveTags({"Team": "own"}, source="tags list")),
        ({}, EffectiveTags({"Team": "own"}, source="tags list + provider defaultTags")),
        (
            {"defaultTags": json.dumps({"tags": {"Team": "default", "Env": "dev"}})},
            EffectiveTags({"Team": "own", "Env": "dev"}, source="tags list + provider defaultTags"),
        ),
        (
            {"defaultTags": {"Env": "dev", "Bad": 7, "Team": "default"}},  # the provider's first format
            EffectiveTags({"Env": "dev", "Team": "own"}, source="tags list + provider defaultTags"),
        ),
        (
            {"defaultTags": json.dumps({"Env": "dev"})},
            EffectiveTags({"Env": "dev", "Team": "own"}, source="tags list + provider defaultTags"),
        ),
        (
            {"defaultTags": {"tags": "junk"}},
            EffectiveTags({"Team": "own"}, source="tags list + provider defaultTags"),
        ),
        (
            {"defaultTags": "not json"},
            EffectiveTags({"Team": "own"}, source="tags list + provider defaultTags"),
        ),
        (
            {"defaultTags": UNKNOWN},
            EffectiveTags({"Team": "own"}, complete=False, source="tags list + provider defaultTags"),
        ),
        (
            {"defaultTags": {"tags": UNKNOWN}},
            EffectiveTags({"Team": "own"}, complete=False, source="tags list + provider defaultTags"),
        ),
    ],
)
def test_aws_native_resources_take_the_providers_default_tags(
    provider_props: Any, expected: EffectiveTags
) -> None:
    res = on_provider(NATIVE_LIST, provider_props, tags=[{"key": "Team", "value": "own"}])
    assert tagged_items(res)[0].tags == expected


def test_unknown_own_tags_stay_unknown_whatever_the_provider_says() -> None:
    res = on_provider(NATIVE_LIST, {"defaultTags": {"tags": {"Team": "t"}}}, tags=UNKNOWN)
    assert tagged_items(res)[0].tags is None


@pytest.mark.parametrize(
    ("provider_props", "expected"),
    [
        (None, None),
        ({}, EffectiveTags({})),
        ({"defaultTags": {"tags": {"A": "1", "B": 2}}}, EffectiveTags({"A": "1"})),
        ({"defaultTags": {"A": "1"}}, EffectiveTags({"A": "1"})),
        ({"defaultTags": {"tags": None, "A": "1"}}, EffectiveTags({})),
        ({"defaultTags": UNKNOWN}, None),
    ],
)
def test_native_default_tags(provider_props: Any, expected: EffectiveTags | None) -> None:
    if provider_props is None:
        assert tags.native_default_tags(None) == EffectiveTags({})
    else:
        assert tags.native_default_tags(provider_props) == expected


# --- shapes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (UNKNOWN, None),
        ({"A": "1", 2: "x", "B": UNKNOWN}, EffectiveTags({"A": "1", "B": UNKNOWN})),
        ("junk", EffectiveTags({})),
        (None, EffectiveTags({})),
    ],
)
def test_tag_maps(value: Any, expected: EffectiveTags | None) -> None:
    assert tag_shapes.tag_map(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            [{"key": "A", "value": "1"}, {"key": 2, "value": "x"}, {"value": "y"}],
            EffectiveTags({"A": "1"}, True, "tags list"),
        ),
        (
            [{"key": UNKNOWN, "value": "1"}, {"key": "A", "value": UNKNOWN}],
            EffectiveTags({"A": UNKNOWN}, False, "tags list"),
        ),
        ([UNKNOWN], EffectiveTags({}, False, "tags list")),
        (["junk", 7], EffectiveTags({}, True, "tags list")),
        ([UNKNOWN, "junk"], EffectiveTags({}, False, "tags list")),
        (["junk", UNKNOWN], EffectiveTags({}, False, "tags list")),
    ],
)
def test_tag_lists(value: Any, expected: EffectiveTags | None) -> None:
    assert tag_shapes.tag_list(value) == expected


@pytest.mark.parametrize(
    ("props", "provider_props", "expected"),
    [
        (
            {"tags": {"A": "1"}},
            {"defaultTags": {"tags": {"A": "0", "B": "2"}}},
            EffectiveTags({"A": "1", "B": "2"}, True, "tags + provider defaultTags"),
        ),
        ({"tags": {"A": "1"}}, {}, EffectiveTags({"A": "1"}, True, "tags + provider defaultTags")),
        ({}, {"defaultTags": UNKNOWN}, EffectiveTags({}, False, "tags + provider defaultTags")),
        ({"tags": UNKNOWN}, {"defaultTags": {"tags": {"A": "0"}}}, None),
        (
            {"tags": {"A": "1"}, "tagsAll": {"B": "2"}},
            {"defaultTags": {"tags": {"C": "3"}}},
            EffectiveTags({"A": "1", "B": "2"}, True, "tagsAll"),
        ),
        ({"tags": {"A": "1"}, "tagsAll": None}, None, EffectiveTags({"A": "1"}, True, "tagsAll")),
        ({"tags": {"A": "1"}}, None, EffectiveTags({"A": "1"})),
        ({"tags": UNKNOWN, "tagsAll": UNKNOWN}, None, None),
        ({"tags": UNKNOWN}, None, None),
    ],
)
def test_classic_tags(props: dict[str, Any], provider_props: Any, expected: EffectiveTags | None) -> None:
    assert tag_shapes.classic_tags(props, provider_props) == expected


# --- template resources ----------------------------------------------------------------------------


def cfn_stack(type_: str, body: dict[str, Any], **props: Any) -> Resource:
    text = json.dumps(body) if type_ == CFN_STACK else body
    return resource(type_, "app", None, templateBody=text, **props)


def test_template_resources_are_items_named_in_the_stack_with_the_stacks_tags_under_theirs() -> None:
    body = template(
        Role={"Type": "AWS::IAM::RolePolicy", "Properties": {}},  # takes no tags
        Topic={"Type": "AWS::SNS::Topic", "Properties": {"Tags": [{"Key": "Team", "Value": "own"}]}},
        Param={"Type": "AWS::SSM::Parameter", "Properties": {"Tags": {"Env": "prod"}}},
        Later={"Type": "AWS::SNS::Topic", "Properties": {"Tags": {"Ref": "AWS::StackId"}}},
        Custom={"Type": "Custom::Thing", "Properties": {"Tags": []}},
    )
    host = cfn_stack(
        CFN_STACK,
        body,
        tags={"Team": "stack", "Env": "dev"},
        tagsAll={"Team": "stack", "Env": "dev", "Extra": "x"},
    )
    keys = lambda logical: ("app", host.urn, f"app/{logical}")  # noqa: E731
    fix = "to the resource's Tags in the template, or to the stack's tags (CloudFormation propagates them)"
    stack_tags = {"Team": "stack", "Env": "dev", "Extra": "x"}
    assert item_of(host) == [
        (
            f"Resource 'app' ({CFN_STACK})",
            (CFN_STACK,),
            EffectiveTags(stack_tags, source="tagsAll"),
            "to the resource's tags or to the provider's defaultTags",
            ("app", host.urn),
        ),
        (
            "Resource 'Topic' (AWS::SNS::Topic) in the template of CloudFormation stack 'app'",
            ("aws-native:sns:Topic", "AWS::SNS::Topic"),
            EffectiveTags({**stack_tags, "Team": "own"}, source="tags list + the stack's tags"),
            fix,
            keys("Topic"),
        ),
        (
            "Resource 'Param' (AWS::SSM::Parameter) in the template of CloudFormation stack 'app'",
            ("aws-native:ssm:Parameter", "AWS::SSM::Parameter"),
            EffectiveTags({**stack_tags, "Env": "prod"}, source="tags + the stack's tags"),
            fix,
            keys("Param"),
        ),
        (
            "Resource 'Later' (AWS::SNS::Topic) in the template of CloudFormation stack 'app'",
            ("aws-native:sns:Topic", "AWS::SNS::Topic"),
            None,
            fix,
            keys("Later"),
        ),
    ]


def test_template_resources_of_an_aws_native_stack_inherit_its_tag_list() -> None:
    body = template(Topic={"Type": "AWS::SNS::Topic", "Properties": {}})
    host = cfn_stack(NATIVE_CFN_STACK, body, tags=[{"key": "Team", "value": "stack"}])
    [own, topic] = tagged_items(host)
    assert own.fix == "to the resource's tags or to the aws-native provider's defaultTags"
    assert topic.tags == EffectiveTags({"Team": "stack"}, source="tags list + the stack's tags")


def test_template_resources_under_stack_tags_not_known_yet_may_still_get_any_key() -> None:
    body = template(
        Topic={"Type": "AWS::SNS::Topic", "Properties": {"Tags": [{"Key": "Team", "Value": "own"}]}}
    )
    host = cfn_stack(CFN_STACK, body, tags=UNKNOWN, tagsAll=UNKNOWN)
    [own, topic] = tagged_items(host)
    assert own.tags is None
    assert topic.tags == EffectiveTags({"Team": "own"}, complete=False, source="tags list + the stack's tags")


def test_a_global_table_in_a_template_is_an_item_per_replica() -> None:
    replicas = [{"Region": "eu-west-1", "Tags": [{"Key": "Team", "Value": "r"}]}, {"Region": "us-east-1"}]
    body = template(G={"Type": "AWS::DynamoDB::GlobalTable", "Properties": {"Replicas": replicas}})
    host = cfn_stack(CFN_STACK, body, tags={"Team": "stack"}, tagsAll={"Team": "stack"})
    [_, first, second] = tagged_items(host)
    where = "Resource 'G' (AWS::DynamoDB::GlobalTable) in the template of CloudFormation stack 'app'"
    assert (first.label, second.label) == (
        f"{where}, replica in eu-west-1,",
        f"{where}, replica in us-east-1,",
    )
    assert first.tags == EffectiveTags({"Team": "r"}, source="tags list + the stack's tags")
    assert second.tags == EffectiveTags({"Team": "stack"}, source="tags list + the stack's tags")


def test_a_stack_whose_template_is_not_known_yet_is_only_itself() -> None:
    host = resource(CFN_STACK, "app", None, templateBody=UNKNOWN, tags={"Team": "t"})
    assert [i.label for i in tagged_items(host)] == [f"Resource 'app' ({CFN_STACK})"]
