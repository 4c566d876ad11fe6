"""dynamodb-table-alarms: every DynamoDB table has working CloudWatch alarms on errors and throttling.

## What it checks
A stack policy: it matches alarms to tables across the whole stack. Every DynamoDB table
(`aws:dynamodb/table:Table`, `aws-native:dynamodb:Table`, `aws-native:dynamodb:GlobalTable`, or one
of those in an embedded CloudFormation template) needs, for each group of `requiredMetrics`, an
alarm on one of the group's `AWS/DynamoDB` metrics that covers it: an
`aws:cloudwatch/metricAlarm:MetricAlarm`, an `aws-native:cloudwatch:Alarm` (its `metrics` math and
Metrics Insights forms too) or an `AWS::CloudWatch::Alarm` of a template, for a table of either
provider. An alarm covers a table when its dimensions, a metric query's dimensions, or a Metrics
Insights query's `WHERE TableName = '...'` name the table's physical name; a Metrics Insights
query without a TableName filter watches every table and covers all of them; in a template,
`!Ref Table` names the table.

Alarms that can never fire cover nothing and are reported on the alarm itself:
- a dimension set DynamoDB never publishes, such as `UserErrors` with `TableName` (it exists only
  per account and region) or `SystemErrors` without `Operation` (it is published per `TableName`
  and `Operation`);
- a namespace, metric or dimension name that is DynamoDB's but for case (`aws/dynamodb`): CloudWatch
  names are case-sensitive, in Metrics Insights too;
- a comparison the metric can never meet (`LessThanThreshold 0` on a count: every DynamoDB metric is
  never below 0; a percentage never above 100);
- an alarm in another account or region than the table it names: CloudWatch metrics are regional
  and per account. Where each lives comes from its ARN, pulumi-aws 7's per-resource `region`
  (which overrides the provider's), the provider's `region`, `allowedAccountIds` or assumed role; a
  global table has data in every replica's region; a metric query's `accountId` reads that account.

## Why
With `treatMissingData: notBreaching`, an alarm on a metric that never has data stays OK forever:
the table looks watched and is not. Throttling is the first thing that hurts an on-demand table
under a spike, and SystemErrors are the errors the application cannot fix by itself.

## Example
```python
import pulumi_aws as aws

aws.dynamodb.Table(
    "events",
    name="events-dev",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
)
aws.cloudwatch.MetricAlarm(
    "events-system-errors",
    namespace="AWS/DynamoDB",
    metric_name="SystemErrors",
    dimensions={"TableName": "events-dev"},  # SystemErrors has no series per table alone
    statistic="Sum",
    period=60,
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
)
```

## Use instead
```python
import pulumi_aws as aws

table = aws.dynamodb.Table(
    "events",
    name="events-dev",
    hash_key="eventId",
    attributes=[{"name": "eventId", "type": "S"}],
    billing_mode="PAY_PER_REQUEST",
)
aws.cloudwatch.MetricAlarm(
    "events-system-errors",
    metric_queries=[
        {
            "id": "system_errors",
            "expression": table.name.apply(
                lambda name: 'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) '
                f"WHERE TableName = '{name}'"
            ),
            "period": 60,
            "return_data": True,
        }
    ],
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
)
aws.cloudwatch.MetricAlarm(
    "events-read-throttle",
    namespace="AWS/DynamoDB",
    metric_name="ReadThrottleEvents",
    dimensions={"TableName": table.name},
    statistic="Sum",
    period=60,
    evaluation_periods=1,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
)
```

## During preview
A table's name, or the table name in an alarm, may be unknown in a preview (built from another
resource's output). An alarm whose table name is unknown covers the tables it depends on; a table
whose name is unknown counts alarms on names that match no other table. Neither is reported
until the update shows the names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..cloudwatch_metrics import NAMESPACE, SOURCE_URL, metrics_insights_query
from ..exemptions import exempt_names, exemption_schema
from ..model import PolicyMeta, Resource, Violation
from ..readers import ALARM_TYPES, TABLE_TYPES, stack_views
from ..rule import StackRule
from ..snippets import python_snippet
from ..values import as_list
from ..views.location import reaches_region, same_account

if TYPE_CHECKING:
    from ..views.alarms import AlarmView, WatchedMetric
    from ..views.tables import TableView

# Each entry is one required group: alternatives separated by "|"; an alarm on any of them counts.
DEFAULT_REQUIRED_METRICS = ["SystemErrors", "ReadThrottleEvents|WriteThrottleEvents|ThrottledRequests"]
# DynamoDB table names: 3-255 of [a-zA-Z0-9_.-]; anything else is not echoed in a message.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")
_UNKNOWN_METRIC = None  # a metric name Pulumi does not know yet: it may be any metric

META = PolicyMeta(
    name="dynamodb-table-alarms",
    description="Every DynamoDB table must have working CloudWatch alarms on its errors and throttling.",
    severity="medium",
    enforcement_level="mandatory",
    remediation_steps=(
        "Add an aws.cloudwatch.MetricAlarm per table and required metric group. SystemErrors is published "
        "per TableName and Operation: alarm on a Metrics Insights query such as "
        'SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = '
        "'<table>' (metricQueries[].expression), or on metric math over one metric per operation. "
        "Throttling: ReadThrottleEvents/WriteThrottleEvents with dimension TableName. Do not alarm on "
        "UserErrors per table: it has no dimensions."
    ),
    url=SOURCE_URL,
    config_schema={
        "requiredMetrics": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_REQUIRED_METRICS,
            "description": (
                "Metric groups every table needs an alarm on. Each entry is one group of AWS/DynamoDB "
                "metric names separated by '|'; an alarm on any one of them satisfies the group."
            ),
        },
        "reportDeadAlarms": {
            "type": "boolean",
            "default": True,
            "description": (
                "Report DynamoDB alarms that can never fire: namespace, metric or dimension names that "
                "are not exactly DynamoDB's, dimensions DynamoDB never publishes, a comparison the "
                "metric never meets, or an alarm in another account or region than its table."
            ),
        },
        **exemption_schema("tables and alarms this policy skips"),
    },
    resource_types=TABLE_TYPES | ALARM_TYPES,
    tags=("observability", "dynamodb"),
)


def required_groups(config: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The configured metric groups, cleaned: blank names and empty groups dropped."""
    groups = []
    for entry in as_list(config.get("requiredMetrics", DEFAULT_REQUIRED_METRICS)):
        if not isinstance(entry, str):
            continue
        names = tuple(dict.fromkeys(n.strip() for n in entry.split("|") if n.strip()))
        if names:
            groups.append(names)
    return groups


def _shown(name: str) -> str:
    return f"'{name}'" if _SAFE_NAME.match(name) else "(a name that is not a valid table name)"


def _dead_alarm_violation(
    alarm: AlarmView, reasons: Sequence[str], fixes: Sequence[str], user_errors: bool
) -> Violation:
    hint = (
        " UserErrors exists only per account and region: alarm on it once per region without dimensions."
        if user_errors
        else ""
    )
    return Violation(
        f"{alarm.label} can never fire: "
        + "; ".join(reasons)
        + ". It covers no table. "
        + ". ".join(dict.fromkeys(fixes))
        + f".{hint}",
        urn=alarm.source.urn,
    )


def _where(region: str | None, account: str | None) -> str:
    parts = [f"region {region}" if region else "", f"account {account}" if account else ""]
    return " and ".join(p for p in parts if p) or "no known region"  # e.g. a global table without replicas


def _fits(table: TableView, entry: _Entry) -> bool:
    return reaches_region(entry.region, table.regions) and same_account(entry.account, table.location.account)


def _covered(table: TableView, entries: Sequence[_Entry]) -> set[str | None]:
    """The metrics of `entries` whose alarms can see the table's data."""
    if table.regions is None and table.location.account is None:
        return {e.metric for e in entries}  # where the table lives is not known: any alarm may see it
    return {e.metric for e in entries if _fits(table, e)}


class _Entry:
    """One working metric an alarm reads, and where the alarm reads it (region, account)."""

    __slots__ = ("account", "metric", "region")

    def __init__(self, metric: str | None, region: str | None, account: str | None) -> None:
        self.metric, self.region, self.account = metric, region, account


class _AlarmIndex:
    """Which metrics have a working alarm, by table name and by the table URN alarms depend on."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[_Entry]] = defaultdict(list)
        self.by_dependency: dict[str, list[_Entry]] = defaultdict(list)
        self.every_table: list[_Entry] = []

    def unmatched_names(self, known_table_names: set[str]) -> list[_Entry]:
        """Metrics alarmed on names of no known table: they might be a table whose name is unknown."""
        return [e for name, entries in self.by_name.items() if name not in known_table_names for e in entries]


def _place_problem(watched: WatchedMetric, entry: _Entry, tables: Sequence[TableView]) -> str | None:
    """Why the tables the metric names are out of the alarm's reach; None when one is within it."""
    if not tables or (entry.region is None and entry.account is None) or any(_fits(t, entry) for t in tables):
        return None
    table = tables[0]
    regions = sorted(table.regions or ([table.location.region] if table.location.region else []))
    there = _where(", ".join(regions) or None, table.location.account)
    # A metric whose table name is unknown names the table through the alarm's dependency on it.
    named = f"table {_shown(watched.table)}" if watched.table is not None else "the table it depends on"
    return (
        f"{watched.where} reads {named} from {_where(entry.region, entry.account)}, but the table "
        f"is in {there} (CloudWatch metrics are regional and per account)"
    )


def _missing_groups(covered: set[str | None], groups: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    if _UNKNOWN_METRIC in covered:
        return []  # an alarm whose metric is not known yet may be any of them
    return [group for group in groups if not covered.intersection(group)]


def _missing_alarm_violation(
    table: TableView, name: str | None, missing: Sequence[tuple[str, ...]]
) -> Violation:
    wanted = "; ".join(" or ".join(group) for group in missing)
    example_name = name if name is not None and _SAFE_NAME.match(name) else "<table name>"
    example = metrics_insights_query(missing[0][0], example_name)
    physical = f" (table name {_shown(name)})" if name is not None else ""
    # The query holds both kinds of quotes: repr() makes it one valid Python string literal.
    snippet = python_snippet(
        f'metric_queries=[{{"id": "q", "expression": {example!r}, "period": 60, "return_data": True}}]'
    )
    return Violation(
        f"{table.label}{physical} has no working CloudWatch alarm in {NAMESPACE} on: {wanted}. "
        "Add an alarm of either provider (aws.cloudwatch.MetricAlarm, aws-native cloudwatch.Alarm) per "
        "missing group, in the table's account and region, whose dimensions or query name the table, "
        f"e.g. {snippet}.",
        urn=table.source.urn,
    )


def check_stack(resources: Sequence[Resource], config: Mapping[str, Any]) -> list[Violation]:
    # The alarm readers (and alarm_metrics) load when a stack is first judged, not at pack start.
    from ..alarm_metrics import FIX_COMPARISON, FIX_LOCATION
    from ..readers.location import one_stack

    groups = required_groups(config)
    exempt = exempt_names(config)
    report_dead = config.get("reportDeadAlarms") is not False  # absent or junk: reported
    violations: list[Violation] = []
    tables: list[TableView] = []
    alarms: list[AlarmView] = []
    with one_stack():
        for resource in resources:
            found_tables, found_alarms = stack_views(resource)
            tables += [t for t in found_tables if t.kind != "table-replica"]
            alarms += found_alarms
    by_name: dict[str, list[TableView]] = defaultdict(list)
    by_urn: dict[str, list[TableView]] = defaultdict(list)
    for table in tables:
        if isinstance(table.name, str):
            by_name[table.name].append(table)
        for urn in table.match_urns:
            by_urn[urn].append(table)

    index = _AlarmIndex()
    for alarm in alarms:
        metrics = alarm.metrics()
        if not metrics:
            continue
        reasons: list[str] = []
        fixes: list[str] = []
        user_errors = False
        never = alarm.never_fires()
        if never is not None and any(w.metric is not None for w in metrics):
            # The comparison can never be met: nothing the alarm reads makes it fire.
            reasons, fixes, metrics = [never], [FIX_COMPARISON], []
        region, account = alarm.location.region, alarm.location.account
        for watched in metrics:
            entry = _Entry(watched.metric, region, watched.account or account)
            problem, fix = watched.problem, watched.problem_fix
            if problem is None and (entry.region is not None or entry.account is not None):
                named = by_name.get(watched.table, []) if watched.table is not None else []
                if watched.table_unknown:
                    named = [t for urn in alarm.depends_on() for t in by_urn.get(urn, ())]
                problem, fix = _place_problem(watched, entry, named), FIX_LOCATION
            if problem is not None:
                reasons.append(problem)
                fixes.append(fix or FIX_LOCATION)
                user_errors = user_errors or watched.metric == "UserErrors"
            elif watched.all_tables:
                index.every_table.append(entry)
            elif watched.table is not None:
                index.by_name[watched.table].append(entry)
            elif watched.table_unknown:
                for urn in alarm.depends_on():
                    index.by_dependency[urn].append(entry)
        if reasons and report_dead and not any(key in exempt for key in alarm.exempt_keys):
            violations.append(_dead_alarm_violation(alarm, reasons, fixes, user_errors))
    if not groups:
        return violations

    known_names = set(by_name)
    unmatched: list[_Entry] | None = None
    for table in tables:
        if any(key in exempt for key in table.exempt_keys):
            continue
        name = table.name
        entries = list(index.every_table)
        for urn in table.match_urns:
            entries += index.by_dependency.get(urn, ())
        if isinstance(name, str):
            entries += index.by_name.get(name, ())
        else:
            # Name not known yet (or left to autonaming): an alarm on a name that matches no other
            # table might be this one, so it counts rather than raising a false alarm.
            if unmatched is None:
                unmatched = index.unmatched_names(known_names)
            entries += unmatched
        covered = _covered(table, entries)
        missing = _missing_groups(covered, groups)
        if missing:
            violations.append(
                _missing_alarm_violation(table, name if isinstance(name, str) else None, missing)
            )
    return violations


RULE = StackRule(meta=META, check_stack=check_stack, doc=__doc__)
