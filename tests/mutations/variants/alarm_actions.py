"""dynamodb-alarm-actions: alarms that notify nobody (advisory by default)."""

from dynamodb_guardrails.rules import alarm_actions
from dynamodb_stack.default_tables import EVENTS, SESSIONS
from tests.mutations.breakage import Breakage, alarm, setting
from tests.mutations.roads import NATIVE_ALARMS, extra, native_table
from tests.mutations.variant import PackConfig, Variant, table_alarm

RULE = alarm_actions.RULE


def events_alarm_without_actions(env: str) -> Breakage:
    return alarm(EVENTS, "read-throttle", env, setting(alarm_actions=[]))


WITHOUT_ACTIONS = Variant(
    "alarm-without-actions",
    "events read-throttle alarm: alarmActions []",
    events_alarm_without_actions,
    RULE,
    (table_alarm("events", "read-throttle"),),
    exit_code=0,
    update_too=True,
)

VARIANTS = (
    WITHOUT_ACTIONS,
    Variant(
        "alarm-actions-disabled",
        "sessions write-throttle alarm: actionsEnabled false",
        lambda env: alarm(SESSIONS, "write-throttle", env, setting(actions_enabled=False)),
        RULE,
        (table_alarm("sessions", "write-throttle"),),
        exit_code=0,
    ),
    Variant(
        "alarm-without-actions-mandatory",
        f"alarm-without-actions under `{RULE.meta.name}: mandatory`",
        events_alarm_without_actions,
        RULE,
        (table_alarm("events", "read-throttle"),),
        pack_config=PackConfig("alarm-actions-mandatory", {RULE.meta.name: "mandatory"}),
    ),
    Variant(
        "native-alarms-without-actions",
        "aws-native alarms with alarmActions []",
        extra(native_table(alarm_actions=[])),
        RULE,
        NATIVE_ALARMS,
        exit_code=0,
    ),
)
