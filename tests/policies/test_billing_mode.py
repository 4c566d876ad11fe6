"""dynamodb-on-demand-billing: good and bad tables, junk input, remediation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.edits import apply_edits
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import billing_mode
from tests.policies.strategies import junk_trees

CONFIG = defaults(billing_mode.META.config_schema)


def table(**props: Any) -> Resource:
    return Resource(
        type="aws:dynamodb/table:Table",
        name="events",
        urn="urn:pulumi:dev::p::aws:dynamodb/table:Table::events",
        props=props,
    )


def test_on_demand_table_is_compliant() -> None:
    assert billing_mode.check(table(billingMode="PAY_PER_REQUEST"), CONFIG) == []


@pytest.mark.parametrize("mode", [None, "PROVISIONED"])
def test_provisioned_or_absent_billing_is_a_violation(mode: str | None) -> None:
    [violation] = billing_mode.check(table(billingMode=mode), CONFIG)
    assert "events" in violation.message
    assert "PAY_PER_REQUEST" in violation.message


def test_absent_billing_mode_is_the_provider_default_provisioned() -> None:
    [violation] = billing_mode.check(table(), CONFIG)
    assert "default PROVISIONED" in violation.message


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
    assert "s3cr3t" not in violation.message


def test_remediation_drops_provisioned_capacity() -> None:
    bad = table(
        billingMode="PROVISIONED",
        readCapacity=5,
        writeCapacity=5,
        globalSecondaryIndexes=[{"name": "i", "readCapacity": 1, "writeCapacity": 1}],
    )
    edits = billing_mode.remediate(bad, CONFIG)
    assert edits is not None
    fixed = apply_edits(bad.props, edits)
    assert fixed["billingMode"] == "PAY_PER_REQUEST"
    assert "readCapacity" not in fixed and "writeCapacity" not in fixed
    assert fixed["globalSecondaryIndexes"] == [{"name": "i"}]


def test_remediation_of_compliant_table_changes_nothing() -> None:
    assert billing_mode.remediate(table(billingMode="PAY_PER_REQUEST"), CONFIG) is None


@pytest.mark.parametrize("indexes", [UNKNOWN, [UNKNOWN], [{"name": "i", "readCapacity": 1}, UNKNOWN]])
def test_remediation_declines_while_an_index_is_unknown(indexes: Any) -> None:
    bad = table(billingMode="PROVISIONED", globalSecondaryIndexes=indexes)
    assert billing_mode.check(bad, CONFIG) != []  # still reported
    assert billing_mode.remediate(bad, CONFIG) is None


def test_remediation_touches_nothing_it_does_not_fix() -> None:
    tags = {"Team": "t"}
    index = {"name": "i", "readCapacity": 1, "projection": {"type": "ALL"}}
    bad = table(billingMode="PROVISIONED", tags=tags, globalSecondaryIndexes=[index, "junk"])
    fixed = apply_edits(bad.props, billing_mode.remediate(bad, CONFIG) or [])
    assert fixed["tags"] is tags  # the very same value, not a copy of what the rule saw
    assert fixed["globalSecondaryIndexes"] == [{"name": "i", "projection": {"type": "ALL"}}, "junk"]
    assert fixed["globalSecondaryIndexes"][0]["projection"] is index["projection"]
    assert index == {"name": "i", "readCapacity": 1, "projection": {"type": "ALL"}}  # input untouched


@given(junk_trees)
def test_never_raises_and_remediated_table_is_compliant(props: Any) -> None:
    resource = table(**props) if isinstance(props, dict) else table()
    violations = billing_mode.check(resource, CONFIG)
    edits = billing_mode.remediate(resource, CONFIG)
    if edits is None:
        return  # nothing to fix, or an unknown index: declined (the violations stay reported)
    assert violations
    after = Resource(resource.type, resource.name, resource.urn, apply_edits(resource.props, edits))
    assert billing_mode.check(after, CONFIG) == []
