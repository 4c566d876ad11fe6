"""The template reader's output, pinned: what every intrinsic function resolves to, the records it
hands the aws-native readers (wire names, dependencies, provider), and the exact problems the
advisory `cloudformation-template-readable` reports. test_cloudformation_templates.py judges
templates through the rules; here each resolution is checked on its own, so a wrong value or a
lost problem is named by the test that fails."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers import cloudformation
from tests.policies.roads import ACCOUNT, CFN_STACK, NATIVE_CFN_STACK, provider, resource, stack

ABSENT = "<absent>"
TABLE = "AWS::DynamoDB::Table"
CANNOT = "which the pack cannot resolve"


@pytest.fixture(autouse=True)
def fresh_parse_cache() -> None:
    """Parsed template texts are cached: each test reads its own texts afresh."""
    cloudformation._parse_text.cache_clear()


def host_stack(
    body: Any, type_: str = CFN_STACK, provider_: Resource | None = None, **props: Any
) -> Resource:
    """A stack carrying `body` (JSON text for pulumi-aws, an object for aws-native); `props` may
    include the stack's own `name`."""
    text = json.dumps(body) if isinstance(body, dict) and type_ == CFN_STACK else body
    return resource(type_, "cfn", provider_, templateBody=text, **props)


def expansion(body: Any, **props: Any) -> cloudformation.Expansion:
    result = cloudformation.expand(host_stack(body, **props))
    assert result is not None
    return result


def records(result: cloudformation.Expansion) -> dict[str, Resource]:
    return {item.logical_id: item.record for item in result.resources}


def resolve(
    value: Any, resources: dict[str, Any] | None = None, host: dict[str, Any] | None = None, **sections: Any
) -> tuple[Any, tuple[str, ...]]:
    """`value` as the reader resolves it in a table's BillingMode, and the problems it reports."""
    table = {"Type": TABLE, "Properties": {"BillingMode": value}}
    body = {**sections, "Resources": {"T": table, **(resources or {})}}
    result = expansion(body, **(host or {}))
    return records(result)["T"].props.get("billingMode", ABSENT), result.problems


def problem(what: str, where: str = "'T' BillingMode") -> str:
    return f"{where} uses {what}, {CANNOT}"


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cfn", "sdk"),
    [
        ("ARNs", "arns"),
        ("DBARNs", "dbarns"),
        ("ARNsList", "arnsList"),
        ("SSEEnabled", "sseEnabled"),
        ("S3", "s3"),
        ("A", "a"),
        ("a", "a"),
        ("tableName", "tableName"),
        ("IPv6Address", "iPv6Address"),
        ("ÉTag", "éTag"),
        ("KeyÉKMS", "keyÉKms"),
        ("HTTPSPort", "httpsPort"),
        ("VPCs", "vpcs"),
        ("VPCsa", "vpCsa"),
        ("MultiAZ", "multiAz"),
        ("AB", "ab"),
    ],
)
def test_property_names_of_every_shape_get_aws_native_names(cfn: str, sdk: str) -> None:
    assert cloudformation.sdk_name(cfn) == sdk


@pytest.mark.parametrize(
    ("cfn", "native"),
    [
        ("AWS::DynamoDB::Table", "aws-native:dynamodb:Table"),
        ("AWS::IAM::ManagedPolicy", "aws-native:iam:ManagedPolicy"),
        ("AWS::EC2::VPC", "aws-native:ec2:VPC"),
        ("Custom::Thing", None),
        ("AWS::DynamoDB::Table::Extra", None),
        ("AWS::Dynamo-DB::Table", None),
        ("aws::dynamodb::table", None),
        ("xAWS::DynamoDB::Table", None),
    ],
)
def test_cloudformation_types_map_to_aws_native_tokens(cfn: str, native: str | None) -> None:
    assert cloudformation.native_type(cfn) == native


@pytest.mark.parametrize(
    ("logical_id", "shown"),
    [
        ("Orders", "'Orders'"),
        ("A" * 255, "'" + "A" * 255 + "'"),
        ("A" * 256, "(an invalid id)"),
        ("", "(an invalid id)"),
        ("s3cr3t-id", "(an invalid id)"),
        ("Orders\n", "(an invalid id)"),
        (7, "(an invalid id)"),
    ],
)
def test_messages_show_only_plain_logical_ids(logical_id: Any, shown: str) -> None:
    host = stack({"Resources": {}}, name="app")
    expected = f"{shown} (AWS::DynamoDB::Table) in the template of CloudFormation stack 'app'"
    assert cloudformation.describe(host, logical_id, TABLE) == expected


def test_problem_paths_show_identifiers_and_indexes_only() -> None:
    tags = [{"Key": "Team", "Value": {"Fn::ImportValue": "x"}}]
    body = {"Resources": {"T": {"Type": TABLE, "Properties": {"Tags": tags, "s3-cret": {"Ref": "Nope"}}}}}
    assert expansion(body).problems == (
        problem("Fn::ImportValue", "'T' Tags[0].Value"),
        problem("a Ref to nothing the template declares", "'T' ?"),
    )


# --- where the template comes from -----------------------------------------------------------------


def test_json_and_yaml_text_and_objects_give_the_same_records() -> None:
    body = {"Resources": {"T": {"Type": TABLE, "Properties": {"TableName": "orders"}}}}
    as_json = expansion("  \n" + json.dumps(body))
    as_yaml = expansion(
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: orders\n"
    )
    as_object = expansion(body, type_=NATIVE_CFN_STACK)
    for result in (as_json, as_yaml, as_object):
        assert result.problems == () and not result.unknown
        assert records(result)["T"].props == {"tableName": "orders"}


@pytest.mark.parametrize(
    ("props", "problems", "unknown"),
    [
        ({"templateBody": UNKNOWN}, (), True),
        ({"templateBody": None, "templateUrl": UNKNOWN}, (), True),
        ({"templateBody": "  ", "templateUrl": UNKNOWN}, (), True),
        (
            {"templateBody": None, "templateUrl": "https://b.s3.amazonaws.com/t"},
            ("its template is given by templateUrl, which the pack cannot fetch",),
            False,
        ),
        ({"templateBody": None, "templateUrl": "   "}, (), False),
        ({"templateBody": None, "templateUrl": None}, (), False),
        ({"templateBody": 42}, (), False),
        ({"templateBody": "{s3cr3t"}, ("its templateBody is neither JSON nor YAML",), False),
        ({"templateBody": "a: [s3cr3t"}, ("its templateBody is neither JSON nor YAML",), False),
        ({"templateBody": "[1, 2]"}, ("its template is not a CloudFormation template",), False),
        ({"templateBody": '{"Resources": [1]}'}, ("its template is not a CloudFormation template",), False),
        ({"templateBody": "{}"}, (), False),
    ],
)
def test_where_the_template_comes_from(
    props: dict[str, Any], problems: tuple[str, ...], unknown: bool
) -> None:
    host = Resource(CFN_STACK, "cfn", "urn:cfn", props)
    result = cloudformation.expand(host)
    assert result is not None
    assert (result.resources, result.problems, result.unknown) == ((), problems, unknown)


def test_a_template_text_just_over_the_limit_is_refused_and_one_at_the_limit_is_read() -> None:
    def body(size: int) -> str:
        empty = len(json.dumps({"Resources": {"T": {"Type": TABLE, "Properties": {"TableName": ""}}}}))
        name = "x" * (size - empty)
        return json.dumps({"Resources": {"T": {"Type": TABLE, "Properties": {"TableName": name}}}})

    at_limit = body(cloudformation.MAX_TEMPLATE_CHARS)
    assert len(at_limit) == cloudformation.MAX_TEMPLATE_CHARS
    assert expansion(at_limit).problems == ()
    [refused] = expansion(body(cloudformation.MAX_TEMPLATE_CHARS + 1)).problems
    assert refused == f"its templateBody is larger than {cloudformation.MAX_TEMPLATE_CHARS} characters"


def test_other_resources_have_no_expansion() -> None:
    assert (
        cloudformation.expand(Resource("aws:dynamodb/table:Table", "t", "urn:t", {"templateBody": "{}"}))
        is None
    )


# --- Ref, parameters and pseudo parameters ---------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "given", "expected", "problems"),
    [
        ({"Type": "String", "Default": "dflt"}, {}, "dflt", ()),
        ({"Type": "String", "Default": "dflt"}, {"M": "given"}, "given", ()),
        ({"Type": "String"}, {"M": UNKNOWN}, UNKNOWN, ()),
        ({"Type": "String", "Default": "dflt"}, UNKNOWN, UNKNOWN, ()),
        ({"Type": "String"}, {}, UNKNOWN, (problem("a parameter without a value"),)),
        ({"Type": "Number", "Default": 5}, {}, 5, ()),
        ({"Type": "String", "Default": True}, {}, True, ()),
        ({"Type": "String", "Default": ["a"]}, {}, "['a']", ()),
        ({"Type": "CommaDelimitedList"}, {"M": "a, b ,c"}, ["a", "b", "c"], ()),
        ({"Type": "List<AWS::EC2::Subnet::Id>"}, {"M": "s-1,s-2"}, ["s-1", "s-2"], ()),
        ({"Type": "String"}, {"M": "a,b"}, "a,b", ()),
        ("junk", {"M": "v"}, "v", ()),
    ],
)
def test_ref_to_a_parameter(declared: Any, given: Any, expected: Any, problems: tuple[str, ...]) -> None:
    value, found = resolve({"Ref": "M"}, Parameters={"M": declared}, host={"parameters": given})
    assert (value, found) == (expected, problems)


@pytest.mark.parametrize(
    ("region", "partition", "suffix"),
    [
        ("us-east-1", "aws", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
    ],
)
def test_pseudo_parameters_come_from_the_stacks_location(region: str, partition: str, suffix: str) -> None:
    where = provider("aws", region=region, allowedAccountIds=json.dumps([ACCOUNT]))
    host = {"provider_": where, "name": "app-stack"}
    for name, expected in (
        ("AWS::Region", region),
        ("AWS::AccountId", ACCOUNT),
        ("AWS::Partition", partition),
        ("AWS::URLSuffix", suffix),
        ("AWS::StackName", "app-stack"),
        ("AWS::StackId", UNKNOWN),
        ("AWS::NotificationARNs", UNKNOWN),
        ("AWS::NoSuchThing", UNKNOWN),
    ):
        assert resolve({"Ref": name}, host=host) == (expected, ()), name


def test_pseudo_parameters_unknown_where_the_stack_does_not_say() -> None:
    for name in ("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName"):
        assert resolve({"Ref": name}, host={"name": UNKNOWN}) == (UNKNOWN, ()), name


def test_the_stack_name_is_each_providers_own_property() -> None:
    classic = {"name": "classic-name", "stackName": "other"}
    assert resolve({"Ref": "AWS::StackName"}, host=classic) == ("classic-name", ())
    native = {"type_": NATIVE_CFN_STACK, "name": "other", "stackName": "native-name"}
    assert resolve({"Ref": "AWS::StackName"}, host=native) == ("native-name", ())


def test_a_classic_stacks_own_region_argument_wins_and_an_aws_native_stack_has_none() -> None:
    east = provider("aws", region="us-east-1")
    assert resolve({"Ref": "AWS::Region"}, host={"provider_": east, "region": "eu-west-1"})[0] == "eu-west-1"
    native = {"provider_": provider("aws-native", region="us-east-1"), "region": "eu-west-1"}
    assert resolve({"Ref": "AWS::Region"}, host={**native, "type_": NATIVE_CFN_STACK})[0] == "us-east-1"
    result = expansion({"Resources": {}}, provider_=east, region="eu-west-1")
    assert (result.location.region, result.location.provider) == ("eu-west-1", "aws")


@pytest.mark.parametrize(
    ("ref", "expected", "problems"),
    [
        ("AWS::NoValue", ABSENT, ()),
        (7, UNKNOWN, (problem("a malformed Ref"),)),
        (["M"], UNKNOWN, (problem("a malformed Ref"),)),
        ("Nothing", UNKNOWN, (problem("a Ref to nothing the template declares"),)),
    ],
)
def test_other_refs(ref: Any, expected: Any, problems: tuple[str, ...]) -> None:
    assert resolve({"Ref": ref}) == (expected, problems)


def test_no_value_drops_list_items_and_map_entries() -> None:
    no_value = {"Ref": "AWS::NoValue"}
    value, found = resolve({"a": no_value, "b": [1, no_value, 2], "c": {"Ref": "AWS::NoValue", "d": 1}})
    assert (value, found) == ({"b": [1, 2], "c": {"ref": "AWS::NoValue", "d": 1}}, ())


def test_ref_of_another_resource_is_its_name_when_the_template_sets_it_else_unknown() -> None:
    resources = {
        "Named": {"Type": TABLE, "Properties": {"TableName": {"Fn::Sub": "orders-${AWS::Region}"}}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "app"}},
        "User": {"Type": "AWS::IAM::User", "Properties": {"UserName": "u"}},
        "Group": {"Type": "AWS::IAM::Group", "Properties": {"GroupName": "g"}},
        "Global": {"Type": "AWS::DynamoDB::GlobalTable", "Properties": {"TableName": "gt"}},
        "Unnamed": {"Type": TABLE, "Properties": {}},
        "Broken": {"Type": TABLE, "Properties": {"TableName": {"Ref": "Nowhere"}}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}},
        "Listed": {"Type": TABLE, "Properties": {"TableName": ["x"]}},
    }
    host = {"provider_": provider("aws", region="eu-west-1")}
    for logical_id, expected in (
        ("Named", "orders-eu-west-1"),
        ("Role", "app"),
        ("User", "u"),
        ("Group", "g"),
        ("Global", "gt"),
        ("Unnamed", UNKNOWN),
        ("Broken", UNKNOWN),
        ("Bucket", UNKNOWN),
        ("Listed", UNKNOWN),
    ):
        value, found = resolve({"Ref": logical_id}, resources, host)
        assert value == expected, logical_id
        # The name's own problems belong to the resource that has them, reported once, there.
        assert found == (problem("a Ref to nothing the template declares", "'Broken' TableName"),)


def test_a_resource_that_names_itself_after_itself_is_unknown_not_a_loop() -> None:
    loop = {"Type": TABLE, "Properties": {"TableName": {"Fn::Sub": "${Loop}-x"}}}
    other = {"Type": TABLE, "Properties": {"TableName": {"Ref": "Loop"}}}
    result = expansion({"Resources": {"Loop": loop, "Other": other}})
    assert records(result)["Loop"].props == {"tableName": UNKNOWN}
    assert records(result)["Other"].props == {"tableName": UNKNOWN}
    assert result.problems == ()


def test_refs_and_attributes_of_template_resources_are_its_dependencies() -> None:
    resources = {
        "A": {"Type": TABLE, "Properties": {"TableName": "a"}},
        "B": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "C": {"Type": TABLE, "Properties": {"TableName": {"Ref": "A"}}},
    }
    body = {
        "Resources": {
            **resources,
            "T": {
                "Type": TABLE,
                "Properties": {
                    "X": [
                        {"Ref": "A"},
                        {"Fn::GetAtt": ["B", "Arn"]},
                        {"Ref": "A"},
                        {"Ref": "T"},
                        {"Ref": "C"},
                    ],
                    "Y": {"Fn::Sub": "${B.Arn}"},
                },
            },
        }
    }
    host = stack(body)
    [record] = [r.record for r in cloudformation.expand(host).resources if r.logical_id == "T"]  # type: ignore[union-attr]
    assert record.props == {"x": ["a", UNKNOWN, "a", UNKNOWN, "a"], "y": UNKNOWN}
    # C's name is A's: resolving it quietly does not make A a dependency of T twice or of C's name.
    urns = [f"{host.urn}$cloudformation:{d}" for d in ("A", "B", "C")]
    assert record.dependencies == tuple(urns)


# --- functions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "problems"),
    [
        ({"Fn::GetAtt": ["T2", "Arn"]}, UNKNOWN, ()),
        ({"Fn::GetAtt": "T2.StreamSpecification.StreamArn"}, UNKNOWN, ()),
        (
            {"Fn::GetAtt": ["Nope", "Arn"]},
            UNKNOWN,
            (problem("a Fn::GetAtt of nothing the template declares"),),
        ),
        ({"Fn::GetAtt": "T2"}, UNKNOWN, (problem("a Fn::GetAtt of nothing the template declares"),)),
        ({"Fn::GetAtt": [7, "Arn"]}, UNKNOWN, (problem("a Fn::GetAtt of nothing the template declares"),)),
        ({"Fn::GetAZs": ""}, UNKNOWN, ()),
        ({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}, UNKNOWN, ()),
        ({"Fn::Base64": "x"}, UNKNOWN, ()),
        ({"Fn::ImportValue": "x"}, UNKNOWN, (problem("Fn::ImportValue"),)),
        ({"Fn::s3cr3t": "x"}, UNKNOWN, (problem("a function CloudFormation does not have"),)),
        ({"Fn::Join": ["-", ["a", 1, 2.5]]}, "a-1-2.5", ()),
        ({"Fn::Join": ["", []]}, "", ()),
        ({"Fn::Join": ["-", ["a", {"Ref": "T2"}]]}, UNKNOWN, ()),
        ({"Fn::Join": ["-", ["a", {"x": 1}]]}, UNKNOWN, ()),
        ({"Fn::Join": ["-", {"Ref": "AWS::StackId"}]}, UNKNOWN, ()),
        ({"Fn::Join": ["-", "ab"]}, UNKNOWN, (problem("a malformed Fn::Join"),)),
        ({"Fn::Join": [1, ["a"]]}, UNKNOWN, (problem("a malformed Fn::Join"),)),
        ({"Fn::Join": ["-"]}, UNKNOWN, (problem("a malformed Fn::Join"),)),
        ({"Fn::Select": [1, ["a", "b", "c"]]}, "b", ()),
        ({"Fn::Select": ["0", ["a"]]}, "a", ()),
        ({"Fn::Select": [2, ["a", "b", "c"]]}, "c", ()),
        ({"Fn::Select": [3, ["a", "b", "c"]]}, UNKNOWN, (problem("a Fn::Select out of range"),)),
        ({"Fn::Select": [-1, ["a"]]}, UNKNOWN, (problem("a Fn::Select out of range"),)),
        ({"Fn::Select": ["x", ["a", "b"]]}, UNKNOWN, (problem("a Fn::Select out of range"),)),
        ({"Fn::Select": [None, ["a"]]}, UNKNOWN, (problem("a Fn::Select out of range"),)),
        ({"Fn::Select": [0, "abc"]}, UNKNOWN, (problem("a Fn::Select out of range"),)),
        ({"Fn::Select": [{"Ref": "AWS::StackId"}, ["a"]]}, UNKNOWN, ()),
        ({"Fn::Select": [0, {"Ref": "AWS::StackId"}]}, UNKNOWN, ()),
        ({"Fn::Select": [0]}, UNKNOWN, (problem("a malformed Fn::Select"),)),
        ({"Fn::Select": [0, {"Fn::Split": [",", "p,q"]}]}, "p", ()),
        (
            {"Fn::Select": [{"Ref": "Nope"}, ["a"]]},
            UNKNOWN,
            (problem("a Ref to nothing the template declares"),),
        ),
        (
            {"Fn::Split": [",", {"Ref": "Nope"}]},
            UNKNOWN,
            (problem("a Ref to nothing the template declares"),),
        ),
        ({"Fn::Split": [",", "a,b"]}, ["a", "b"], ()),
        ({"Fn::Split": [",", {"Ref": "AWS::StackId"}]}, UNKNOWN, ()),
        ({"Fn::Split": [",", 7]}, UNKNOWN, ()),
        ({"Fn::Split": ["", "ab"]}, UNKNOWN, (problem("a malformed Fn::Split"),)),
        ({"Fn::Split": [1, "ab"]}, UNKNOWN, (problem("a malformed Fn::Split"),)),
        ({"Fn::Split": [","]}, UNKNOWN, (problem("a malformed Fn::Split"),)),
    ],
)
def test_functions(value: Any, expected: Any, problems: tuple[str, ...]) -> None:
    assert resolve(value, {"T2": {"Type": TABLE, "Properties": {}}}) == (expected, problems)


@pytest.mark.parametrize(
    ("value", "expected", "problems"),
    [
        ({"Fn::Sub": "plain"}, "plain", ()),
        ({"Fn::Sub": "${Env}-${Env}"}, "dev-dev", ()),
        ({"Fn::Sub": "${!Literal}-${Env}"}, "${Literal}-dev", ()),
        ({"Fn::Sub": ["${A}/${B}/${C}", {"A": "x", "B": {"Ref": "Env"}, "C": 3}]}, "x/dev/3", ()),
        ({"Fn::Sub": ["${A}", {"A": True}]}, UNKNOWN, ()),
        ({"Fn::Sub": ["${A}", {"A": ["x"]}]}, UNKNOWN, ()),
        ({"Fn::Sub": ["${A}", "junk"]}, UNKNOWN, (problem("a Ref to nothing the template declares"),)),
        ({"Fn::Sub": "${T2.Arn}"}, UNKNOWN, ()),
        ({"Fn::Sub": "${AWS::Region}"}, "eu-west-1", ()),
        ({"Fn::Sub": "${Nope.Arn}"}, UNKNOWN, (problem("a Ref to nothing the template declares"),)),
        ({"Fn::Sub": "${T2}"}, UNKNOWN, ()),
        ({"Fn::Sub": "${T2.StreamSpecification.StreamArn}"}, UNKNOWN, ()),
        ({"Fn::Sub": 7}, UNKNOWN, (problem("a malformed Fn::Sub"),)),
        ({"Fn::Sub": ["${A}"]}, UNKNOWN, (problem("a malformed Fn::Sub"),)),
        ({"Fn::Sub": ["${A}", {}, "extra"]}, UNKNOWN, (problem("a malformed Fn::Sub"),)),
    ],
)
def test_sub(value: Any, expected: Any, problems: tuple[str, ...]) -> None:
    resources = {"T2": {"Type": TABLE, "Properties": {}}}
    sections = {"Parameters": {"Env": {"Type": "String", "Default": "dev"}}}
    host = {"provider_": provider("aws", region="eu-west-1")}
    assert resolve(value, resources, host, **sections) == (expected, problems)


@pytest.mark.parametrize(
    ("value", "expected", "problems"),
    [
        ({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Mode"]}, "PROVISIONED", ()),
        ({"Fn::FindInMap": ["Sizes", "prod", "Mode"]}, "PAY_PER_REQUEST", ()),
        ({"Fn::FindInMap": ["Sizes", 1, "Mode"]}, "one", ()),
        ({"Fn::FindInMap": ["Sizes", "dev", "Ref"]}, "dev", ()),
        (
            {"Fn::FindInMap": ["Sizes", "test", "Mode"]},
            UNKNOWN,
            (problem("a Fn::FindInMap key the Mappings do not have"),),
        ),
        (
            {"Fn::FindInMap": ["Sizes", ["dev"], "Mode"]},
            UNKNOWN,
            (problem("a Fn::FindInMap key the Mappings do not have"),),
        ),
        ({"Fn::FindInMap": ["Sizes", {"Ref": "AWS::StackId"}, "Mode"]}, UNKNOWN, ()),
        ({"Fn::FindInMap": ["Sizes", "dev"]}, UNKNOWN, (problem("a malformed Fn::FindInMap"),)),
        # a fourth argument (the LanguageExtensions transform's default) is not a key
        ({"Fn::FindInMap": ["Sizes", "dev", "Mode", {"DefaultValue": "x"}]}, "PROVISIONED", ()),
        (
            {"Fn::FindInMap": ["Sizes", "dev", "Bad"]},
            UNKNOWN,
            (problem("a Ref to nothing the template declares"),),
        ),
    ],
)
def test_find_in_map(value: Any, expected: Any, problems: tuple[str, ...]) -> None:
    mappings = {
        "Sizes": {
            "dev": {"Mode": "PROVISIONED", "Ref": {"Ref": "Env"}, "Bad": {"Ref": "Nope"}},
            "prod": {"Mode": "PAY_PER_REQUEST"},
            "1": {"Mode": "one"},
        }
    }
    sections = {"Parameters": {"Env": {"Type": "String", "Default": "dev"}}, "Mappings": mappings}
    assert resolve(value, **sections) == (expected, problems)


# --- conditions ----------------------------------------------------------------------------------

CONDITIONS = {
    "IsDev": {"Fn::Equals": [{"Ref": "Env"}, "dev"]},
    "IsProd": {"Fn::Equals": ["prod", {"Ref": "Env"}]},
    "CountIsOne": {"Fn::Equals": [{"Ref": "Count"}, "1"]},
    "SameList": {"Fn::Equals": [["a"], ["a"]]},
    "NotDev": {"Fn::Not": [{"Condition": "IsDev"}]},
    "DevAndProd": {"Fn::And": [{"Condition": "IsDev"}, {"Condition": "IsProd"}]},
    "DevOrProd": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]},
    "DevAndDev": {"Fn::And": [{"Condition": "IsDev"}, {"Condition": "IsDev"}]},
    "ProdOrProd": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "IsProd"}]},
    "ListIsNotItsText": {"Fn::Equals": [["a"], "['a']"]},
    "TextIsNotAList": {"Fn::Equals": ["['a']", ["a"]]},
    "Yes": True,
    "Unknown": {"Fn::Equals": [{"Ref": "Late"}, "x"]},
    "UnknownLeft": {"Fn::Equals": ["x", {"Ref": "Late"}]},
    "NotUnknown": {"Fn::Not": [{"Condition": "Unknown"}]},
    "UnknownOrDev": {"Fn::Or": [{"Condition": "Unknown"}, {"Condition": "IsDev"}]},
    "UnknownOrProd": {"Fn::Or": [{"Condition": "Unknown"}, {"Condition": "IsProd"}]},
    "UnknownAndProd": {"Fn::And": [{"Condition": "Unknown"}, {"Condition": "IsProd"}]},
    "UnknownAndDev": {"Fn::And": [{"Condition": "Unknown"}, {"Condition": "IsDev"}]},
    "Junk": {"Fn::Equals": [True]},
    "EqualsText": {"Fn::Equals": "ab"},
    "OrJunk": {"Fn::Or": ["text", {"Condition": "IsProd"}]},
    "EmptyAnd": {"Fn::And": []},
    "SelfLoop": {"Fn::Not": [{"Condition": "SelfLoop"}]},
}
PARAMETERS = {
    "Env": {"Type": "String", "Default": "dev"},
    "Count": {"Type": "Number", "Default": 1},
    "Late": {"Type": "String"},
}


def resolve_if(condition: str) -> tuple[Any, tuple[str, ...]]:
    value = {"Fn::If": [condition, "yes", "no"]}
    return resolve(
        value, Parameters=PARAMETERS, Conditions=CONDITIONS, host={"parameters": {"Late": UNKNOWN}}
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("IsDev", "yes"),
        ("IsProd", "no"),
        ("CountIsOne", "yes"),
        ("SameList", "yes"),
        ("NotDev", "no"),
        ("DevAndProd", "no"),
        ("DevOrProd", "yes"),
        ("DevAndDev", "yes"),
        ("ProdOrProd", "no"),
        ("ListIsNotItsText", "no"),
        ("TextIsNotAList", "no"),
        ("Yes", "yes"),
        ("Unknown", UNKNOWN),
        ("UnknownLeft", UNKNOWN),
        ("NotUnknown", UNKNOWN),
        ("UnknownOrDev", "yes"),
        ("UnknownOrProd", UNKNOWN),
        ("UnknownAndProd", "no"),
        ("UnknownAndDev", UNKNOWN),
    ],
)
def test_conditions_that_can_be_evaluated_choose_the_branch(condition: str, expected: Any) -> None:
    assert resolve_if(condition) == (expected, ())


@pytest.mark.parametrize(
    ("condition", "problems"),
    [
        ("Junk", (problem("a condition it cannot evaluate", "condition 'Junk'"),)),
        ("EqualsText", (problem("a condition it cannot evaluate", "condition 'EqualsText'"),)),
        ("OrJunk", (problem("a condition it cannot evaluate", "condition 'OrJunk'"),)),
        ("EmptyAnd", (problem("a condition it cannot evaluate", "condition 'EmptyAnd'"),)),
        ("SelfLoop", (problem("a condition that refers to itself", "condition 'SelfLoop'"),)),
        ("Missing", (problem("a condition the template does not declare"),)),
    ],
)
def test_conditions_that_cannot_be_evaluated_are_named(condition: str, problems: tuple[str, ...]) -> None:
    assert resolve_if(condition) == (UNKNOWN, problems)


def test_malformed_if_and_bad_condition_names() -> None:
    for value, what in (
        ({"Fn::If": ["IsDev", "yes"]}, "a malformed Fn::If"),
        ({"Fn::If": [["IsDev"], "yes", "no"]}, "a condition the template does not declare"),
    ):
        assert resolve(value, Conditions=CONDITIONS, Parameters=PARAMETERS) == (UNKNOWN, (problem(what),))


def test_a_conditions_problems_are_reported_once_per_use_in_what_is_judged() -> None:
    conditions = {"Bad": {"Fn::Equals": [{"Fn::ImportValue": "x"}, "y"]}}
    bad_if = {"Fn::If": ["Bad", "a", "b"]}
    body = {
        "Conditions": conditions,
        "Resources": {
            # Evaluated first for a resource whose problems do not count: still reported later.
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bad_if}},
            "T": {"Type": TABLE, "Properties": {"BillingMode": bad_if, "TableName": bad_if}},
        },
    }
    assert expansion(body).problems == (problem("Fn::ImportValue", "condition 'Bad'"),)
    bucket = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bad_if, "Other": bad_if}}
    only_bucket = {"Conditions": conditions, "Resources": {"Bucket": bucket}}
    assert expansion(only_bucket).problems == ()


def test_after_a_condition_the_resources_own_problems_are_still_named_after_it() -> None:
    value = {"Fn::If": ["IsDev", "a", "b"]}
    body = {
        "Parameters": PARAMETERS,
        "Conditions": CONDITIONS,
        "Resources": {"T": {"Type": TABLE, "Properties": {"A": value, "B": {"Ref": "Nope"}}}},
    }
    assert expansion(body).problems == (problem("a Ref to nothing the template declares", "'T' B"),)


def test_the_stack_name_is_unknown_when_it_is_not_text() -> None:
    assert resolve({"Ref": "AWS::StackName"}, host={"name": 7}) == (UNKNOWN, ())


def test_at_most_a_hundred_problems_are_collected() -> None:
    tables = {f"T{i}": {"Type": TABLE, "Properties": {"BillingMode": {"Ref": "Nope"}}} for i in range(150)}
    problems = expansion({"Resources": tables}, type_=NATIVE_CFN_STACK).problems
    assert problems[-1] == "and 92 more"


def test_sub_of_an_attribute_depends_on_the_resource_whatever_the_attribute() -> None:
    body = {
        "Resources": {
            "A": {"Type": TABLE, "Properties": {}},
            "T": {
                "Type": TABLE,
                "Properties": {"X": {"Fn::Sub": "${A.Arn}/${A.StreamSpecification.StreamArn}"}},
            },
        }
    }
    host = host_stack(body)
    result = cloudformation.expand(host)
    assert result is not None and result.problems == ()
    assert records(result)["T"].dependencies == (f"{host.urn}$cloudformation:A",)


def test_resource_conditions_leave_out_what_is_not_created() -> None:
    body = {
        "Parameters": PARAMETERS,
        "Conditions": CONDITIONS,
        "Resources": {
            "DevTable": {"Type": TABLE, "Condition": "IsDev", "Properties": {}},
            "ProdTable": {"Type": TABLE, "Condition": "IsProd", "Properties": {}},
            "Maybe": {"Type": TABLE, "Condition": "Unknown", "Properties": {}},
            "Wrong": {"Type": TABLE, "Condition": "Missing", "Properties": {}},
        },
    }
    result = expansion(body, parameters={"Late": UNKNOWN})
    assert list(records(result)) == ["DevTable", "Maybe", "Wrong"]
    assert result.problems == (problem("a condition the template does not declare", "'Wrong' Condition"),)


# --- what is judged, what is reported --------------------------------------------------------------


def test_records_carry_wire_names_verbatim_documents_and_the_stacks_provider() -> None:
    where = provider("aws", region="eu-west-1")
    policy = {"Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}
    body = {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": "app",
                    "AssumeRolePolicyDocument": policy,
                    "Policies": [{"PolicyName": "p", "PolicyDocument": policy}],
                    "Tags": [{"Key": "Team", "Value": "t"}],
                },
            },
            "Set": {"Type": "AWS::SSO::PermissionSet", "Properties": {"InlinePolicy": policy}},
        }
    }
    host = stack(body, provider_=where)
    result = cloudformation.expand(host)
    assert result is not None
    role = records(result)["Role"]
    assert role == Resource(
        type="aws-native:iam:Role",
        name="Role",
        urn=f"{host.urn}$cloudformation:Role",
        props={
            "roleName": "app",
            "assumeRolePolicyDocument": policy,
            "policies": [{"policyName": "p", "policyDocument": policy}],
            "tags": [{"key": "Team", "value": "t"}],
        },
        parent=host.urn,
        dependencies=(),
        provider_props=where.props,
        provider_type=where.type,
        provider_urn=where.urn,
    )
    assert records(result)["Set"].props == {"inlinePolicy": policy}
    assert [(item.logical_id, item.cfn_type) for item in result.resources] == [
        ("Role", "AWS::IAM::Role"),
        ("Set", "AWS::SSO::PermissionSet"),
    ]


def test_tags_keep_their_keys_as_a_map_and_get_wire_names_as_a_list() -> None:
    tags = {"Team": "t", "CostCenter": "c"}
    body = {
        "Resources": {
            "Map": {"Type": "AWS::SSM::Parameter", "Properties": {"Tags": tags, "DataType": "text"}},
            "List": {"Type": "AWS::SNS::Topic", "Properties": {"Tags": [{"Key": "Team", "Value": "t"}]}},
            "Untagged": {"Type": "AWS::SSM::Parameter", "Properties": {"DataType": "text"}},
        }
    }
    found = records(expansion(body))
    assert found["Map"].props == {"tags": tags, "dataType": "text"}
    assert found["List"].props == {"tags": [{"key": "Team", "value": "t"}]}
    assert found["Untagged"].props == {"dataType": "text"}


def test_only_what_rules_read_raises_problems() -> None:
    unreadable = {"Fn::ImportValue": "x"}
    body = {
        "Resources": {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"BucketName": unreadable, "Tags": [{"Key": "Team", "Value": unreadable}]},
            },
            "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Threshold": unreadable}},
            "Custom": {"Type": "Custom::Thing", "Properties": {"X": unreadable}},
        }
    }
    result = expansion(body)
    assert result.problems == (
        problem("Fn::ImportValue", "'Bucket' Tags[0].Value"),
        problem("Fn::ImportValue", "'Alarm' Threshold"),
    )
    assert list(records(result)) == ["Bucket", "Alarm"]


@pytest.mark.parametrize(
    "cfn_type",
    sorted(cloudformation.READ_TYPES),
)
def test_every_read_type_reports_what_it_cannot_resolve(cfn_type: str) -> None:
    body = {"Resources": {"R": {"Type": cfn_type, "Properties": {"Anything": {"Fn::ImportValue": "x"}}}}}
    assert expansion(body).problems == (problem("Fn::ImportValue", "'R' Anything"),)


def test_resources_the_pack_cannot_see_into_are_problems() -> None:
    body = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "Nested": {"Type": "AWS::CloudFormation::Stack", "Properties": {}},
            "Set": {"Type": "AWS::CloudFormation::StackSet", "Properties": {}},
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {}},
            "Untyped": {"Properties": {}},
            "NotAMap": "x",
            "s3-cr3t": {"Type": 7},
            "T": {"Type": TABLE, "Properties": {}},
        },
    }
    result = expansion(body)
    assert result.problems == (
        "its template declares a Transform (a macro such as AWS::Serverless rewrites it while deploying): "
        "what the transform adds is not judged",
        "resource 'Nested' is a nested stack (its template is not read)",
        "resource 'Set' is a stack set (its template is not read)",
        "resource 'Fn' is a SAM resource (expanded by the transform, not read)",
        "resource 'Untyped' has no type",
        "resource 'NotAMap' has no type",
        "resource (an invalid id) has no type",
    )
    assert list(records(result)) == ["T"]


def test_problems_beyond_the_first_eight_are_counted() -> None:
    tables = {f"T{i}": {"Type": TABLE, "Properties": {"BillingMode": {"Ref": "Nope"}}} for i in range(11)}
    problems = expansion({"Resources": tables}).problems
    assert problems == (
        *(problem("a Ref to nothing the template declares", f"'T{i}' BillingMode") for i in range(8)),
        "and 3 more",
    )
    nine = {f"T{i}": tables[f"T{i}"] for i in range(9)}
    assert expansion({"Resources": nine}).problems[-1] == "and 1 more"
    eight = {f"T{i}": tables[f"T{i}"] for i in range(8)}
    assert len(expansion({"Resources": eight}).problems) == 8


def test_the_same_problem_twice_in_one_place_is_reported_once() -> None:
    value = [{"Ref": "Nope"}, {"Ref": "Nope"}]
    assert resolve(value)[1] == (
        problem("a Ref to nothing the template declares", "'T' BillingMode[0]"),
        problem("a Ref to nothing the template declares", "'T' BillingMode[1]"),
    )
    assert resolve({"a": {"Ref": "Nope"}, "b": {"Ref": "Nope"}})[1] == (
        problem("a Ref to nothing the template declares", "'T' BillingMode.a"),
        problem("a Ref to nothing the template declares", "'T' BillingMode.b"),
    )
    assert resolve({"Fn::Sub": "${Nope}-${Nope}"})[1] == (problem("a Ref to nothing the template declares"),)


def test_a_template_with_more_values_than_the_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cloudformation, "MAX_NODES", 20)  # the real budget, 200000, takes seconds to fill

    def table(values: int) -> dict[str, Any]:
        # The list and each of its items is a value: `values` in all.
        return {"Resources": {"T": {"Type": TABLE, "Properties": {"X": list(range(values - 1))}}}}

    assert expansion(table(20)).problems == ()
    assert expansion(table(21)).problems == ("its template has more than 20 values",)
    condition = {"Fn::Equals": [list(range(20)), []]}
    refused = {"Conditions": {"C": condition}, "Resources": {"T": {"Type": TABLE, "Condition": "C"}}}
    assert expansion(refused).problems == ("its template has more than 20 values",)


def test_a_template_nested_too_deeply_is_refused() -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    body = {"Resources": {"T": {"Type": TABLE, "Properties": {"X": deep}}}}
    assert expansion(body, type_=NATIVE_CFN_STACK).problems == ("its template is nested too deeply",)
