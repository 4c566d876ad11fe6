"""Tables as data: what a DynamoDB table of this stack looks like, independent of Pulumi.

A new table is one more `TableSpec`; the component turns each spec into a table, its alarms and
its read/write roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

AttributeType = Literal["S", "N", "B"]
ProjectionType = Literal["ALL", "KEYS_ONLY", "INCLUDE"]
StreamViewType = Literal["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]

# The table key is part of IAM role, alarm and SNS-style names, so it keeps to the characters
# every one of those allows.
_TABLE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Attribute:
    """A key attribute: DynamoDB only declares attributes used by the table's or an index's keys."""

    name: str
    type: AttributeType


@dataclass(frozen=True)
class GlobalSecondaryIndex:
    name: str
    hash_key: str
    range_key: str | None = None
    projection_type: ProjectionType = "ALL"
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One table. `key` names the table inside the stack (resource names, roles, alarms, config);
    the physical name is `<key>-<env>` unless `physical_name` overrides it."""

    key: str
    hash_key: str
    attributes: tuple[Attribute, ...]
    range_key: str | None = None
    global_secondary_indexes: tuple[GlobalSecondaryIndex, ...] = ()
    stream_view_type: StreamViewType | None = None
    point_in_time_recovery: bool = False
    contributor_insights: bool = False
    physical_name: str | None = None

    def __post_init__(self) -> None:
        # A spec is code, not user input: a broken one is a programming error, caught at import.
        if not _TABLE_KEY.match(self.key):
            raise ValueError(f"table key {self.key!r} must be 1-64 characters of A-Z a-z 0-9 _ -")
        declared = {attribute.name for attribute in self.attributes}
        used = {self.hash_key, self.range_key} | {
            key for index in self.global_secondary_indexes for key in (index.hash_key, index.range_key)
        }
        used.discard(None)
        if declared != used:
            raise ValueError(
                f"table {self.key!r}: attributes {sorted(declared)} must be exactly the key attributes "
                f"{sorted(k for k in used if k)} (DynamoDB rejects undeclared and unused ones)"
            )

    @property
    def stream_enabled(self) -> bool:
        return self.stream_view_type is not None
