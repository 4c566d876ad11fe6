"""dynamodb-on-demand-billing: DynamoDB tables use on-demand (PAY_PER_REQUEST) capacity.

## What it checks
Every DynamoDB table has `billingMode` set to `PAY_PER_REQUEST`, whatever declares it: an
`aws:dynamodb/table:Table`, an `aws-native:dynamodb:Table` or `aws-native:dynamodb:GlobalTable`, or
an `AWS::DynamoDB::Table` / `AWS::DynamoDB::GlobalTable` in the template of an
`aws:cloudformation/stack:Stack` or `aws-native:cloudformation:Stack` (reported on the stack, naming
the template's logical id). An absent or null `billingMode` is `PROVISIONED`, the default of both
providers and of CloudFormation, and is reported as such. A value that is not a billing mode is
reported without being echoed: it may be free text.

## Why
Provisioned capacity is sized by hand: too little throttles the application under a spike, too
much is paid for while the table is idle. An on-demand table follows its traffic and costs
nothing at rest, which makes it the organisation's default for DynamoDB.

## Example
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PROVISIONED",
    read_capacity=5,
    write_capacity=5,
)
```

## Use instead
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
)
```
At the `remediate` level the pack makes this change itself: it sets `PAY_PER_REQUEST` and drops
`readCapacity`/`writeCapacity` (an aws-native table's `provisionedThroughput`) from the table and
its global secondary indexes, as edits: every other property goes back exactly as it came (secrets
stay secret). A GlobalTable's nested capacity settings and a template are reported, not rewritten.

## During preview
A `billingMode` computed from another resource's output is unknown in a preview and is not
judged; the update judges it once it is known. While an index list, or an index in it, is unknown
its capacities cannot be dropped, so the remediation declines and the check reports the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..edits import PropertyEdit
from ..exemptions import exemption_schema, is_exempt_view
from ..model import UNKNOWN, PolicyMeta, Resource, Violation
from ..readers import table_views
from ..resource_types import (
    CLOUDFORMATION_HOSTS,
    DYNAMODB_TABLE,
    NATIVE_DYNAMODB_GLOBAL_TABLE,
    NATIVE_DYNAMODB_TABLE,
)
from ..rule import ResourceRule
from ..values import as_str, is_list
from ..views.tables import TableView

ON_DEMAND = "PAY_PER_REQUEST"
# Inputs that only make sense for PROVISIONED capacity, per table type; remediation drops them.
_PROVISIONED_ONLY = {
    DYNAMODB_TABLE: ("readCapacity", "writeCapacity"),
    NATIVE_DYNAMODB_TABLE: ("provisionedThroughput",),
}
_KNOWN_MODES = ("PAY_PER_REQUEST", "PROVISIONED")

META = PolicyMeta(
    name="dynamodb-on-demand-billing",
    description="DynamoDB tables must use on-demand capacity (billingMode PAY_PER_REQUEST).",
    severity="medium",
    enforcement_level="mandatory",
    remediation_steps=(
        "Set billingMode to PAY_PER_REQUEST and remove readCapacity/writeCapacity from the table "
        "and its global secondary indexes. To exempt a table, add it with a reason to the policy's "
        "`exemptions` config."
    ),
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html",
    config_schema={
        **exemption_schema("tables allowed to use provisioned capacity"),
    },
    resource_types=frozenset({DYNAMODB_TABLE, NATIVE_DYNAMODB_TABLE, NATIVE_DYNAMODB_GLOBAL_TABLE})
    | CLOUDFORMATION_HOSTS,
    tags=("cost", "dynamodb"),
)


def _table_violation(table: TableView) -> Violation | None:
    mode = table.billing()
    if mode is UNKNOWN:
        return None  # decided by another resource's output: judged on the update, not now
    if as_str(mode) == ON_DEMAND:
        return None
    spelling = table.spelling
    if mode is None:
        shown = "is not set, so the default PROVISIONED applies"
    elif as_str(mode) in _KNOWN_MODES:
        shown = f"is '{mode}'"
    else:
        # Free text is never echoed: it may be a secret or junk.
        shown = "has a value that is not a billing mode"
    return Violation(
        f"{table.label}: {spelling.billing} {shown}. Set {spelling.billing} to '{ON_DEMAND}' "
        f"(and drop {spelling.capacity}), or exempt the table in the policy config."
    )


def _tables(resource: Resource, config: Mapping[str, Any]) -> list[TableView]:
    return [
        t
        for t in table_views(resource)
        if t.kind != "table-replica" and not is_exempt_view(t.exempt_keys, config)
    ]


def check(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    return [v for table in _tables(resource, config) if (v := _table_violation(table)) is not None]


def remediate(resource: Resource, config: Mapping[str, Any]) -> list[PropertyEdit] | None:
    """The edits that switch the table to on-demand; None when nothing needs to change, or when the
    change cannot be made completely (an unknown index, a GlobalTable, a template)."""
    drop = _PROVISIONED_ONLY.get(resource.type)
    tables = _tables(resource, config)
    if drop is None or len(tables) != 1 or not tables[0].remediable or _table_violation(tables[0]) is None:
        return None
    props = resource.props
    raw_indexes: Any = props.get("globalSecondaryIndexes")
    if raw_indexes is UNKNOWN:
        return None
    indexes: list[Any] = list(raw_indexes) if is_list(raw_indexes) else []
    if any(index is UNKNOWN for index in indexes):
        return None
    edits = [PropertyEdit(("billingMode",), ON_DEMAND)]
    edits += [PropertyEdit((key,), remove=True) for key in drop if key in props]
    for position, index in enumerate(indexes):
        if isinstance(index, Mapping):
            edits += [
                PropertyEdit(("globalSecondaryIndexes", position, key), remove=True)
                for key in drop
                if key in index
            ]
    return edits


RULE = ResourceRule(meta=META, check=check, remediate=remediate, doc=__doc__)
