"""Where the pack places a resource (account, region, provider package): from its ARN, its own
`region` argument, and its provider's `region`, `allowedAccountIds` and assumed role. table-alarms
matches alarms to tables by these, and its messages name them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers import location
from dynamodb_guardrails.views.location import Location

ACCOUNT = "123456789012"
OTHER = "210987654321"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/deployer"
TABLE_ARN = f"arn:aws:dynamodb:eu-west-1:{OTHER}:table/orders"


def on(provider_props: dict[str, Any] | None, type_: str = "aws:dynamodb/table:Table", **kw: Any) -> Resource:
    package = type_.partition(":")[0]
    return Resource(
        type_,
        "r",
        "urn:r",
        {},
        provider_props=provider_props,
        provider_type=None if provider_props is None else f"pulumi:providers:{package}",
        provider_urn=kw.get("provider_urn", None if provider_props is None else f"urn:provider:{package}"),
    )


@pytest.mark.parametrize(
    ("value", "region"),
    [
        ("us-east-1", "us-east-1"),
        ("us-gov-west-1", "us-gov-west-1"),
        ("ap-southeast-12", "ap-southeast-12"),
        ("eu-west-123", None),
        ("useast-1", None),
        ("us-east-", None),
        ("US-EAST-1", None),
        ("us-east-1 ", None),
        ("xus-east-1", None),
        ("", None),
        (UNKNOWN, None),
        (None, None),
        (["us-east-1"], None),
    ],
)
def test_region_names(value: Any, region: str | None) -> None:
    assert location.region_name(value) == region


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (TABLE_ARN, Location(account=OTHER, region="eu-west-1")),
        (ROLE, Location(account=ACCOUNT, region=None)),
        (
            "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t",
            Location(account=ACCOUNT, region="cn-north-1"),
        ),
        ("arn:aws:s3:::bucket", Location(account=None, region=None)),
        ("arn:aws:dynamodb:nowhere:123456789012:table/t", Location(account=ACCOUNT, region=None)),
        ("arn:aws:dynamodb:us-east-1:12345:table/t", None),
        ("arn:aws:dynamodb:us-east-1:123456789012:", None),
        ("arn:azure:dynamodb:us-east-1:123456789012:table/t", None),
        ("xarn:aws:dynamodb:us-east-1:123456789012:table/t", None),
        ("not an arn", None),
        (UNKNOWN, None),
        (None, None),
    ],
)
def test_arn_locations(arn: Any, expected: Location | None) -> None:
    assert location.arn_location(arn) == expected


@pytest.mark.parametrize(
    ("props", "account"),
    [
        ({"allowedAccountIds": [ACCOUNT]}, ACCOUNT),
        ({"allowedAccountIds": json.dumps([ACCOUNT])}, ACCOUNT),  # providers send objects as JSON
        ({"allowedAccountIds": [ACCOUNT, OTHER]}, None),
        ({"allowedAccountIds": ["12345"]}, None),
        ({"allowedAccountIds": [12]}, None),
        ({"allowedAccountIds": "[not json"}, None),
        ({"allowedAccountIds": ACCOUNT}, None),
        ({"allowedAccountIds": UNKNOWN}, None),
        ({"allowedAccountIds": [ACCOUNT], "assumeRole": {"roleArn": ROLE.replace(ACCOUNT, OTHER)}}, ACCOUNT),
        ({"assumeRole": {"roleArn": ROLE}}, ACCOUNT),
        ({"assumeRole": json.dumps({"roleArn": ROLE})}, ACCOUNT),
        ({"assumeRole": [{"roleArn": ROLE}]}, ACCOUNT),
        ({"assumeRole": [{"roleArn": ROLE}, {"roleArn": ROLE}]}, None),
        ({"assumeRoles": json.dumps([{"roleArn": ROLE}])}, ACCOUNT),
        ({"assumeRole": {"roleArn": "arn:aws:iam:::role/x"}, "assumeRoles": [{"roleArn": ROLE}]}, ACCOUNT),
        ({"assumeRole": {"roleArn": UNKNOWN}}, None),
        ({"assumeRole": "junk"}, None),
        ({"roleArn": ROLE}, ACCOUNT),  # aws-native spells it at the top
        ({"roleArn": "arn:aws:iam:::role/x"}, None),
        ({}, None),
    ],
)
def test_the_providers_account(props: dict[str, Any], account: str | None) -> None:
    assert location.provider_location(on(props)).account == account


def test_the_providers_region_and_package() -> None:
    assert location.provider_location(on({"region": "eu-west-1"})) == Location(None, "eu-west-1", "aws")
    native = on({"region": "bogus"}, "aws-native:dynamodb:Table")
    assert location.provider_location(native) == Location(None, None, "aws-native")
    assert location.provider_location(on(None)) == Location()
    untyped = Resource("aws:x/y:Z", "r", "urn:r", {}, provider_props={"region": "us-east-1"})
    assert location.provider_location(untyped) == Location(None, "us-east-1", None)


@pytest.mark.parametrize(
    ("region", "arn", "expected"),
    [
        # the provider's region unless the resource says otherwise
        (location._MISSING, None, Location(ACCOUNT, "us-east-1", "aws")),
        (None, None, Location(ACCOUNT, "us-east-1", "aws")),
        ("eu-west-1", None, Location(ACCOUNT, "eu-west-1", "aws")),
        (UNKNOWN, None, Location(ACCOUNT, None, "aws")),  # overrides the provider's, not known yet
        ("bogus", None, Location(ACCOUNT, None, "aws")),
        # the ARN is where it is, once deployed
        ("ap-south-1", TABLE_ARN, Location(OTHER, "eu-west-1", "aws")),
        (UNKNOWN, TABLE_ARN, Location(OTHER, "eu-west-1", "aws")),
        ("ap-south-1", "arn:aws:s3:::bucket", Location(ACCOUNT, "ap-south-1", "aws")),
        ("ap-south-1", UNKNOWN, Location(ACCOUNT, "ap-south-1", "aws")),
    ],
)
def test_a_resources_location(region: Any, arn: Any, expected: Location) -> None:
    resource = on({"region": "us-east-1", "allowedAccountIds": [ACCOUNT]})
    assert location.resource_location(resource, region=region, arn=arn) == expected


def test_without_a_provider_the_location_comes_from_the_resource_alone() -> None:
    bare = on(None, "aws-native:dynamodb:Table")
    assert location.resource_location(bare) == Location()
    assert location.resource_location(bare, region=None) == Location()
    assert location.resource_location(bare, region="eu-west-1") == Location(None, "eu-west-1", "aws-native")
    assert location.resource_location(bare, region=UNKNOWN) == Location(None, None, "aws-native")
    assert location.resource_location(bare, arn=TABLE_ARN) == Location(OTHER, "eu-west-1", "aws-native")
    assert location.resource_location(bare, arn=UNKNOWN) == Location(None, None, "aws-native")
    odd = Resource(":odd", "r", "urn:r", {})
    assert location.resource_location(odd, region="eu-west-1") == Location(None, "eu-west-1", None)


def test_within_one_stack_each_provider_is_read_once() -> None:
    first = on({"region": "us-east-1"})
    # Another resource of the same provider (same URN): the engine sends the same provider.
    same_urn = on({"region": "eu-west-1"})
    assert location.resource_location(same_urn).region == "eu-west-1"  # outside: read every time
    with location.one_stack():
        assert location.resource_location(first).region == "us-east-1"
        assert location.resource_location(same_urn).region == "us-east-1"
        other = on({"region": "eu-west-1"}, provider_urn="urn:provider:other")
        assert location.resource_location(other).region == "eu-west-1"
        unnamed = on({"region": "ap-south-1"}, provider_urn="")
        assert location.resource_location(unnamed).region == "ap-south-1"
        assert location.resource_location(on({"region": "sa-east-1"}, provider_urn="")).region == "sa-east-1"
    assert location.resource_location(same_urn).region == "eu-west-1"  # and again after


def test_one_stack_ends_its_cache_even_when_the_policy_fails() -> None:
    with pytest.raises(RuntimeError), location.one_stack():
        location.resource_location(on({"region": "us-east-1"}))
        raise RuntimeError
    assert location.resource_location(on({"region": "eu-west-1"})).region == "eu-west-1"
