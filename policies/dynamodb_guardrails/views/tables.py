"""The table view: what the rules need to know about one DynamoDB table, whatever declared it.

Readers (dynamodb_guardrails.readers) build it from an `aws` Table or TableReplica, an `aws-native`
Table or GlobalTable, or a table inside an embedded CloudFormation template. Values keep the
pack's conventions: `UNKNOWN` while Pulumi cannot know them yet, None when absent.

Key levels, weakest first (DynamoDB always encrypts at rest; what varies is who controls the key):
- `aws-owned`: AWS owns the key, no audit trail;
- `aws-managed`: the account's `aws/dynamodb` key;
- `customer-managed`: a KMS key the organisation controls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model import UNKNOWN, Resource
from .location import Location
from .tags import EffectiveTags

AWS_OWNED = "aws-owned"
AWS_MANAGED = "aws-managed"
CUSTOMER_MANAGED = "customer-managed"
KEY_LEVELS = (AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED)

# The AWS-managed DynamoDB key named by alias, as DynamoDB accepts it in kmsKeyArn / KMSMasterKeyId:
# `alias/aws/dynamodb` or its alias ARN `arn:aws:kms:<region>:<account>:alias/aws/dynamodb`.
_AWS_MANAGED_ALIAS = re.compile(r"(arn:aws[a-z-]*:kms:[a-z0-9-]*:\d{12}:)?alias/aws/dynamodb")


# Plain dataclasses: views are built for every resource of a stack, and frozen ones cost ~7x to
# build (slots ones are built twice at import); nothing writes to one after its reader made it.
@dataclass
class KeyChoice:
    """The key level a table or replica ends up with, and the key it names when it names one.

    `key` is UNKNOWN when a named key is not known yet (preview): it then counts as
    customer-managed, the level a program names a key for.
    """

    level: str
    key: Any = None


def named_key(value: Any) -> KeyChoice | None:
    """The level of an explicitly named key, or None when `value` names no key."""
    if value is UNKNOWN:
        return KeyChoice(CUSTOMER_MANAGED, UNKNOWN)
    if isinstance(value, str) and value.strip():
        key = value.strip()
        if _AWS_MANAGED_ALIAS.fullmatch(key):
            return KeyChoice(AWS_MANAGED, key)
        return KeyChoice(CUSTOMER_MANAGED, key)
    return None


TableKind = Literal["table", "global-table", "table-replica"]


@dataclass(frozen=True)
class Spelling:
    """How the resource form spells what a fix must change, for messages."""

    billing: str  # the billing-mode property
    capacity: str  # what only provisioned capacity uses (dropped when switching to on-demand)
    enable_sse: str  # how to turn on the AWS-managed key
    table_key: str  # where the table names a customer-managed key
    replica_key: str  # where a replica names its own key


@dataclass
class ReplicaView:
    """One replica of a table. `key` is its own key when it names one; None: it inherits the
    table's encryption type (with its region's aws/dynamodb key at most)."""

    label: str
    region: str | None = None
    key: KeyChoice | None = None


@dataclass
class TableView:
    """One DynamoDB table (or a stand-alone replica resource) as the rules see it.

    Fields are what every rule needs; the methods read the rest from `props` when a rule asks (a
    stack policy reads every table of a stack and needs only where it lives), each reader
    subclassing this with its form's semantics:

    - `source`: the resource findings are reported on (for a table inside a CloudFormation
      template, the stack that carries the template); `label` names the table in messages;
    - `props`: the wire properties the table is read from;
    - `name`: physical table name (str, UNKNOWN, or None when left to auto-naming);
    - `regions`: every region the table has data in (its own and its replicas'), None if unknown;
    - `match_urns`: URNs an alarm that depends on the table depends on;
    - `exempt_keys`: names under which `exemptResources` may list it;
    - `billing()`: the billing mode as given (None: absent, which both providers read as
      PROVISIONED); `key()`: the table's key level, None while it is unknown; `replicas()`;
      `tags()`: its own tags (None while unknown; readers/tags.py has every resource's, which
      required-tags reads).
    """

    source: Resource
    label: str
    kind: TableKind
    spelling: Spelling
    props: Mapping[str, Any] = field(default_factory=dict)
    name: Any = None
    location: Location = field(default_factory=Location)
    regions: frozenset[str] | None = None
    match_urns: tuple[str, ...] = ()
    exempt_keys: tuple[str, ...] = ()
    remediable: bool = False

    def billing(self) -> Any:
        return self.props.get("billingMode")

    def key(self) -> KeyChoice | None:
        return None

    def replicas(self) -> tuple[ReplicaView, ...]:
        return ()

    def tags(self) -> EffectiveTags | None:
        return None
