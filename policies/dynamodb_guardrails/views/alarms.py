"""The alarm view: what a CloudWatch alarm watches, whether it can ever fire, whom it notifies.

Readers build it from an `aws` MetricAlarm, an `aws-native` Alarm, or an alarm inside an embedded
CloudFormation template; the metric shapes (top-level metric, metric math, Metrics Insights) are
parsed once, in alarm_metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..alarm_metrics import AlarmShape, WatchedMetric, never_fires, reads_dynamodb, watched_metrics
from ..model import Resource
from ..values import as_bool
from .location import Location

__all__ = ["AlarmView", "WatchedMetric"]


# Plain dataclasses: views are built for every resource of a stack, and frozen ones cost ~7x to
# build (slots ones are built twice at import); nothing writes to one after its reader made it.
@dataclass
class AlarmView:
    """One alarm as the rules see it. What it reads is derived from `shape` when a rule asks
    (a stack policy reads every alarm of a stack, and each rule needs only part of it):

    - `metrics()`: every DynamoDB (or, while unknown, possibly DynamoDB) metric it reads;
    - `reads_dynamodb()`: True / False, None while unknown;
    - `never_fires()`: why the alarm as a whole can never change to ALARM (a comparison its value
      can never meet), worded for a message; None when it can;
    - `actions_enabled()`: True / False as given, None when not set or unknown; `actions()`: the
      alarm actions as given (may be UNKNOWN), read from `props`;
    - `depends_on()`: URNs its metric inputs (`metric_inputs` of `record`, the resource that declares
      it) come from, to match tables whose name is unknown; all the record's dependencies when
      those are not recorded;
    - `exempt_keys`: names under which `exemptResources` may list it.
    """

    source: Resource
    label: str
    shape: AlarmShape = field(default_factory=AlarmShape)
    props: Mapping[str, Any] = field(default_factory=dict)
    location: Location = field(default_factory=Location)
    record: Resource | None = None
    metric_inputs: tuple[str, ...] = ()
    exempt_keys: tuple[str, ...] = ()
    actions_property: str = "alarmActions"  # as messages name it
    enabled_property: str = "actionsEnabled"
    actions_wire: str = "alarmActions"  # as the props hold it
    enabled_wire: str = "actionsEnabled"

    def actions_enabled(self) -> bool | None:
        return as_bool(self.props.get(self.enabled_wire))

    def actions(self) -> Any:
        return self.props.get(self.actions_wire)

    def depends_on(self) -> tuple[str, ...]:
        record = self.record or self.source
        by_input = [urn for key in self.metric_inputs for urn in record.property_dependencies.get(key, ())]
        return tuple(by_input) or record.dependencies

    def metrics(self) -> list[WatchedMetric]:
        return watched_metrics(self.shape)

    def reads_dynamodb(self) -> bool | None:
        return reads_dynamodb(self.shape)

    def never_fires(self) -> str | None:
        return never_fires(self.shape)
