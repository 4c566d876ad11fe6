"""The stack's tables when its args name no others: events, sessions and users."""

from __future__ import annotations

from dynamodb_stack.specs import Attribute, GlobalSecondaryIndex, TableSpec

EVENTS = TableSpec(
    key="events",
    hash_key="eventId",
    attributes=(Attribute("eventId", "S"),),
    stream_view_type="NEW_AND_OLD_IMAGES",
    contributor_insights=True,
)

SESSIONS = TableSpec(
    key="sessions",
    hash_key="sessionId",
    attributes=(Attribute("sessionId", "S"), Attribute("userId", "S"), Attribute("timestamp", "N")),
    global_secondary_indexes=(
        GlobalSecondaryIndex(
            name="userId-timestamp-index", hash_key="userId", range_key="timestamp", projection_type="ALL"
        ),
    ),
)

USERS = TableSpec(
    key="users",
    hash_key="userId",
    attributes=(Attribute("userId", "S"),),
    point_in_time_recovery=True,
)

DEFAULT_TABLES: tuple[TableSpec, ...] = (EVENTS, SESSIONS, USERS)
