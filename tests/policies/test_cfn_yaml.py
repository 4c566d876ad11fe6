"""CloudFormation YAML as the template reader sees it: every short-form intrinsic in its long JSON
form, nested ones included, scalars typed as YAML types them except dates, and text that is not
YAML refused with a ValueError that does not echo it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from dynamodb_guardrails.readers import cfn_yaml


@pytest.fixture(autouse=True)
def fresh_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test builds the loader itself: the one cached by an earlier load says nothing about
    how `_loader` builds it now."""
    monkeypatch.setattr(cfn_yaml, "_LOADER", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!Ref Orders", {"Ref": "Orders"}),
        ("!Condition IsProd", {"Condition": "IsProd"}),
        ("!GetAtt Orders.Arn", {"Fn::GetAtt": ["Orders", "Arn"]}),
        (
            "!GetAtt Orders.StreamSpecification.StreamArn",
            {"Fn::GetAtt": ["Orders", "StreamSpecification.StreamArn"]},
        ),
        ("!GetAtt [Orders, Arn]", {"Fn::GetAtt": ["Orders", "Arn"]}),
        ('!Sub "orders-${Env}"', {"Fn::Sub": "orders-${Env}"}),
        ('!Sub ["${A}", {A: !Ref Env}]', {"Fn::Sub": ["${A}", {"A": {"Ref": "Env"}}]}),
        (
            '!Join ["/", [org, !Ref Repo, !Sub "${Env}"]]',
            {"Fn::Join": ["/", ["org", {"Ref": "Repo"}, {"Fn::Sub": "${Env}"}]]},
        ),
        (
            "!If [IsProd, !Ref Big, [a, !Ref Small]]",
            {"Fn::If": ["IsProd", {"Ref": "Big"}, ["a", {"Ref": "Small"}]]},
        ),
        ("!Equals [!Ref Env, prod]", {"Fn::Equals": [{"Ref": "Env"}, "prod"]}),
        (
            "!Transform {Name: AWS::Include, Parameters: {Location: !Ref Where}}",
            {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": {"Ref": "Where"}}}},
        ),
        ("!FindInMap [Keys, !Ref Env, Level]", {"Fn::FindInMap": ["Keys", {"Ref": "Env"}, "Level"]}),
        ("!Base64 text", {"Fn::Base64": "text"}),
    ],
)
def test_short_forms_become_the_long_forms_json_templates_use(text: str, expected: Any) -> None:
    assert cfn_yaml.load(f"Value: {text}") == {"Value": expected}


def test_block_style_intrinsics_are_read_deeply() -> None:
    text = """
Value: !Join
  - ","
  - - !Ref A
    - !GetAtt B.Arn
Other: !Sub
  - "${X}-${Y}"
  - X: !Ref A
    Y: [1, 2]
"""
    assert cfn_yaml.load(text) == {
        "Value": {"Fn::Join": [",", [{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}]]},
        "Other": {"Fn::Sub": ["${X}-${Y}", {"X": {"Ref": "A"}, "Y": [1, 2]}]},
    }


def test_scalars_keep_their_yaml_types_but_dates_stay_text() -> None:
    text = """
AWSTemplateFormatVersion: 2010-09-09
Threshold: 1
Ratio: 0.5
Enabled: true
Nothing: null
Stamp: 2024-01-01 10:00:00
Name: orders
"""
    assert cfn_yaml.load(text) == {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Threshold": 1,
        "Ratio": 0.5,
        "Enabled": True,
        "Nothing": None,
        "Stamp": "2024-01-01 10:00:00",
        "Name": "orders",
    }


def test_the_loader_is_built_once_and_reused_on_the_c_loader_when_pyyaml_has_it() -> None:
    first = cfn_yaml._loader()
    assert cfn_yaml._loader() is first
    assert issubclass(first, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert cfn_yaml.load("a: !Ref B") == {"a": {"Ref": "B"}}


@pytest.mark.parametrize(
    "text",
    [
        "a: [unclosed s3cr3t",
        "a: b: c",
        "{[1, 2]: s3cr3t}",  # a mapping key YAML can construct but Python cannot hash
        "a: !Ref\n  - [x\n",
        # an intrinsic that holds itself through an alias: no template can be that
        "x: &r !Join ['', [*r]]",
        "x: &r !Transform {Name: *r}",
    ],
)
def test_text_that_is_not_a_yaml_document_is_a_value_error_that_does_not_echo_it(text: str) -> None:
    with pytest.raises(ValueError, match=r"^not a YAML document$") as raised:
        cfn_yaml.load(text)
    assert "s3cr3t" not in str(raised.value)
