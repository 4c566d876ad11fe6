"""dynamodb-encryption-key-level: key levels of tables and replicas, allow-list, unknowns, junk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults, resolve_config
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.readers.aws_classic import _table_key
from dynamodb_guardrails.rules import encryption
from dynamodb_guardrails.views.tables import KeyChoice
from tests.policies.strategies import junk_trees
from tests.policies.strategies_schema import junk_configs, junk_failures, junk_resources, secret_free
from tests.policies.strategies_tags import resolve_unknowns

SCHEMA = encryption.META.config_schema
CONFIG = defaults(SCHEMA)
LEVELS = encryption.KEY_LEVELS
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"
REPLICA_KEY = "arn:aws:kms:us-east-1:123456789012:key/9999aaaa-22bb-33cc-44dd-555555eeeeee"
TABLE = "aws:dynamodb/table:Table"
TABLE_REPLICA = "aws:dynamodb/tableReplica:TableReplica"


def table(**props: Any) -> Resource:
    return Resource(type=TABLE, name="events", urn=f"urn:pulumi:dev::p::{TABLE}::events", props=props)


def table_replica(**props: Any) -> Resource:
    return Resource(
        type=TABLE_REPLICA,
        name="events-us",
        urn=f"urn:pulumi:dev::p::{TABLE_REPLICA}::events-us",
        props=props,
    )


def config(**overrides: Any) -> dict[str, Any]:
    return resolve_config(SCHEMA, overrides)


def sse(enabled: Any = True, key: Any = None) -> dict[str, Any]:
    return {"enabled": enabled} if key is None else {"enabled": enabled, "kmsKeyArn": key}


# cfn-lint style fixtures: (resource, config, number of violations).
GOOD = [
    pytest.param(table(serverSideEncryption=sse()), config(), id="aws-managed meets the default"),
    pytest.param(table(serverSideEncryption=sse(key=KEY)), config(), id="customer-managed beats the default"),
    pytest.param(table(), config(minimumKeyLevel="aws-owned"), id="aws-owned allowed when configured"),
    pytest.param(
        table(
            serverSideEncryption=sse(key=KEY),
            replicas=[{"regionName": "us-east-1", "kmsKeyArn": REPLICA_KEY}],
        ),
        config(minimumKeyLevel="customer-managed", allowedKmsKeyArns=[KEY, REPLICA_KEY]),
        id="customer-managed table and replica with allowed keys",
    ),
    pytest.param(
        table(serverSideEncryption=sse(key=KEY)),
        config(allowedKmsKeyArns=["arn:aws:kms:*:123456789012:key/*"]),
        id="allow-list pattern",
    ),
    pytest.param(
        table(serverSideEncryption=sse(), replicas=[{"regionName": "us-east-1"}]),
        config(),
        id="replica inherits aws-managed",
    ),
    pytest.param(
        table_replica(globalTableArn="arn"), config(), id="keyless TableReplica judged on its table"
    ),
    pytest.param(
        table_replica(kmsKeyArn=REPLICA_KEY),
        config(minimumKeyLevel="customer-managed"),
        id="TableReplica CMK",
    ),
    pytest.param(table(serverSideEncryption=sse(enabled="true")), config(), id="enabled as a string"),
    pytest.param(
        Resource(type="aws:s3/bucket:Bucket", name="b", urn="u", props={}), config(), id="other types ignored"
    ),
]
BAD = [
    pytest.param(table(), config(), 1, id="no SSE block is aws-owned"),
    pytest.param(table(serverSideEncryption=sse(enabled=False)), config(), 1, id="SSE disabled is aws-owned"),
    pytest.param(
        table(serverSideEncryption=sse(enabled=False, key=KEY)),
        config(),
        1,
        id="disabled SSE ignores the key",
    ),
    pytest.param(
        table(serverSideEncryption=sse()), config(minimumKeyLevel="customer-managed"), 1, id="needs a CMK"
    ),
    pytest.param(
        table(serverSideEncryption=sse(key="")), config(minimumKeyLevel="customer-managed"), 1, id="empty key"
    ),
    pytest.param(
        table(
            serverSideEncryption=sse(key=KEY),
            replicas=[{"regionName": "us-east-1"}, {"kmsKeyArn": REPLICA_KEY}],
        ),
        config(minimumKeyLevel="customer-managed"),
        1,
        id="CMK table with a keyless replica",
    ),
    pytest.param(
        table(
            serverSideEncryption=sse(key=KEY),
            replicas=[{"regionName": "us-east-1", "kmsKeyArn": REPLICA_KEY}],
        ),
        config(allowedKmsKeyArns=[KEY]),
        1,
        id="replica key not allowed",
    ),
    pytest.param(
        table(serverSideEncryption=sse(key=KEY)), config(allowedKmsKeyArns=[REPLICA_KEY]), 1, id="table key"
    ),
    pytest.param(
        table_replica(), config(minimumKeyLevel="customer-managed"), 1, id="keyless TableReplica, CMK"
    ),
    pytest.param(
        table_replica(kmsKeyArn=REPLICA_KEY),
        config(allowedKmsKeyArns=[KEY]),
        1,
        id="TableReplica key not allowed",
    ),
]


@pytest.mark.parametrize(("resource", "cfg"), GOOD)
def test_good_fixtures_pass(resource: Resource, cfg: dict[str, Any]) -> None:
    assert encryption.check(resource, cfg) == []


@pytest.mark.parametrize(("resource", "cfg", "count"), BAD)
def test_bad_fixtures_are_caught(resource: Resource, cfg: dict[str, Any], count: int) -> None:
    violations = encryption.check(resource, cfg)
    assert len(violations) == count
    assert all(resource.name in v.message for v in violations)


INHERIT = "Replicas without their own key inherit the table's encryption type."
OWNED = "an AWS-owned key (aws-owned)"
MANAGED = "the AWS-managed key aws/dynamodb (aws-managed)"
CMK = "a customer-managed KMS key (customer-managed)"
FIX_MANAGED = (
    "Set serverSideEncryption.enabled to true (optionally with serverSideEncryption.kmsKeyArn of a "
    "customer-managed key)."
)
FIX_CMK = (
    "Set serverSideEncryption.enabled to true and serverSideEncryption.kmsKeyArn to the ARN of a "
    "customer-managed KMS key."
)
NOT_ALLOWED = (
    "which is not in the policy's allowedKmsKeyArns. Use one of the allowed keys or add the key to "
    "allowedKmsKeyArns."
)
KEYLESS_REPLICA = (
    "names no key (replicas[].kmsKeyArn), so it cannot use a customer-managed KMS key (customer-managed) as "
    "the policy requires (AWS also rejects replicas of a customer-managed table without a key). Set its key "
    "to a customer-managed key in its region."
)


@pytest.mark.parametrize(
    ("resource", "cfg", "message"),
    [
        pytest.param(
            table(),
            config(),
            f"Table 'events' is encrypted with {OWNED}; the policy requires at least {MANAGED}. "
            f"{FIX_MANAGED} {INHERIT}",
            id="aws-owned below aws-managed",
        ),
        pytest.param(
            table(serverSideEncryption=sse()),
            config(minimumKeyLevel="customer-managed"),
            f"Table 'events' is encrypted with {MANAGED}; the policy requires at least {CMK}. "
            f"{FIX_CMK} {INHERIT}",
            id="aws-managed below customer-managed",
        ),
        pytest.param(
            table(serverSideEncryption=sse(enabled="false", key=KEY)),
            config(minimumKeyLevel="customer-managed"),
            f"Table 'events' is encrypted with {OWNED}; the policy requires at least {CMK}. "
            f"{FIX_CMK} {INHERIT}",
            id="aws-owned below customer-managed",
        ),
        pytest.param(
            table(serverSideEncryption=sse(key=f" {KEY} ")),
            config(allowedKmsKeyArns=[REPLICA_KEY]),
            f"Table 'events' uses KMS key '{KEY}', {NOT_ALLOWED}",
            id="table key not allowed, shown trimmed",
        ),
        pytest.param(
            table(serverSideEncryption=sse(key="s3cr3t not an arn")),
            config(allowedKmsKeyArns=[REPLICA_KEY]),
            f"Table 'events' uses KMS key its kmsKeyArn, {NOT_ALLOWED}",
            id="free text key not shown",
        ),
        pytest.param(
            table_replica(),
            config(minimumKeyLevel="customer-managed"),
            f"Table replica 'events-us' has no customer-managed kmsKeyArn, so it uses at most {MANAGED}; "
            f"the policy requires {CMK}. Set kmsKeyArn to a customer-managed KMS key in the replica's "
            "region.",
            id="keyless TableReplica",
        ),
        pytest.param(
            table_replica(kmsKeyArn=KEY),
            config(allowedKmsKeyArns=[REPLICA_KEY]),
            f"Table replica 'events-us' uses KMS key '{KEY}', {NOT_ALLOWED}",
            id="TableReplica key not allowed",
        ),
    ],
)
def test_messages_say_what_was_found_what_is_required_and_the_fix(
    resource: Resource, cfg: dict[str, Any], message: str
) -> None:
    assert [v.message for v in encryption.check(resource, cfg)] == [message]


def test_every_replica_is_judged_whatever_comes_before_it() -> None:
    # A junk entry, a keyless replica, a replica with an unknown region, one with a key not allowed.
    resource = table(
        serverSideEncryption=sse(key=KEY),
        replicas=[
            "junk",
            UNKNOWN,
            {"regionName": "us-east-1"},
            {"regionName": "x y", "kmsKeyArn": "s3cr3t not an arn"},
            {"regionName": UNKNOWN, "kmsKeyArn": REPLICA_KEY},
        ],
    )
    messages = [
        v.message
        for v in encryption.check(
            resource, config(minimumKeyLevel="customer-managed", allowedKmsKeyArns=[KEY])
        )
    ]
    assert messages == [
        f"Table 'events': replica in us-east-1 {KEYLESS_REPLICA}",
        f"Table 'events': replica #4 uses KMS key its kmsKeyArn, {NOT_ALLOWED}",
        f"Table 'events': replica #5 uses KMS key '{REPLICA_KEY}', {NOT_ALLOWED}",
    ]


def test_replicas_without_an_unknown_or_list_value_are_not_judged() -> None:
    strict = config(minimumKeyLevel="customer-managed")
    for replicas in (UNKNOWN, None, "junk", 3):
        assert encryption.check(table(serverSideEncryption=sse(key=KEY), replicas=replicas), strict) == []


@pytest.mark.parametrize(
    ("sse_value", "expected"),
    [
        (None, KeyChoice("aws-owned")),
        ({"enabled": "no"}, KeyChoice("aws-owned")),
        ({"enabled": True}, KeyChoice("aws-managed")),
        ({"enabled": True, "kmsKeyArn": "  "}, KeyChoice("aws-managed")),
        ({"enabled": "TRUE", "kmsKeyArn": KEY}, KeyChoice("customer-managed", KEY)),
        # Not known yet: a customer-managed key whose ARN is not known (never "no key").
        ({"enabled": True, "kmsKeyArn": UNKNOWN}, KeyChoice("customer-managed", UNKNOWN)),
        (UNKNOWN, None),
        ({"enabled": UNKNOWN, "kmsKeyArn": KEY}, None),
    ],
)
def test_table_key_level(sse_value: Any, expected: KeyChoice | None) -> None:
    assert _table_key({"serverSideEncryption": sse_value}) == expected


def test_message_names_found_and_required_level_and_fix() -> None:
    [violation] = encryption.check(table(serverSideEncryption=sse(enabled=False)), CONFIG)
    assert "aws-owned" in violation.message and "aws-managed" in violation.message
    assert "serverSideEncryption.enabled" in violation.message


def test_customer_managed_fix_names_the_key_property() -> None:
    [violation] = encryption.check(
        table(serverSideEncryption=sse()), config(minimumKeyLevel="customer-managed")
    )
    assert "aws-managed" in violation.message and "customer-managed" in violation.message
    assert "kmsKeyArn" in violation.message


def test_keyless_replica_is_named_by_region() -> None:
    resource = table(serverSideEncryption=sse(key=KEY), replicas=[{"regionName": "us-east-1"}])
    [violation] = encryption.check(resource, config(minimumKeyLevel="customer-managed"))
    assert "replica in us-east-1" in violation.message and "kmsKeyArn" in violation.message


def test_disallowed_arn_is_shown_but_free_text_never_is() -> None:
    [shown] = encryption.check(
        table(serverSideEncryption=sse(key=KEY)), config(allowedKmsKeyArns=[REPLICA_KEY])
    )
    assert KEY in shown.message
    [hidden] = encryption.check(
        table(serverSideEncryption=sse(key="s3cr3t-not-an-arn")), config(allowedKmsKeyArns=[REPLICA_KEY])
    )
    assert "s3cr3t" not in hidden.message


def test_unknown_key_arn_counts_as_customer_managed_and_is_not_checked_against_the_allow_list() -> None:
    strict = config(minimumKeyLevel="customer-managed", allowedKmsKeyArns=[KEY])
    resource = table(serverSideEncryption=sse(key=UNKNOWN), replicas=[{"kmsKeyArn": UNKNOWN}])
    assert encryption.check(resource, strict) == []
    assert encryption.check(table_replica(kmsKeyArn=UNKNOWN), strict) == []


@pytest.mark.parametrize("props", [{"serverSideEncryption": UNKNOWN}, {"serverSideEncryption": sse(UNKNOWN)}])
def test_unknown_encryption_is_not_judged_during_preview(props: dict[str, Any]) -> None:
    resource = table(**props, replicas=[{"regionName": "us-east-1"}, UNKNOWN])
    assert encryption.check(resource, config(minimumKeyLevel="customer-managed")) == []


def test_exempt_table_and_unknown_level_config_falls_back_to_default() -> None:
    assert encryption.check(table(), config(exemptResources=["events"])) == []
    assert len(encryption.check(table(), {**CONFIG, "minimumKeyLevel": "bogus"})) == 1


sse_trees = st.fixed_dictionaries(
    {},
    optional={
        "enabled": st.sampled_from([True, False, "true", None, UNKNOWN, 1]),
        "kmsKeyArn": st.sampled_from([KEY, REPLICA_KEY, "", None, UNKNOWN, "junk"]),
    },
)
replica_entries = st.one_of(
    st.just(UNKNOWN),
    st.fixed_dictionaries(
        {},
        optional={
            "regionName": st.sampled_from(["us-east-1", UNKNOWN, "x y"]),
            "kmsKeyArn": st.sampled_from([REPLICA_KEY, KEY, "", UNKNOWN]),
        },
    ),
)
tables = st.builds(
    lambda s, r: table(serverSideEncryption=s, replicas=r),
    st.one_of(sse_trees, st.just(UNKNOWN), junk_trees),
    st.one_of(st.lists(replica_entries, max_size=3), st.just(UNKNOWN)),
)
configs = st.builds(
    config,
    minimumKeyLevel=st.sampled_from(LEVELS),
    allowedKmsKeyArns=st.sampled_from([[], [KEY], [KEY, REPLICA_KEY], ["arn:aws:kms:us-*"]]),
)


@given(junk_trees, st.sampled_from([TABLE, TABLE_REPLICA]), st.one_of(configs, junk_trees))
def test_never_raises_on_junk(props: Any, kind: str, cfg: Any) -> None:
    resource = Resource(type=kind, name="t", urn="u", props=props if isinstance(props, dict) else {})
    encryption.check(resource, cfg if isinstance(cfg, dict) else CONFIG)


@given(tables, st.data())
def test_unknowns_never_add_violations(resource: Resource, data: st.DataObject) -> None:
    """Every resolution of the unknowns has at least the violations found while they were unknown."""
    cfg = data.draw(configs)
    resolved = Resource(
        resource.type, resource.name, resource.urn, resolve_unknowns(dict(resource.props), data.draw)
    )
    assert len(encryption.check(resource, cfg)) <= len(encryption.check(resolved, cfg))


@given(tables, st.sampled_from(LEVELS), st.sampled_from(LEVELS))
def test_raising_the_required_level_never_makes_a_table_compliant(
    resource: Resource, low: str, high: str
) -> None:
    low, high = sorted((low, high), key=LEVELS.index)
    weaker = encryption.check(resource, config(minimumKeyLevel=low))
    stronger = encryption.check(resource, config(minimumKeyLevel=high))
    assert len(stronger) >= len(weaker)


@given(tables)
def test_aws_owned_minimum_without_allow_list_accepts_everything(resource: Resource) -> None:
    assert encryption.check(resource, config(minimumKeyLevel="aws-owned")) == []


@given(junk_resources(encryption, name="events"), junk_configs(encryption))
def test_schema_junk_never_raises_nor_echoes_values(resource: Resource, cfg: dict[str, Any]) -> None:
    violations = encryption.check(resource, cfg)
    assert secret_free([v.message for v in violations])
    # Each names the resource: a table, replica or global table, or a table in the stack's template.
    named = ("Table 'events'", "Table replica 'events'", "Global table 'events'")
    in_stack = "in the template of CloudFormation stack 'events'"
    assert all(v.message.startswith(named) or in_stack in v.message for v in violations)


def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        return [v.message for v in encryption.check(resource, config)]

    assert junk_failures(encryption, judge) == []


REPLICA_MANAGED = (
    "replica in us-east-1 is encrypted with the AWS-managed key aws/dynamodb (aws-managed); the policy "
    "requires at least a customer-managed KMS key (customer-managed). Set replicas[].kmsKeyArn to a "
    "customer-managed KMS key in its region."
)
MANAGED_IN_US = "arn:aws:kms:us-east-1:123456789012:alias/aws/dynamodb"


@pytest.mark.parametrize(
    "table_sse",
    [pytest.param(sse(key=KEY), id="customer-managed table"), pytest.param(UNKNOWN, id="table key unknown")],
)
def test_a_replica_with_a_weaker_key_of_its_own_is_reported_in_full(table_sse: Any) -> None:
    resource = table(
        serverSideEncryption=table_sse, replicas=[{"regionName": "us-east-1", "kmsKeyArn": MANAGED_IN_US}]
    )
    messages = [v.message for v in encryption.check(resource, config(minimumKeyLevel="customer-managed"))]
    assert messages == [f"Table 'events': {REPLICA_MANAGED}"]
    assert encryption.check(resource, config(minimumKeyLevel="aws-managed")) == []


def test_a_weak_replica_of_a_weak_table_is_told_once_on_the_table() -> None:
    # The table's message already says replicas inherit: a second one for the replica adds nothing.
    resource = table(
        serverSideEncryption=sse(enabled=False),
        replicas=[{"regionName": "us-east-1", "kmsKeyArn": MANAGED_IN_US}],
    )
    [violation] = encryption.check(resource, config(minimumKeyLevel="customer-managed"))
    assert violation.message.startswith("Table 'events' is encrypted with an AWS-owned key")


def test_every_table_of_a_template_is_judged_after_an_exempt_one() -> None:
    from tests.policies.roads import cfn_table, stack, template

    host = stack(template(A=cfn_table(), B=cfn_table(), C=cfn_table()))
    required = config(minimumKeyLevel="customer-managed")
    assert [v.message.split(" (")[0] for v in encryption.check(host, required)] == [
        "Table 'A'",
        "Table 'B'",
        "Table 'C'",
    ]
    exempt_a = config(minimumKeyLevel="customer-managed", exemptResources=["cfn/A"])
    assert [v.message.split(" (")[0] for v in encryption.check(host, exempt_a)] == ["Table 'B'", "Table 'C'"]
