"""Which DynamoDB CloudWatch metrics exist, and with which dimension combinations.

CloudWatch matches a metric by namespace, name and the *exact* set of dimensions. An alarm whose
dimensions are not a combination DynamoDB publishes watches a metric that never gets data, so it
never fires (and with `treatMissingData: notBreaching` it stays OK forever). These facts are the
one place the pack keeps that knowledge.

Source: Amazon DynamoDB Developer Guide, "DynamoDB Metrics and dimensions",
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
(checked 2026-11-28 against the guide's published source, awsdocs/amazon-dynamodb-developer-guide
doc_source/metrics-dimensions.md). Notable facts:
- UserErrors is "the aggregate of HTTP 400 errors ... for the current AWS Region and the current
  AWS account": it has no dimensions, so a per-table UserErrors alarm is dead.
- SystemErrors, ThrottledRequests, SuccessfulRequestLatency, ReturnedItemCount: TableName+Operation.
- ReadThrottleEvents / WriteThrottleEvents / consumed capacity: TableName (the table alone) or
  TableName+GlobalSecondaryIndexName (one index).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

NAMESPACE: Final = "AWS/DynamoDB"
SOURCE_URL: Final = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html"

TABLE: Final = "TableName"
OPERATION: Final = "Operation"
INDEX: Final = "GlobalSecondaryIndexName"
RECEIVING_REGION: Final = "ReceivingRegion"
STREAM_LABEL: Final = "StreamLabel"
DELEGATED_OPERATION: Final = "DelegatedOperation"

_ACCOUNT: Final = frozenset[str]()
_PER_TABLE: Final = frozenset({TABLE})
_PER_INDEX: Final = frozenset({TABLE, INDEX})
_PER_OPERATION: Final = frozenset({TABLE, OPERATION})
_PER_REPLICA: Final = frozenset({TABLE, RECEIVING_REGION})
_PER_STREAM_OPERATION: Final = frozenset({TABLE, OPERATION, STREAM_LABEL})
_PER_DELEGATED: Final = frozenset({TABLE, DELEGATED_OPERATION})

# Metric name -> the dimension combinations DynamoDB publishes it with.
PUBLISHED_DIMENSIONS: Final[Mapping[str, tuple[frozenset[str], ...]]] = {
    # Errors
    "UserErrors": (_ACCOUNT,),
    "SystemErrors": (_PER_OPERATION,),
    "ConditionalCheckFailedRequests": (_PER_TABLE,),
    "TransactionConflict": (_PER_TABLE,),
    # Throttling
    "ReadThrottleEvents": (_PER_TABLE, _PER_INDEX),
    "WriteThrottleEvents": (_PER_TABLE, _PER_INDEX),
    "ThrottledRequests": (_PER_OPERATION,),
    "OnlineIndexThrottleEvents": (_PER_INDEX,),
    "ThrottledPutRecordCount": (_PER_DELEGATED,),
    # Latency and traffic
    "SuccessfulRequestLatency": (_PER_OPERATION,),
    "ReturnedItemCount": (_PER_OPERATION,),
    "ReturnedBytes": (_PER_STREAM_OPERATION,),
    "ReturnedRecordsCount": (_PER_STREAM_OPERATION,),
    # Capacity
    "ConsumedReadCapacityUnits": (_PER_TABLE, _PER_INDEX),
    "ConsumedWriteCapacityUnits": (_PER_TABLE, _PER_INDEX),
    "ProvisionedReadCapacityUnits": (_PER_TABLE, _PER_INDEX),
    "ProvisionedWriteCapacityUnits": (_PER_TABLE, _PER_INDEX),
    "OnlineIndexConsumedWriteCapacity": (_PER_INDEX,),
    "OnlineIndexPercentageProgress": (_PER_INDEX,),
    "TimeToLiveDeletedItemCount": (_PER_TABLE,),
    # Global tables and Kinesis streaming
    "ReplicationLatency": (_PER_REPLICA,),
    "PendingReplicationCount": (_PER_REPLICA,),
    "AgeOfOldestUnreplicatedRecord": (_PER_DELEGATED,),
    "ConsumedChangeDataCaptureUnits": (_PER_DELEGATED,),
    "FailedToReplicateRecordCount": (_PER_DELEGATED,),
    # Account level
    "AccountMaxReads": (_ACCOUNT,),
    "AccountMaxWrites": (_ACCOUNT,),
    "AccountMaxTableLevelReads": (_ACCOUNT,),
    "AccountMaxTableLevelWrites": (_ACCOUNT,),
    "AccountProvisionedReadCapacityUtilization": (_ACCOUNT,),
    "AccountProvisionedWriteCapacityUtilization": (_ACCOUNT,),
    "MaxProvisionedTableReadCapacityUtilization": (_ACCOUNT,),
    "MaxProvisionedTableWriteCapacityUtilization": (_ACCOUNT,),
    "AccountProvisionedReadCapacityUnits": (_ACCOUNT,),
    "AccountProvisionedWriteCapacityUnits": (_ACCOUNT,),
    "TableCount": (_ACCOUNT,),
}

# Values of the Operation dimension (same page, "Operation" dimension).
OPERATIONS: Final = (
    "PutItem",
    "DeleteItem",
    "UpdateItem",
    "GetItem",
    "BatchGetItem",
    "Scan",
    "Query",
    "BatchWriteItem",
    "TransactWriteItems",
    "TransactGetItems",
    "ExecuteTransaction",
    "BatchExecuteStatement",
    "ExecuteStatement",
    "GetRecords",
)


# Metrics whose value is a percentage (0-100) unless summed: "The percentage of ..." on the same page.
PERCENT_METRICS: Final = frozenset(
    {
        "OnlineIndexPercentageProgress",
        "AccountProvisionedReadCapacityUtilization",
        "AccountProvisionedWriteCapacityUtilization",
        "MaxProvisionedTableReadCapacityUtilization",
        "MaxProvisionedTableWriteCapacityUtilization",
    }
)

_BY_FOLDED_NAME: Final = {name.casefold(): name for name in PUBLISHED_DIMENSIONS}


def published_spelling(metric_name: str) -> str | None:
    """How DynamoDB spells a metric whose name matches `metric_name` but for case; None if none does."""
    return _BY_FOLDED_NAME.get(metric_name.casefold())


def can_have_data(metric_name: str, dimension_keys: Iterable[str]) -> bool:
    """False only when DynamoDB is known never to publish `metric_name` with exactly these
    dimension keys; metrics the pack does not know are given the benefit of the doubt."""
    published = PUBLISHED_DIMENSIONS.get(metric_name)
    if published is None:
        return True
    return frozenset(dimension_keys) in published


def describe_dimensions(metric_name: str) -> str:
    """How DynamoDB publishes a metric of PUBLISHED_DIMENSIONS, for messages ("Operation+TableName",
    "TableName or GlobalSecondaryIndexName+TableName", "no dimensions (per account and region)")."""
    return " or ".join(
        "+".join(sorted(keys)) if keys else "no dimensions (per account and region)"
        for keys in PUBLISHED_DIMENSIONS[metric_name]
    )


def metrics_insights_query(metric_name: str, table_name: str) -> str:
    """A Metrics Insights query that alarms on one table, whatever the metric's other dimensions."""
    # The table-level combination: the smallest published one that names the table.
    published: tuple[frozenset[str], ...] = PUBLISHED_DIMENSIONS.get(metric_name, ())
    per_table: list[frozenset[str]] = [keys for keys in published if TABLE in keys]
    smallest: frozenset[str] = min(per_table, key=len) if per_table else frozenset({TABLE})
    dims = sorted(smallest)
    schema = ", ".join([f'"{NAMESPACE}"', *dims])
    return f"SELECT SUM({metric_name}) FROM SCHEMA({schema}) WHERE {TABLE} = '{table_name}'"
