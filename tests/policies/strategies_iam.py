"""Hypothesis strategies for IAM documents and CloudWatch alarm sets."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from dynamodb_guardrails.dynamodb_actions import ACTIONS, READ
from dynamodb_guardrails.model import UNKNOWN

TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/events"

READ_ACTIONS = [f"dynamodb:{a.name}" for a in ACTIONS if a.category == READ and a.resource_level]
NON_READ_ACTIONS = [f"dynamodb:{a.name}" for a in ACTIONS if a.category != READ]
ALL_ACTIONS = [f"dynamodb:{a.name}" for a in ACTIONS]


def random_case(text: str) -> st.SearchStrategy[str]:
    """The same text with each letter upper- or lower-cased at random (IAM ignores case)."""
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda flips: "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
    )


read_actions = st.sampled_from(READ_ACTIONS)
non_read_actions = st.sampled_from(NON_READ_ACTIONS)
wildcard_actions = st.sampled_from(
    [
        "*",
        "dynamodb:*",
        "dynamodb:Put*",
        "dynamodb:Get*",
        "dynamodb:?etItem",
        "dynamo*:Query",
        "*:GetItem",
        "s3:*",
    ]
)
any_action = st.one_of(
    st.sampled_from(ALL_ACTIONS), wildcard_actions, st.sampled_from(["s3:GetObject", "sqs:*"])
)
resources = st.sampled_from([TABLE_ARN, f"{TABLE_ARN}/index/*", "*", "arn:aws:dynamodb:*:*:table/*"])


def statements(actions: st.SearchStrategy[str], effect: str = "Allow") -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "Effect": st.just(effect),
            "Action": st.one_of(actions, st.lists(actions, min_size=1, max_size=5)),
            "Resource": st.one_of(resources, st.lists(resources, min_size=1, max_size=3)),
        },
        optional={"Sid": st.sampled_from(["Read", "s1", "with space"])},
    )


def documents(stmts: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[Any]:
    """A document as an object or as its JSON string, with one or several statements."""
    body = st.one_of(stmts, st.lists(stmts, min_size=1, max_size=3)).map(
        lambda s: {"Version": "2012-10-17", "Statement": s}
    )
    return st.one_of(body, body.map(json.dumps))


read_only_statements = st.fixed_dictionaries(
    {
        "Effect": st.just("Allow"),
        "Action": st.lists(read_actions, min_size=1, max_size=5),
        "Resource": st.lists(st.sampled_from([TABLE_ARN, f"{TABLE_ARN}/index/*"]), min_size=1, max_size=2),
    }
)

# Junk shaped like policy documents: right keys, wrong types, unknowns.
_junk_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.just(UNKNOWN))
junk_statements = st.dictionaries(
    st.sampled_from(["Effect", "Action", "NotAction", "Resource", "NotResource", "Sid", "Condition"]),
    st.one_of(_junk_scalar, st.lists(st.one_of(_junk_scalar, any_action), max_size=3), any_action),
    max_size=6,
)
junk_documents = st.one_of(
    _junk_scalar,
    st.dictionaries(
        st.sampled_from(["Version", "Statement"]),
        st.one_of(
            _junk_scalar, junk_statements, st.lists(st.one_of(junk_statements, _junk_scalar), max_size=3)
        ),
        max_size=2,
    ),
    st.text(max_size=30).map(lambda t: '{"Statement": ' + t),
)


# --- CloudWatch alarm sets -------------------------------------------------------------------

TABLE_NAMES = ["events", "sessions", "users"]
_metric_names = st.sampled_from(
    [
        "SystemErrors",
        "ReadThrottleEvents",
        "WriteThrottleEvents",
        "ThrottledRequests",
        "UserErrors",
        "CustomThing",
    ]
)
_table_values = st.one_of(st.sampled_from(TABLE_NAMES), st.just(UNKNOWN))


@st.composite
def _dimensions(draw: st.DrawFn) -> dict[str, Any]:
    dims: dict[str, Any] = {}
    if draw(st.booleans()):
        dims["TableName"] = draw(_table_values)
    if draw(st.booleans()):
        dims["Operation"] = draw(st.sampled_from(["GetItem", "PutItem"]))
    if draw(st.integers(0, 4)) == 0:
        dims["GlobalSecondaryIndexName"] = "by-user"
    return dims


@st.composite
def alarm_props(draw: st.DrawFn) -> dict[str, Any]:
    """Alarm properties in the three shapes: plain metric, metric math, Metrics Insights."""
    namespace = draw(st.sampled_from(["AWS/DynamoDB", "AWS/DynamoDB", "AWS/Lambda"]))
    metric = draw(_metric_names)
    shape = draw(st.sampled_from(["plain", "math", "insights"]))
    actions = draw(st.sampled_from([["arn:aws:sns:us-east-1:1:t"], [], UNKNOWN]))
    if shape == "plain":
        return {
            "namespace": namespace,
            "metricName": metric,
            "dimensions": draw(_dimensions()),
            "alarmActions": actions,
        }
    if shape == "math":
        query = {
            "id": "m1",
            "metric": {"namespace": namespace, "metricName": metric, "dimensions": draw(_dimensions())},
        }
        return {
            "metricQueries": [query, {"id": "e1", "expression": "SUM(METRICS())"}],
            "alarmActions": actions,
        }
    table = draw(st.sampled_from(TABLE_NAMES))
    source = draw(st.sampled_from([f'SCHEMA("{namespace}", Operation, TableName)', f'"{namespace}"']))
    where = draw(st.sampled_from([f" WHERE TableName = '{table}'", ""]))
    return {"metricQueries": [{"id": "q", "expression": f"SELECT SUM({metric}) FROM {source}{where}"}]}
