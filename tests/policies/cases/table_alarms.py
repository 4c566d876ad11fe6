"""dynamodb-table-alarms: every table has working alarms on errors and throttling."""

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.rules import table_alarms
from tests.policies.kit import alarm, bad, good, insights_query, native_alarm, native_table, table, urn

RULE = table_alarms.RULE

TABLE_TYPE = "aws:dynamodb/table:Table"


def system_errors(table_name: object, logical: str = "events-system-errors", **edges: object) -> object:
    query = insights_query("SystemErrors", table_name if isinstance(table_name, str) else "x")
    if table_name is UNKNOWN:
        query = UNKNOWN
    return alarm(logical, metricQueries=[{"id": "q", "expression": query, "returnData": True}], **edges)


def throttle(table_name: object, logical: str = "events-read-throttle", **edges: object) -> object:
    return alarm(
        logical,
        namespace="AWS/DynamoDB",
        metricName="ReadThrottleEvents",
        dimensions={"TableName": table_name},
        **edges,
    )


EVENTS = table(name="events-dev")
WORKING = (system_errors("events-dev"), throttle("events-dev"))

CASES = (
    good("alarms on errors and throttling", EVENTS, *WORKING),
    good(
        "name unknown during preview, alarms depend on the table",
        table("events", name=UNKNOWN),
        system_errors(UNKNOWN, depends_on=[urn(TABLE_TYPE, "events")]),
        throttle(UNKNOWN, depends_on=[urn(TABLE_TYPE, "events")]),
    ),
    good("exempt table", EVENTS, exemptResources=["events"]),
    good("no metric group required", EVENTS, requiredMetrics=[]),
    bad("table without alarms", EVENTS),
    bad("throttling alarm only", EVENTS, throttle("events-dev")),
    bad("alarms on another table", EVENTS, system_errors("orders-dev"), throttle("orders-dev")),
    bad(
        "SystemErrors on TableName alone can never fire",
        EVENTS,
        alarm(
            "events-system-errors",
            namespace="AWS/DynamoDB",
            metricName="SystemErrors",
            dimensions={"TableName": "events-dev"},
        ),
        throttle("events-dev"),
    ),
    bad(
        "UserErrors per table can never fire",
        EVENTS,
        *WORKING,
        alarm(
            "events-user-errors",
            namespace="AWS/DynamoDB",
            metricName="UserErrors",
            dimensions={"TableName": "events-dev"},
        ),
    ),
    bad(
        "extra required metric group",
        EVENTS,
        *WORKING,
        requiredMetrics=[
            "SystemErrors",
            "ReadThrottleEvents|WriteThrottleEvents",
            "ConditionalCheckFailedRequests",
        ],
    ),
    bad("unsafe table name is never echoed", table(name="events dev; drop")),
    # the other roads: an alarm of either provider on a table of either provider
    good(
        "aws-native table with aws-native alarms",
        native_table(tableName="orders"),
        native_alarm(
            "orders-se", metrics=[{"id": "q", "expression": insights_query("SystemErrors", "orders")}]
        ),
        native_alarm(
            "orders-rt",
            namespace="AWS/DynamoDB",
            metricName="ReadThrottleEvents",
            dimensions=[{"name": "TableName", "value": "orders"}],
        ),
    ),
    good(
        "classic table with aws-native alarms",
        table(name="events"),
        native_alarm(
            "events-se", metrics=[{"id": "q", "expression": insights_query("SystemErrors", "events")}]
        ),
        native_alarm(
            "events-rt",
            namespace="AWS/DynamoDB",
            metricName="WriteThrottleEvents",
            dimensions=[{"name": "TableName", "value": "events"}],
        ),
    ),
    bad("aws-native table without alarms", native_table(tableName="orders")),
    bad(
        "alarm namespace in the wrong case",
        table(name="events"),
        alarm(
            "events-se", metricQueries=[{"id": "q", "expression": insights_query("SystemErrors", "events")}]
        ),
        alarm(
            "events-rt",
            namespace="aws/dynamodb",
            metricName="ReadThrottleEvents",
            dimensions={"TableName": "events"},
        ),
    ),
    bad(
        "alarm that a count can never reach",
        table(name="events"),
        alarm(
            "events-se", metricQueries=[{"id": "q", "expression": insights_query("SystemErrors", "events")}]
        ),
        alarm(
            "events-rt",
            namespace="AWS/DynamoDB",
            metricName="ReadThrottleEvents",
            dimensions={"TableName": "events"},
            comparisonOperator="LessThanThreshold",
            threshold=0,
        ),
    ),
    bad(
        "alarm in another region by its own region argument",
        table(name="events", region="us-east-1"),
        alarm(
            "events-se",
            metricQueries=[{"id": "q", "expression": insights_query("SystemErrors", "events")}],
            region="eu-west-1",
        ),
        alarm(
            "events-rt",
            namespace="AWS/DynamoDB",
            metricName="ReadThrottleEvents",
            dimensions={"TableName": "events"},
            region="eu-west-1",
        ),
    ),
)
