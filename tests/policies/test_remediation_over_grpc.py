"""Remediation as the CLI runs it (Remediate over gRPC, in a preview and in an update): the on-demand
remediation changes only what it fixes and hands every other value back exactly as it came, secrets
still secret and unknowns still unknown; when it cannot produce complete properties it declines and
the mandatory check reports the table. It never fails the call."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from dynamodb_guardrails.rules import billing_mode
from policy_preview.analyzer.client import AnalyzerClient, StackSettings, running_pack
from policy_preview.analyzer.pack_config import reconcile_pack_config
from policy_preview.model import UNKNOWN_WIRE, ResourceRecord
from policy_preview.wire import secret
from tests.preview.engine_helpers import OUR_PACK

BILLING = billing_mode.META.name
TABLE = "aws:dynamodb/table:Table"
URN = f"urn:pulumi:dev::p::{TABLE}::events"


@pytest.fixture(scope="module", params=["preview", "update"])
def pack(request: pytest.FixtureRequest) -> Iterator[AnalyzerClient]:
    settings = StackSettings(project="p", stack="dev", dry_run=request.param == "preview")
    with running_pack(OUR_PACK, settings=settings) as client:
        assert client.info is not None
        client.configure(reconcile_pack_config(client.info, {BILLING: "remediate"}))
        yield client


def table(**inputs: Any) -> ResourceRecord:
    return ResourceRecord(urn=URN, type=TABLE, name="events", custom=True, inputs=inputs)


def remediated(pack: AnalyzerClient, record: ResourceRecord) -> dict[str, Any] | None:
    result = pack.remediate(record)
    fixes = [r for r in result.remediations if r.policy == BILLING]
    assert all(not f.diagnostic for f in fixes), fixes
    if not fixes:
        return None
    [fix] = fixes
    assert fix.properties is not None
    return dict(fix.properties)


def billing_levels(
    pack: AnalyzerClient, record: ResourceRecord, props: dict[str, Any] | None = None
) -> list[str]:
    return [f.level for f in pack.analyze(record, properties=props).findings if f.policy == BILLING]


PROVISIONED = {
    "name": secret("events-dev"),  # a secret at the top level
    "hashKey": "eventId",
    "billingMode": "PROVISIONED",
    "readCapacity": 5,
    "writeCapacity": 5,
    "tableClass": UNKNOWN_WIRE,  # an unknown at the top level
    "tags": {"Team": secret("payments"), "CostCenter": UNKNOWN_WIRE, "Environment": "dev"},
    "globalSecondaryIndexes": [
        {
            "name": "by-user",
            "hashKey": UNKNOWN_WIRE,  # an unknown inside a GSI
            "projectionType": "ALL",
            "readCapacity": 2,
            "writeCapacity": secret(3),  # a secret the fix removes
            "nonKeyAttributes": [secret("email")],
        }
    ],
    "__defaults": ["tableClass"],  # internal keys travel with Remediate and must come back
}


def test_only_what_is_fixed_changes_and_secrets_and_unknowns_come_back_as_they_were(
    pack: AnalyzerClient,
) -> None:
    record = table(**copy.deepcopy(PROVISIONED))
    props = remediated(pack, record)
    expected = copy.deepcopy(PROVISIONED)
    expected["billingMode"] = "PAY_PER_REQUEST"
    del expected["readCapacity"], expected["writeCapacity"]
    for gsi in expected["globalSecondaryIndexes"]:
        del gsi["readCapacity"], gsi["writeCapacity"]
    assert props == expected
    # The engine re-runs Analyze on the remediated inputs: nothing left to report.
    assert billing_levels(pack, record, props) == []


def test_a_secret_billing_mode_stays_secret_when_it_is_fixed(pack: AnalyzerClient) -> None:
    props = remediated(pack, table(hashKey="id", billingMode=secret("PROVISIONED"), readCapacity=1))
    assert props == {"hashKey": "id", "billingMode": secret("PAY_PER_REQUEST")}


def test_a_secret_index_list_is_fixed_inside_and_stays_secret(pack: AnalyzerClient) -> None:
    gsi = {"name": "i", "hashKey": "k", "projectionType": "ALL", "readCapacity": 1, "writeCapacity": 1}
    props = remediated(
        pack, table(hashKey="id", billingMode="PROVISIONED", globalSecondaryIndexes=secret([gsi]))
    )
    assert props is not None
    assert props["globalSecondaryIndexes"] == secret([{"name": "i", "hashKey": "k", "projectionType": "ALL"}])


@pytest.mark.parametrize(
    "indexes",
    [UNKNOWN_WIRE, [UNKNOWN_WIRE], [{"name": "a", "readCapacity": 1}, UNKNOWN_WIRE], secret(UNKNOWN_WIRE)],
    ids=["unknown list", "unknown index", "one unknown index", "secret unknown list"],
)
def test_it_declines_when_an_index_it_must_rewrite_is_unknown_and_the_check_reports_the_table(
    pack: AnalyzerClient, indexes: Any
) -> None:
    record = table(hashKey="id", billingMode="PROVISIONED", globalSecondaryIndexes=indexes)
    assert remediated(pack, record) is None
    assert billing_levels(pack, record) == ["mandatory"]


def test_an_unknown_billing_mode_is_left_alone(pack: AnalyzerClient) -> None:
    record = table(hashKey="id", billingMode=UNKNOWN_WIRE, readCapacity=5)
    assert remediated(pack, record) is None
    assert billing_levels(pack, record) == []


@pytest.mark.parametrize(
    "odd",
    [
        {"globalSecondaryIndexes": "junk"},
        {"globalSecondaryIndexes": [None, 3, "x", {"readCapacity": {"nested": [secret(1)]}}]},
        {"readCapacity": secret(UNKNOWN_WIRE), "tags": secret({"a": UNKNOWN_WIRE})},
        {"billingMode": secret(None)},
    ],
    ids=["junk indexes", "odd index entries", "secret unknowns", "secret null mode"],
)
def test_odd_inputs_never_fail_the_call_and_keep_what_is_not_fixed(
    pack: AnalyzerClient, odd: dict[str, Any]
) -> None:
    inputs = {"hashKey": "id", "billingMode": "PROVISIONED", "tags": {"k": secret("v")}, **odd}
    props = remediated(pack, table(**copy.deepcopy(inputs)))
    assert props is not None and props["billingMode"] in ("PAY_PER_REQUEST", secret("PAY_PER_REQUEST"))
    untouched = {k: v for k, v in inputs.items() if k not in ("billingMode", "readCapacity", "writeCapacity")}
    if isinstance(inputs.get("globalSecondaryIndexes"), list):
        untouched.pop("globalSecondaryIndexes")
    assert {k: props[k] for k in untouched} == untouched
