"""dynamodb-on-demand-billing: good and bad tables, junk input, remediation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.edits import apply_edits
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
        ({}, "is not set, so the default PROVISIONED applies"),
        ({"billingMode": None}, "is not set, so the default PROVISIONED applies"),
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
    edits = billing_mode.remediate(bad, CONFIG)
    assert edits is not None
    fixed = apply_edits(bad.props, edits)
    assert fixed["billingMode"] == "PAY_PER_REQUEST"
    assert "readCapacity" not in fixed and "writeCapacity" not in fixed
    assert fixed["globalSecondaryIndexes"] == [{"name": "i"}]


def test_remediation_keeps_index_entries_that_are_not_maps() -> None:
    # Junk entries are passed through as they are (the provider reports them); the remediation
    # must not fail on them, or the table would stay provisioned.
    bad = table(
        billingMode="PROVISIONED",
        globalSecondaryIndexes=["junk", None, 3, ["x"], {"name": "i", "readCapacity": 1}],
    )
    assert apply_edits(bad.props, billing_mode.remediate(bad, CONFIG) or []) == {
        "billingMode": "PAY_PER_REQUEST",
        "globalSecondaryIndexes": ["junk", None, 3, ["x"], {"name": "i"}],
    }


def test_remediation_keeps_every_other_property() -> None:
    bad = table(
        billingMode="PROVISIONED", readCapacity=5, name="events-dev", hashKey="id", tags={"Team": "a"}
    )
    assert apply_edits(bad.props, billing_mode.remediate(bad, CONFIG) or []) == {
        "billingMode": "PAY_PER_REQUEST",
        "name": "events-dev",
        "hashKey": "id",
        "tags": {"Team": "a"},
    }


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


@given(junk_resources(billing_mode, name="events"), junk_configs(billing_mode))
def test_schema_junk_never_raises_nor_echoes_values(resource: Resource, config: dict[str, Any]) -> None:
    violations = billing_mode.check(resource, config)
    assert secret_free([v.message for v in violations])
    edits = billing_mode.remediate(resource, config)
    if edits is None:
        return  # nothing to fix, or an unknown index: declined (the violations stay reported)
    assert violations
    fixed = apply_edits(resource.props, edits)
    assert billing_mode.check(Resource(resource.type, resource.name, resource.urn, fixed), config) == []


def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        violations = [v.message for v in billing_mode.check(resource, config)]
        edits = billing_mode.remediate(resource, config)
        if edits is None:
            return violations
        fixed = apply_edits(resource.props, edits)
        after = billing_mode.check(Resource(resource.type, resource.name, resource.urn, fixed), config)
        return violations + [f"still violates after remediation: {v.message}" for v in after]

    assert junk_failures(billing_mode, judge) == []


def test_a_table_replica_is_judged_on_its_table_not_on_its_own() -> None:
    # aws.dynamodb.TableReplica has no billingMode: its capacity follows the table it replicates.
    replica = Resource(
        type="aws:dynamodb/tableReplica:TableReplica",
        name="events-eu",
        urn="urn:pulumi:dev::p::aws:dynamodb/tableReplica:TableReplica::events-eu",
        props={"globalTableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/events"},
    )
    assert billing_mode.check(replica, CONFIG) == []


def test_remediation_leaves_exempt_tables_and_templates_without_tables_alone() -> None:
    exempt = {**CONFIG, "exemptResources": ["events"]}
    assert billing_mode.remediate(table(billingMode="PROVISIONED"), exempt) is None
    empty = Resource(
        type="aws:cloudformation/stack:Stack",
        name="cfn",
        urn="urn:pulumi:dev::p::aws:cloudformation/stack:Stack::cfn",
        props={"templateBody": '{"Resources": {}}'},
    )
    assert billing_mode.remediate(empty, CONFIG) is None
