"""dynamodb-on-demand-billing: good and bad tables, junk input, remediation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import billing_mode
from tests.policies.strategies import junk_trees
from tests.policies.strategies_schema import junk_configs, junk_failures, junk_resources, secret_free

CONFIG = defaults(billing_mode.META.config_schema)
FIX = (
    "Set billingMode to 'PAY_PER_REQUEST' (and drop readCapacity/writeCapacity), or exempt the table in the "
    "policy config."
)


def table(**props: Any) -> Resource:
    return Resource(
        type="aws:dynamodb/table:Table",
        name="events",
        urn="urn:pulumi:dev::p::aws:dynamodb/table:Table::events",
        props=props,
    )


def test_on_demand_table_is_compliant() -> None:
    assert billing_mode.check(table(billingMode="PAY_PER_REQUEST"), CONFIG) == []


@pytest.mark.parametrize(
    ("props", "shown"),
    [
        ({}, "is not set, so the provider default PROVISIONED applies"),
        ({"billingMode": None}, "is not set, so the provider default PROVISIONED applies"),
        ({"billingMode": "PROVISIONED"}, "is 'PROVISIONED'"),
        ({"billingMode": "pay_per_request"}, "has a value that is not a billing mode"),
        ({"billingMode": 7}, "has a value that is not a billing mode"),
    ],
)
def test_provisioned_absent_or_junk_billing_is_a_violation_with_the_fix(
    props: dict[str, Any], shown: str
) -> None:
    [violation] = billing_mode.check(table(**props), CONFIG)
    assert violation.message == f"Table 'events': billingMode {shown}. {FIX}"


def test_unknown_billing_mode_is_not_judged_during_preview() -> None:
    assert billing_mode.check(table(billingMode=UNKNOWN), CONFIG) == []


def test_exempt_table_by_name() -> None:
    config = {**CONFIG, "exemptResources": ["events"]}
    assert billing_mode.check(table(billingMode="PROVISIONED"), config) == []


def test_other_resource_types_are_ignored() -> None:
    other = Resource(type="aws:s3/bucket:Bucket", name="b", urn="u", props={})
    assert billing_mode.check(other, CONFIG) == []


def test_free_text_is_never_echoed() -> None:
    [violation] = billing_mode.check(table(billingMode="s3cr3t-value"), CONFIG)
    assert violation.message == f"Table 'events': billingMode has a value that is not a billing mode. {FIX}"


def test_remediation_drops_provisioned_capacity() -> None:
    bad = table(
        billingMode="PROVISIONED",
        readCapacity=5,
        writeCapacity=5,
        globalSecondaryIndexes=[{"name": "i", "readCapacity": 1, "writeCapacity": 1}],
    )
    fixed = billing_mode.remediate(bad, CONFIG)
    assert fixed is not None
    assert fixed["billingMode"] == "PAY_PER_REQUEST"
    assert "readCapacity" not in fixed and "writeCapacity" not in fixed
    assert fixed["globalSecondaryIndexes"] == [{"name": "i"}]


def test_remediation_keeps_index_entries_that_are_not_maps() -> None:
    # Junk or unknown entries are passed through as they are (the provider reports them); the
    # remediation must not fail on them, or the table would stay provisioned.
    bad = table(
        billingMode="PROVISIONED",
        globalSecondaryIndexes=["junk", None, UNKNOWN, 3, {"name": "i", "readCapacity": 1}],
    )
    fixed = billing_mode.remediate(bad, CONFIG)
    assert fixed == {
        "billingMode": "PAY_PER_REQUEST",
        "globalSecondaryIndexes": ["junk", None, UNKNOWN, 3, {"name": "i"}],
    }


def test_remediation_keeps_every_other_property() -> None:
    bad = table(
        billingMode="PROVISIONED", readCapacity=5, name="events-dev", hashKey="id", tags={"Team": "a"}
    )
    assert billing_mode.remediate(bad, CONFIG) == {
        "billingMode": "PAY_PER_REQUEST",
        "name": "events-dev",
        "hashKey": "id",
        "tags": {"Team": "a"},
    }


def test_remediation_of_compliant_table_changes_nothing() -> None:
    assert billing_mode.remediate(table(billingMode="PAY_PER_REQUEST"), CONFIG) is None


@given(junk_trees)
def test_never_raises_and_remediated_table_is_compliant(props: Any) -> None:
    resource = table(**props) if isinstance(props, dict) else table()
    billing_mode.check(resource, CONFIG)
    fixed = billing_mode.remediate(resource, CONFIG)
    after = Resource(resource.type, resource.name, resource.urn, fixed or resource.props)
    assert billing_mode.check(after, CONFIG) == []


@given(junk_resources(billing_mode, name="events"), junk_configs(billing_mode))
def test_schema_junk_never_raises_nor_echoes_values(resource: Resource, config: dict[str, Any]) -> None:
    violations = billing_mode.check(resource, config)
    assert secret_free([v.message for v in violations])
    fixed = billing_mode.remediate(resource, config)
    assert (fixed is None) == (violations == [])
    if fixed is not None:
        assert billing_mode.check(Resource(resource.type, resource.name, resource.urn, fixed), config) == []


def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        violations = [v.message for v in billing_mode.check(resource, config)]
        fixed = billing_mode.remediate(resource, config)
        if fixed is None:
            return violations
        after = billing_mode.check(Resource(resource.type, resource.name, resource.urn, fixed), config)
        return violations + [f"still violates after remediation: {v.message}" for v in after]

    assert junk_failures(billing_mode, judge) == []
