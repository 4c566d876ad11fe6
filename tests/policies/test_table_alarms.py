"""dynamodb-table-alarms: alarm coverage per table, dead alarms, preview unknowns, scale."""

from __future__ import annotations

import gc
import time
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb_guardrails.config import defaults
from dynamodb_guardrails.model import UNKNOWN, Resource, Violation
from dynamodb_guardrails.rules import table_alarms
from tests.policies.strategies import junk_trees
from tests.policies.strategies_iam import TABLE_NAMES, alarm_props
from tests.policies.strategies_schema import junk_configs, junk_failures, junk_resources, secret_free

CONFIG = defaults(table_alarms.META.config_schema)
TABLE = "aws:dynamodb/table:Table"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def table(name: Any = "events", logical: str | None = None) -> Resource:
    logical = logical or f"{name if isinstance(name, str) else 'anon'}-dev"
    return Resource(
        type=TABLE, name=logical, urn=f"urn:pulumi:dev::p::{TABLE}::{logical}", props={"name": name}
    )


def alarm(logical: str, depends_on: tuple[str, ...] = (), **props: Any) -> Resource:
    return Resource(
        type=ALARM,
        name=logical,
        urn=f"urn:pulumi:dev::p::{ALARM}::{logical}",
        props={"alarmActions": ["arn:aws:sns:us-east-1:1:t"], **props},
        dependencies=depends_on,
    )


def insights(metric: str, table_name: str, logical: str | None = None) -> Resource:
    query = (
        f'SELECT SUM({metric}) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
        f"WHERE TableName = '{table_name}'"
    )
    return alarm(logical or f"{table_name}-{metric}", metricQueries=[{"id": "q", "expression": query}])


def throttle(table_name: Any, logical: str | None = None, **extra: Any) -> Resource:
    return alarm(
        logical or f"{table_name}-throttle",
        namespace="AWS/DynamoDB",
        metricName="ReadThrottleEvents",
        dimensions={"TableName": table_name},
        **extra,
    )


def working_alarms(table_name: str) -> list[Resource]:
    return [insights("SystemErrors", table_name), throttle(table_name)]


def missing_tables(resources: list[Resource], config: dict[str, Any] | None = None) -> set[str]:
    violations = table_alarms.check_stack(resources, config or CONFIG)
    return {v.urn for v in violations if v.urn is not None and TABLE in v.urn}


def dead_alarms(resources: list[Resource]) -> set[str]:
    violations = table_alarms.check_stack(resources, CONFIG)
    return {v.urn for v in violations if v.urn is not None and ALARM in v.urn}


def test_table_with_working_alarms_is_compliant() -> None:
    assert table_alarms.check_stack([table(), *working_alarms("events")], CONFIG) == []


THROTTLING = "ReadThrottleEvents or WriteThrottleEvents or ThrottledRequests"
DEAD_FIX = (
    "It covers no table. Use exactly the dimensions DynamoDB publishes, or a Metrics Insights query "
    "(metric query expression) that filters on TableName."
)
USER_ERRORS_HINT = (
    " UserErrors exists only per account and region: alarm on it once per region without dimensions."
)


def missing_message(
    logical: str = "events-dev",
    physical: str | None = "'events'",
    wanted: str = f"SystemErrors; {THROTTLING}",
    example: str = 'SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)',
    example_name: str = "events",
) -> str:
    named = f" (table name {physical})" if physical is not None else ""
    query = repr(f"SELECT {example} WHERE TableName = '{example_name}'")
    return (
        f"Table '{logical}'{named} has no working CloudWatch alarm in AWS/DynamoDB on: {wanted}. Add an "
        "alarm of either provider (aws.cloudwatch.MetricAlarm, aws-native cloudwatch.Alarm) per missing "
        "group, in the table's account and region, whose dimensions or query name the table, e.g. "
        f'`metric_queries=[{{"id": "q", "expression": {query}, "period": 60, "return_data": True}}]`.'
    )


READ_THROTTLE_EXAMPLE = 'SUM(ReadThrottleEvents) FROM SCHEMA("AWS/DynamoDB", TableName)'


def test_table_without_alarms_is_reported_on_the_table_with_the_fix() -> None:
    [violation] = table_alarms.check_stack([table()], CONFIG)
    assert violation == Violation(missing_message(), urn=table().urn)


def test_only_the_missing_group_is_named() -> None:
    [violation] = table_alarms.check_stack([table(), throttle("events")], CONFIG)
    assert violation.message == missing_message(wanted="SystemErrors")
    [violation] = table_alarms.check_stack([table(), insights("SystemErrors", "events")], CONFIG)
    assert violation.message == missing_message(wanted=THROTTLING, example=READ_THROTTLE_EXAMPLE)


@pytest.mark.parametrize(
    ("name", "logical", "physical"),
    [
        pytest.param(
            "bad name!", "bad", "(a name that is not a valid table name)", id="invalid name not echoed"
        ),
        pytest.param(
            "s3cr3t 'x'", "bad", "(a name that is not a valid table name)", id="free text not echoed"
        ),
        pytest.param(UNKNOWN, "later", None, id="unknown name"),
        pytest.param(None, "auto", None, id="autonamed"),
    ],
)
def test_a_table_whose_name_cannot_be_shown_gets_a_placeholder(
    name: Any, logical: str, physical: str | None
) -> None:
    [violation] = table_alarms.check_stack([table(name, logical=logical)], CONFIG)
    assert violation.message == missing_message(logical, physical, example_name="<table name>")


def test_only_the_table_without_alarms_is_reported() -> None:
    resources = [table("events"), table("users"), *working_alarms("events")]
    assert table_alarms.check_stack(resources, CONFIG) == [
        Violation(missing_message("users-dev", "'users'", example_name="users"), urn=table("users").urn)
    ]


def test_a_table_after_an_exempt_one_is_still_judged() -> None:
    exempt = {**CONFIG, "exemptResources": ["events-dev"]}
    resources = [table("events"), table("users")]
    assert missing_tables(resources, exempt) == {table("users").urn}
    by_urn = {**CONFIG, "exemptResources": [table("events").urn]}
    assert missing_tables(resources, by_urn) == {table("users").urn}


def test_a_fleet_wide_query_covers_only_its_own_metric_group() -> None:
    fleet = alarm(
        "fleet", metricQueries=[{"id": "q", "expression": 'SELECT SUM(SystemErrors) FROM "AWS/DynamoDB"'}]
    )
    [violation] = table_alarms.check_stack([table(), fleet], CONFIG)
    assert violation.message == missing_message(wanted=THROTTLING, example=READ_THROTTLE_EXAMPLE)


def test_an_alarm_found_by_dependency_covers_only_its_own_metric_group() -> None:
    events = table("events")
    by_dependency = throttle(UNKNOWN, logical="t", depends_on=(events.urn,))
    [violation] = table_alarms.check_stack([events, by_dependency], CONFIG)
    assert violation.message == missing_message(wanted="SystemErrors")


def test_a_table_with_an_unknown_name_adds_possible_alarms_to_those_it_has() -> None:
    # Throttling by dependency, SystemErrors on a name no known table has (it may be this one).
    unnamed = table(UNKNOWN, logical="later")
    resources = [
        unnamed,
        throttle(UNKNOWN, logical="t", depends_on=(unnamed.urn,)),
        insights("SystemErrors", "orders"),
    ]
    assert table_alarms.check_stack(resources, CONFIG) == []


def test_required_metrics_default_and_junk_entries() -> None:
    assert [v.message for v in table_alarms.check_stack([table()], {})] == [missing_message()]
    junk_first = {**CONFIG, "requiredMetrics": [7, None, " | ", "ThrottledRequests | SystemErrors |"]}
    [violation] = table_alarms.check_stack([table()], junk_first)
    assert violation.message == missing_message(
        wanted="ThrottledRequests or SystemErrors",
        example='SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)',
    )
    assert table_alarms.required_groups(junk_first) == [("ThrottledRequests", "SystemErrors")]


def test_dead_alarm_messages_in_full() -> None:
    user_errors = alarm(
        "u", namespace="AWS/DynamoDB", metricName="UserErrors", dimensions={"TableName": "events"}
    )
    two = alarm(
        "two",
        namespace="AWS/DynamoDB",
        metricName="SystemErrors",
        dimensions={},
        metricQueries=[
            {
                "id": "q",
                "expression": 'SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", TableName) '
                "WHERE TableName = 'events'",
            }
        ],
    )
    violations = table_alarms.check_stack([user_errors, two], CONFIG)
    assert violations == [
        Violation(
            "Alarm 'u' can never fire: metricName reads UserErrors with TableName, but DynamoDB publishes "
            f"UserErrors with no dimensions (per account and region). {DEAD_FIX}{USER_ERRORS_HINT}",
            urn=user_errors.urn,
        ),
        Violation(
            "Alarm 'two' can never fire: metricName reads SystemErrors with no dimensions, but DynamoDB "
            "publishes SystemErrors with Operation+TableName; metricQueries[0].expression reads "
            "ThrottledRequests with TableName, but DynamoDB publishes ThrottledRequests with "
            f"Operation+TableName. {DEAD_FIX}",
            urn=two.urn,
        ),
    ]


def test_dead_alarm_messages_never_echo_odd_dimension_names() -> None:
    odd = alarm(
        "odd",
        namespace="AWS/DynamoDB",
        metricName="UserErrors",
        dimensions={"TableName": "events", "s3cr3t name!": "x"},
    )
    [violation] = table_alarms.check_stack([odd], CONFIG)
    assert violation.message == (
        "Alarm 'odd' can never fire: metricName reads UserErrors with "
        "(an invalid name)+TableName, but DynamoDB publishes UserErrors with no dimensions "
        f"(per account and region). {DEAD_FIX}{USER_ERRORS_HINT}"
    )


@pytest.mark.parametrize("report", [False, "junk", None])
def test_report_dead_alarms_false_hides_them_but_they_still_cover_nothing(report: Any) -> None:
    dead = alarm("d", namespace="AWS/DynamoDB", metricName="SystemErrors", dimensions={"TableName": "events"})
    config = {**CONFIG, "reportDeadAlarms": report}
    violations = table_alarms.check_stack([table(), dead, throttle("events")], config)
    expected = [Violation(missing_message(wanted="SystemErrors"), urn=table().urn)]
    if report is not False:
        expected.insert(0, table_alarms.check_stack([dead], CONFIG)[0])
    assert violations == expected


def test_dead_alarms_are_reported_by_default_and_skipped_when_exempt() -> None:
    dead = alarm("d", namespace="AWS/DynamoDB", metricName="SystemErrors", dimensions={"TableName": "events"})
    assert dead_alarms([dead]) == {dead.urn}
    assert [v.urn for v in table_alarms.check_stack([dead], {})] == [dead.urn]
    assert table_alarms.check_stack([dead], {**CONFIG, "exemptResources": ["d"]}) == []
    assert table_alarms.check_stack([dead], {**CONFIG, "exemptResources": [dead.urn]}) == []


def test_the_design_s_alarms_are_dead_and_reported_on_the_alarms() -> None:
    user_errors = alarm(
        "events-user-errors",
        namespace="AWS/DynamoDB",
        metricName="UserErrors",
        dimensions={"TableName": "events"},
    )
    system_errors = alarm(
        "events-system-errors",
        namespace="AWS/DynamoDB",
        metricName="SystemErrors",
        dimensions={"TableName": "events"},
    )
    resources = [table(), user_errors, system_errors, throttle("events")]
    violations = table_alarms.check_stack(resources, CONFIG)
    assert dead_alarms(resources) == {user_errors.urn, system_errors.urn}
    assert missing_tables(resources) == {table().urn}  # SystemErrors on TableName alone does not count
    user_message = next(v.message for v in violations if v.urn == user_errors.urn)
    assert "per account and region" in user_message


@pytest.mark.parametrize(
    ("metric", "dims"),
    [
        ("ThrottledRequests", {"TableName": "events"}),
        ("SuccessfulRequestLatency", {"TableName": "events"}),
        ("ReadThrottleEvents", {"TableName": "events", "Operation": "GetItem"}),
        ("SystemErrors", {}),
    ],
)
def test_other_dead_dimension_sets(metric: str, dims: dict[str, str]) -> None:
    dead = alarm("dead", namespace="AWS/DynamoDB", metricName=metric, dimensions=dims)
    assert dead_alarms([table(), dead]) == {dead.urn}


def test_throttled_requests_per_operation_counts_as_throttling() -> None:
    throttled = alarm(
        "t",
        namespace="AWS/DynamoDB",
        metricName="ThrottledRequests",
        dimensions={"TableName": "events", "Operation": "PutItem"},
    )
    assert table_alarms.check_stack([table(), insights("SystemErrors", "events"), throttled], CONFIG) == []


def test_metric_math_over_operations_covers_the_table() -> None:
    queries = [
        {
            "id": f"m{i}",
            "metric": {
                "namespace": "AWS/DynamoDB",
                "metricName": "SystemErrors",
                "dimensions": {"TableName": "events", "Operation": op},
            },
        }
        for i, op in enumerate(["GetItem", "PutItem"])
    ]
    math = alarm("math", metricQueries=[*queries, {"id": "e", "expression": "m0 + m1", "returnData": True}])
    assert table_alarms.check_stack([table(), math, throttle("events")], CONFIG) == []


def test_insights_schema_with_table_only_is_dead_for_system_errors() -> None:
    query = "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", TableName) WHERE TableName = 'events'"
    dead = alarm("dead", metricQueries=[{"id": "q", "expression": query}])
    assert dead_alarms([table(), dead]) == {dead.urn}


def test_insights_query_without_table_filter_covers_every_table() -> None:
    query = 'SELECT SUM(SystemErrors) FROM "AWS/DynamoDB" GROUP BY TableName'
    fleet = alarm("fleet", metricQueries=[{"id": "q", "expression": query}])
    resources = [table("events"), table("users"), fleet, throttle("events"), throttle("users")]
    assert table_alarms.check_stack(resources, CONFIG) == []


def test_search_expressions_and_other_namespaces_do_not_count() -> None:
    search = alarm(
        "search",
        metricQueries=[
            {"id": "s", "expression": "SEARCH('{AWS/DynamoDB,TableName,Operation} SystemErrors', 'Sum')"}
        ],
    )
    lambda_alarm = alarm("l", namespace="AWS/Lambda", metricName="Errors", dimensions={"TableName": "events"})
    assert missing_tables([table(), search, lambda_alarm, throttle("events")]) == {table().urn}


def test_unknown_dimensions_count_when_the_alarm_depends_on_the_table() -> None:
    events = table("events")
    resources = [
        events,
        insights("SystemErrors", "events"),
        throttle(UNKNOWN, logical="t", depends_on=(events.urn,)),
    ]
    assert table_alarms.check_stack(resources, CONFIG) == []
    unrelated = [events, insights("SystemErrors", "events"), throttle(UNKNOWN, logical="t")]
    assert missing_tables(unrelated) == {events.urn}


def test_property_dependencies_are_preferred_over_all_dependencies() -> None:
    events, users = table("events"), table("users")
    pinned = Resource(
        type=ALARM,
        name="t",
        urn="urn:t",
        props={"namespace": "AWS/DynamoDB", "metricName": "WriteThrottleEvents", "dimensions": UNKNOWN},
        dependencies=(events.urn, users.urn),
        property_dependencies={"dimensions": (users.urn,)},
    )
    resources = [events, users, pinned, insights("SystemErrors", "events"), insights("SystemErrors", "users")]
    assert missing_tables(resources) == {events.urn}


def test_table_with_unknown_name_is_not_falsely_reported() -> None:
    unnamed = table(UNKNOWN, logical="later")
    assert missing_tables([unnamed, *working_alarms("orders")]) == set()
    assert missing_tables([unnamed]) == {unnamed.urn}


def test_config_groups_and_exemptions() -> None:
    only_errors = {**CONFIG, "requiredMetrics": ["SystemErrors"]}
    assert table_alarms.check_stack([table(), insights("SystemErrors", "events")], only_errors) == []
    exempt = {**CONFIG, "exemptResources": ["events-dev"]}
    assert table_alarms.check_stack([table()], exempt) == []
    assert table_alarms.check_stack([table()], {**CONFIG, "requiredMetrics": []}) == []


def _stack_of(tables: int) -> list[Resource]:
    resources: list[Resource] = []
    for i in range(tables):
        name = f"t{i}"
        resources += [
            table(name),
            insights("SystemErrors", name, logical=f"{name}-se"),
            throttle(name, logical=f"{name}-r"),
            alarm(
                f"{name}-w",
                namespace="AWS/DynamoDB",
                metricName="WriteThrottleEvents",
                dimensions={"TableName": name},
            ),
            alarm(
                f"{name}-u", namespace="AWS/DynamoDB", metricName="UserErrors", dimensions={"TableName": name}
            ),
        ]
    return resources


def _seconds(resources: list[Resource]) -> float:
    """The fastest of three runs: the least disturbed by whatever else the machine runs. The cyclic
    collector is off while timing: its passes scale with the whole test process's heap, not with
    the rule's work (the pack tunes it itself, process_tuning.py), and made the ratio flaky."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            started = time.perf_counter()
            violations = table_alarms.check_stack(resources, CONFIG)
            best = min(best, time.perf_counter() - started)
    finally:
        gc.enable()
    assert len(violations) == len(resources) // 5  # the per-table UserErrors alarms are dead
    return best


@pytest.mark.slow
def test_three_thousand_tables_with_four_alarms_each_are_checked_in_linear_time() -> None:
    # A ratio, not a time budget (machines differ; bench/ measures the pack's times): ten times the
    # tables must cost about ten times as much, never the square of it.
    small, large = _seconds(_stack_of(300)), _seconds(_stack_of(3000))
    assert large < 25 * small, f"300 tables: {small:.3f}s, 3000 tables: {large:.3f}s"


# --- properties ------------------------------------------------------------------------------

_tables = [table(name) for name in TABLE_NAMES]


def _alarms(props_list: list[dict[str, Any]]) -> list[Resource]:
    return [
        alarm(f"a{i}", depends_on=(_tables[i % 3].urn,) if i % 2 else (), **props)
        for i, props in enumerate(props_list)
    ]


@given(st.lists(alarm_props(), max_size=6), st.sampled_from(TABLE_NAMES))
def test_adding_a_covering_alarm_never_adds_a_missing_alarm_finding(
    props: list[dict[str, Any]], name: str
) -> None:
    before = missing_tables([*_tables, *_alarms(props)])
    after = missing_tables([*_tables, *_alarms(props), *working_alarms(name)])
    assert after <= before
    assert table(name).urn not in after


@given(st.lists(alarm_props(), max_size=6))
def test_dead_alarms_never_count(props: list[dict[str, Any]]) -> None:
    dead = [
        alarm(
            "dead-user", namespace="AWS/DynamoDB", metricName="UserErrors", dimensions={"TableName": "events"}
        ),
        alarm(
            "dead-sys",
            namespace="AWS/DynamoDB",
            metricName="SystemErrors",
            dimensions={"TableName": "events"},
        ),
        alarm(
            "dead-thr",
            namespace="AWS/DynamoDB",
            metricName="ThrottledRequests",
            dimensions={"TableName": "events"},
        ),
    ]
    base = [*_tables, *_alarms(props)]
    assert missing_tables(base) == missing_tables([*base, *dead])


@given(st.lists(st.one_of(alarm_props(), junk_trees), max_size=5), junk_trees)
def test_never_raises_on_junk(props: list[Any], table_props: Any) -> None:
    junk_table = Resource(
        type=TABLE, name="j", urn="urn:j", props=table_props if isinstance(table_props, dict) else {}
    )
    resources = [
        junk_table,
        *[alarm(f"a{i}", **p) if isinstance(p, dict) else alarm(f"a{i}") for i, p in enumerate(props)],
    ]
    table_alarms.check_stack(resources, CONFIG)


@given(
    st.lists(junk_resources(table_alarms), max_size=4),
    st.lists(junk_resources(table_alarms), max_size=3),
    junk_configs(table_alarms),
)
def test_schema_junk_never_raises_nor_echoes_values(
    first: list[Resource], second: list[Resource], config: dict[str, Any]
) -> None:
    # Distinct logical names and URNs, some alarms depending on the tables.
    resources = [
        Resource(
            r.type,
            f"r{i}",
            f"{r.urn}{i}",
            r.props,
            dependencies=(f"{first[0].urn}0",) if first and i % 2 else (),
        )
        for i, r in enumerate([*first, *second])
    ]
    violations = table_alarms.check_stack(resources, config)
    assert secret_free([v.message for v in violations])
    assert all(v.urn in {r.urn for r in resources} for v in violations)


def test_every_key_with_every_wrong_value_never_raises_nor_echoes_values() -> None:
    """Every property the rule reads (strategies_schema), absent or holding each wrong type, one at a time."""

    def judge(resource: Resource, config: Mapping[str, Any]) -> list[str]:
        return [v.message for v in table_alarms.check_stack([resource], config)]

    assert junk_failures(table_alarms, judge) == []


@pytest.mark.parametrize("kind", [ALARM, "aws-native:cloudwatch:Alarm"])
def test_an_alarm_whose_metric_name_is_junk_covers_nothing_and_does_not_crash(kind: str) -> None:
    # An unhashable metric name once crashed the aws-native reader's percent-statistic lookup.
    junk = alarm("junk", namespace="AWS/DynamoDB", metricName=["ReadThrottleEvents"], statistic="Sum")
    junk = Resource(type=kind, name=junk.name, urn=junk.urn.replace(ALARM, kind), props=junk.props)
    assert missing_tables([table(), junk]) == {table().urn}
