"""Schema-aware junk: every property a rule reads, filled with every wrong type, at every depth.

`PROPERTY_SCHEMAS` is the one place that says which properties each rule reads, per resource
type, as a small tree (`Obj`, `ListOf`, `Json`, `Leaf`). `junk_resources(rule)` walks it: each
key is absent, or holds a right-shaped value whose own keys are junk in turn, or any wrong type
(null, booleans, numbers with NaN and infinities, text, secret-looking text, UNKNOWN, lists,
maps). Config junk comes from the rule's own `META.config_schema`, so it cannot drift from it.

tests/policies/test_strategies_schema.py checks the declaration against the rules: every key a
rule reads while judging these trees must be declared here, so a rule that starts reading a new
property fails that test until its schema says so.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Union

from hypothesis import strategies as st

from dynamodb_guardrails import resource_types as types
from dynamodb_guardrails.model import UNKNOWN, Resource
from dynamodb_guardrails.rules import (
    alarm_actions,
    billing_mode,
    cloudformation_templates,
    encryption,
    iam_least_privilege,
    required_tags,
    table_alarms,
)
from tests.policies.strategies_iam import TABLE_ARN
from tests.policies.strategies_tags import REQUIRED

# A secret never appears in a message: a marker plus text no message may echo (it has a space
# and punctuation, so it is never a valid ARN, table name, Sid or action name).
SECRET_MARKER = "s3cr3t"
secrets = st.text(string.ascii_letters + string.digits, max_size=8).map(lambda s: f"{SECRET_MARKER} {s}!")


@dataclass(frozen=True)
class Leaf:
    """A scalar property; `examples` are right values worth trying next to the wrong ones."""

    examples: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Obj:
    """A map with the listed keys; `free` is the value schema of any other key (tag maps)."""

    fields: Mapping[str, Node] = field(default_factory=dict)
    free: Node | None = None
    free_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListOf:
    """A list of `item`; Pulumi and IAM also accept a single value where a list is expected."""

    item: Node


@dataclass(frozen=True)
class Json:
    """A document given as an object or as its JSON text (IAM policies)."""

    body: Node


Node = Union[Leaf, Obj, ListOf, Json]  # noqa: UP007 - a runtime alias of dataclasses

_plain_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.just(UNKNOWN),
)
_scalars = st.one_of(_plain_scalars, secrets)


def _wrong(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=6), scalars, max_size=3)
    )


# Any value of a type a property should not have, including containers of junk.
wrong = _wrong(_scalars)
# The same for config, without secrets: config is the organisation's, and messages name its keys.
wrong_config = _wrong(_plain_scalars)


def values(node: Node) -> st.SearchStrategy[Any]:
    """A right-shaped value of `node` (with junk below it) or any wrong value."""
    return st.one_of(_shaped(node), wrong)


def _shaped(node: Node) -> st.SearchStrategy[Any]:
    if isinstance(node, Leaf):
        return st.sampled_from(node.examples) if node.examples else _scalars
    if isinstance(node, ListOf):
        item = values(node.item)
        return st.one_of(st.lists(item, max_size=3), item)
    if isinstance(node, Json):
        return st.tuples(values(node.body), st.booleans()).map(lambda pair: _as_json(*pair))
    fixed = st.fixed_dictionaries(
        {}, optional={key: st.deferred(_later(child)) for key, child in node.fields.items()}
    )
    if node.free is None:
        return fixed
    keys = (
        st.one_of(st.sampled_from(node.free_keys), st.text(max_size=8))
        if node.free_keys
        else st.text(max_size=8)
    )
    extra = st.dictionaries(keys, values(node.free), max_size=4)
    return st.tuples(fixed, extra).map(lambda pair: {**pair[1], **pair[0]})


def _later(node: Node) -> Callable[[], st.SearchStrategy[Any]]:
    """The strategy of `node`, built when first drawn (the schema trees nest deeply)."""

    def build() -> st.SearchStrategy[Any]:
        return values(node)

    return build


def _as_json(value: Any, as_text: bool) -> Any:
    """The document as JSON text, the way json.dumps(...) builds it, when asked and it is JSON."""
    if not as_text:
        return value
    try:
        return json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return value


# --- what each rule reads -------------------------------------------------------------------

KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"
_flag = Leaf((True, False, "true", "false", "True"))
_table_name = Leaf(("events", "users", "bad name!", ""))

# Where a resource lives (readers/location.py): its ARN and pulumi-aws 7's per-resource region.
_region = Leaf(("us-east-1", "eu-west-1", "x y"))
_LOCATED: dict[str, Node] = {
    "arn": Leaf((TABLE_ARN, "arn:aws:dynamodb:eu-west-1:210987654321:table/users", "not an arn")),
    "region": _region,
}

_TABLE_BILLING = Obj(
    {
        **_LOCATED,
        "name": _table_name,
        "billingMode": Leaf(("PAY_PER_REQUEST", "PROVISIONED", "pay_per_request")),
        "readCapacity": Leaf((1, 5)),
        "writeCapacity": Leaf((1, 5)),
        "globalSecondaryIndexes": ListOf(
            Obj({"name": Leaf(("by-user",)), "readCapacity": Leaf((1,)), "writeCapacity": Leaf((1,))})
        ),
        "replicas": ListOf(Obj({"regionName": _region, "kmsKeyArn": Leaf((KMS_KEY,))})),
    }
)
_kms_key = Leaf((KMS_KEY, "", " ", "alias/aws/dynamodb"))
_TABLE_ENCRYPTION = Obj(
    {
        **_LOCATED,
        "name": _table_name,
        "serverSideEncryption": Obj({"enabled": _flag, "kmsKeyArn": _kms_key}),
        "replicas": ListOf(
            Obj({"regionName": Leaf(("us-east-1", "eu-west-1", "x y")), "kmsKeyArn": _kms_key})
        ),
    }
)
_TABLE_REPLICA = Obj({**_LOCATED, "kmsKeyArn": _kms_key, "globalTableArn": Leaf((TABLE_ARN,))})

_tag_map = Obj(
    free=Leaf(("dev", "prod", "", " ", 7, True)), free_keys=(*REQUIRED, "environment", "AccessLevel")
)
_TAGGED = Obj({"tags": _tag_map, "tagsAll": _tag_map})
_TAG_LIST = Obj(
    {
        "tags": ListOf(
            Obj(
                {
                    "key": Leaf((*REQUIRED, "environment")),
                    "value": Leaf(("dev", "", 7)),
                    "propagateAtLaunch": _flag,
                }
            )
        )
    }
)

_INSIGHTS = (
    "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = 'events'",
    "SELECT SUM(ReadThrottleEvents) FROM \"AWS/DynamoDB\" WHERE TableName = 'users'",
    'SELECT SUM(SystemErrors) FROM "AWS/DynamoDB"',
    "SEARCH('{AWS/DynamoDB,TableName} SystemErrors', 'Sum')",
    "m0 + m1",
)
_namespace = Leaf(("AWS/DynamoDB", "AWS/Lambda"))
_metric_name = Leaf(("SystemErrors", "ReadThrottleEvents", "UserErrors", "ThrottledRequests"))
_dimensions = Obj(free=_table_name, free_keys=("TableName", "Operation", "GlobalSecondaryIndexName"))
_statistic = Leaf(("Sum", "Average", "p99", "SampleCount"))
_account = Leaf(("123456789012", "210987654321", "x"))
_alarm_actions = ListOf(Leaf(("arn:aws:sns:us-east-1:123456789012:alerts", "", " ")))
# What an alarm of either provider reads besides its metrics (the same wire names in both).
_ALARM_COMMON: dict[str, Node] = {
    **_LOCATED,
    "arn": Leaf(("arn:aws:cloudwatch:us-east-1:123456789012:alarm:a", "not an arn")),
    "comparisonOperator": Leaf(
        ("GreaterThanThreshold", "LessThanThreshold", "GreaterThanOrEqualToThreshold")
    ),
    "threshold": Leaf((0, 1, -1, 0.5)),
    "thresholdMetricId": Leaf(("q", "ad")),
    "statistic": _statistic,
    "extendedStatistic": Leaf(("p99",)),
    "alarmActions": _alarm_actions,
    "actionsEnabled": _flag,
}
_ALARM = Obj(
    {
        "namespace": _namespace,
        "metricName": _metric_name,
        "dimensions": _dimensions,
        "metricQueries": ListOf(
            Obj(
                {
                    "id": Leaf(("q",)),
                    "expression": Leaf(_INSIGHTS),
                    "metric": Obj(
                        {
                            "namespace": _namespace,
                            "metricName": _metric_name,
                            "dimensions": _dimensions,
                            "stat": _statistic,
                        }
                    ),
                    "accountId": _account,
                    "returnData": _flag,
                }
            )
        ),
        **_ALARM_COMMON,
    }
)
_TABLE_NAMED = Obj({**_LOCATED, "name": _table_name, "replicas": _TABLE_ENCRYPTION.fields["replicas"]})

# Free text in an action's service or name part: never echoed.
_SECRET_ACTIONS = (f"{SECRET_MARKER} svc:Get*", f"dynamodb:{SECRET_MARKER} x*", f"{SECRET_MARKER}*:x")
_principal = Obj(
    free=ListOf(Leaf(("*", "123456789012", "arn:aws:iam::210987654321:role/r", "lambda.amazonaws.com"))),
    free_keys=("AWS", "Service", "Federated", "CanonicalUser"),
)
_statement = Obj(
    {
        "Effect": Leaf(("Allow", "Deny", "allow")),
        "Sid": Leaf(("Read", "with space")),
        "Action": ListOf(
            Leaf(("*", "dynamodb:*", "dynamodb:PutItem", "dynamodb:GetItem", "s3:*", *_SECRET_ACTIONS))
        ),
        "NotAction": ListOf(Leaf(("dynamodb:Delete*", "iam:*"))),
        "Resource": ListOf(Leaf((TABLE_ARN, "*", "arn:aws:dynamodb:*:*:table/*"))),
        "NotResource": ListOf(Leaf((TABLE_ARN,))),
        "Principal": _principal,
        "NotPrincipal": _principal,
        "Condition": Obj(
            free=Obj(free=ListOf(Leaf(("123456789012", "o-abc", "true"))), free_keys=("aws:SourceAccount",)),
            free_keys=("StringEquals", "Bool"),
        ),
    }
)
_document = Json(Obj({"Version": Leaf(("2012-10-17",)), "Statement": ListOf(_statement)}))
_names = Leaf(("dynamodb-events-read-role-dev", "app-role", "events_read_write"))
_managed = Leaf(
    (
        "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
        "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
        "arn:aws:iam::123456789012:policy/Mine",
    )
)


def _iam_document(owner: str | None) -> Obj:
    fields: dict[str, Node] = {"policy": _document, "name": _names, **_TAGGED.fields}
    if owner is not None:
        fields[owner] = _names
    return Obj(fields)


_IAM = {
    types.IAM_ROLE_POLICY: _iam_document("role"),
    types.IAM_USER_POLICY: _iam_document("user"),
    types.IAM_GROUP_POLICY: _iam_document("group"),
    types.IAM_POLICY: _iam_document(None),
    types.IAM_ROLE: Obj(
        {
            "name": _names,
            "inlinePolicies": ListOf(Obj({"name": _names, "policy": _document})),
            "managedPolicyArns": ListOf(_managed),
            **_TAGGED.fields,
        }
    ),
    types.IAM_ROLE_POLICY_ATTACHMENT: Obj({"policyArn": _managed, "role": _names}),
    types.IAM_POLICY_ATTACHMENT: Obj({"policyArn": _managed}),
    types.IAM_USER_POLICY_ATTACHMENT: Obj({"policyArn": _managed}),
    types.IAM_GROUP_POLICY_ATTACHMENT: Obj({"policyArn": _managed}),
    types.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: Obj({"policyArns": ListOf(_managed), "roleName": _names}),
}

_RESOURCE_DOCUMENT = _document  # resource-based documents carry Principal / NotPrincipal too
_IAM.update(
    {
        types.DYNAMODB_RESOURCE_POLICY: Obj({"policy": _RESOURCE_DOCUMENT, "resourceArn": _LOCATED["arn"]}),
        types.SSO_PERMISSION_SET_INLINE_POLICY: Obj({"inlinePolicy": _document}),
        types.SSO_MANAGED_POLICY_ATTACHMENT: Obj({"managedPolicyArn": _managed}),
        types.SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE: Obj({"managedPolicyArns": ListOf(_managed)}),
        types.IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE: Obj({"policyArns": ListOf(_managed)}),
        types.IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE: Obj({"policyArns": ListOf(_managed)}),
    }
)

# --- aws-native forms (CloudFormation's types, camelCased; readers/aws_native.py, iam_native.py) ---

_native_tags = ListOf(Obj({"key": Leaf((*REQUIRED, "environment")), "value": Leaf(("dev", "", 7))}))
_throughput = Obj({"readCapacityUnits": Leaf((1, 5)), "writeCapacityUnits": Leaf((1, 5))})
_embedded_policy = Obj({"policyDocument": _RESOURCE_DOCUMENT})
_NATIVE_TABLE = Obj(
    {
        **_LOCATED,
        "tableName": _table_name,
        "billingMode": _TABLE_BILLING.fields["billingMode"],
        "provisionedThroughput": _throughput,
        "globalSecondaryIndexes": ListOf(
            Obj({"indexName": Leaf(("by-user",)), "provisionedThroughput": _throughput})
        ),
        "sseSpecification": Obj(
            {"sseEnabled": _flag, "kmsMasterKeyId": _kms_key, "sseType": Leaf(("KMS", "AES256"))}
        ),
        "tags": _native_tags,
    }
)
_NATIVE_GLOBAL_TABLE = Obj(
    {
        **_LOCATED,
        "tableName": _table_name,
        "billingMode": _TABLE_BILLING.fields["billingMode"],
        "writeProvisionedThroughputSettings": Obj({"writeCapacityAutoScalingSettings": Obj()}),
        "sseSpecification": Obj({"sseEnabled": _flag, "sseType": Leaf(("KMS",))}),
        "replicas": ListOf(
            Obj(
                {
                    "region": _region,
                    "sseSpecification": Obj({"kmsMasterKeyId": _kms_key}),
                    "tags": _native_tags,
                    "readProvisionedThroughputSettings": Obj({"readCapacityUnits": Leaf((1,))}),
                }
            )
        ),
    }
)
# `[{name, value}]`; a classic name -> value map is read too (`dimensions.*`).
# Resource-based policies embedded in tables (readers/resource_policies.py): iam-least-privilege only.
_NATIVE_TABLE_POLICIES = Obj(
    {
        "arn": _LOCATED["arn"],
        "resourcePolicy": _embedded_policy,
        "streamSpecification": Obj({"resourcePolicy": _embedded_policy}),
    }
)
_NATIVE_GLOBAL_TABLE_POLICIES = Obj(
    {
        "arn": _LOCATED["arn"],
        "replicas": ListOf(
            Obj(
                {
                    "resourcePolicy": _embedded_policy,
                    "replicaStreamSpecification": Obj({"resourcePolicy": _embedded_policy}),
                }
            )
        ),
    }
)
_native_dimensions = ListOf(
    Obj(
        {"name": Leaf(("TableName", "Operation", "GlobalSecondaryIndexName")), "value": _table_name},
        free=_table_name,
        free_keys=("TableName",),
    )
)
_NATIVE_ALARM = Obj(
    {
        "namespace": _namespace,
        "metricName": _metric_name,
        "dimensions": _native_dimensions,
        "metrics": ListOf(
            Obj(
                {
                    "id": Leaf(("q",)),
                    "expression": Leaf(_INSIGHTS),
                    "accountId": _account,
                    "returnData": _flag,
                    "metricStat": Obj(
                        {
                            "metric": Obj(
                                {
                                    "namespace": _namespace,
                                    "metricName": _metric_name,
                                    "dimensions": _native_dimensions,
                                }
                            ),
                            "stat": _statistic,
                        }
                    ),
                }
            )
        ),
        **_ALARM_COMMON,
        "tags": _native_tags,
    }
)
_native_inline = ListOf(Obj({"policyName": _names, "policyDocument": _document}))


def _native_principal(name: str, tagged: bool = True) -> Obj:
    fields: dict[str, Node] = {
        name: _names,
        "policies": _native_inline,
        "managedPolicyArns": ListOf(_managed),
    }
    return Obj({**fields, "tags": _native_tags} if tagged else fields)


def _native_policy(**owners: Node) -> Obj:
    return Obj({"policyDocument": _document, **owners})


_NATIVE: dict[str, Obj] = {
    types.NATIVE_DYNAMODB_TABLE: _NATIVE_TABLE,
    types.NATIVE_DYNAMODB_GLOBAL_TABLE: _NATIVE_GLOBAL_TABLE,
    types.NATIVE_CLOUDWATCH_ALARM: _NATIVE_ALARM,
    types.NATIVE_IAM_ROLE: _native_principal("roleName"),
    types.NATIVE_IAM_USER: _native_principal("userName"),
    types.NATIVE_IAM_GROUP: _native_principal("groupName", tagged=False),
    types.NATIVE_IAM_ROLE_POLICY: _native_policy(policyName=_names, roleName=_names),
    types.NATIVE_IAM_USER_POLICY: _native_policy(policyName=_names, userName=_names),
    types.NATIVE_IAM_GROUP_POLICY: _native_policy(policyName=_names, groupName=_names),
    types.NATIVE_IAM_MANAGED_POLICY: _native_policy(
        managedPolicyName=_names, roles=ListOf(_names), users=ListOf(_names), groups=ListOf(_names)
    ),
    types.NATIVE_IAM_POLICY: _native_policy(
        policyName=_names, roles=ListOf(_names), users=ListOf(_names), groups=ListOf(_names)
    ),
    types.NATIVE_SSO_PERMISSION_SET: Obj(
        {"name": _names, "inlinePolicy": _document, "managedPolicies": ListOf(_managed), "tags": _native_tags}
    ),
}

# --- CloudFormation stacks: a template (as an object or its JSON text) of CloudFormation resources ---

_cfn_value = Leaf(("events", {"Ref": "Env"}, {"Fn::Sub": "${Env}-t"}, {"Fn::ImportValue": "x"}))
_cfn_document = Obj(
    {
        "Version": Leaf(("2012-10-17",)),
        "Statement": ListOf(
            Obj(
                {
                    "Effect": _statement.fields["Effect"],
                    "Action": _statement.fields["Action"],
                    "Resource": _cfn_value,
                }
            )
        ),
    }
)
_CFN_RESOURCE = Obj(
    {
        "Type": Leaf(
            (
                "AWS::DynamoDB::Table",
                "AWS::DynamoDB::GlobalTable",
                "AWS::CloudWatch::Alarm",
                "AWS::IAM::Role",
                "AWS::IAM::Policy",
                "AWS::SNS::Topic",
                "AWS::CloudFormation::Stack",
                "AWS::Serverless::Function",
            )
        ),
        "Condition": Leaf(("IsProd", "Nope")),
        "Properties": Obj(
            {
                "TableName": _cfn_value,
                "BillingMode": Leaf(("PAY_PER_REQUEST", "PROVISIONED", {"Ref": "Mode"})),
                "SSESpecification": Obj({"SSEEnabled": _flag, "KMSMasterKeyId": _kms_key}),
                "Tags": ListOf(Obj({"Key": Leaf(REQUIRED), "Value": _cfn_value})),
                "MetricName": _metric_name,
                "Dimensions": ListOf(Obj({"Name": Leaf(("TableName",)), "Value": _cfn_value})),
                "PolicyDocument": _cfn_document,
            }
        ),
    }
)
_TEMPLATE = Obj(
    {
        "AWSTemplateFormatVersion": Leaf(("2010-09-09",)),
        "Transform": Leaf(("AWS::Serverless-2016-10-31",)),
        "Parameters": Obj(
            free=Obj({"Type": Leaf(("String", "Number")), "Default": Leaf(("dev", "PAY_PER_REQUEST"))}),
            free_keys=("Env", "Mode"),
        ),
        "Mappings": Obj(free=Obj(free=Obj(free=Leaf(("x",))))),
        "Conditions": Obj(
            free=Leaf(({"Fn::Equals": [{"Ref": "Env"}, "prod"]}, {"Fn::Not": [{"Condition": "IsProd"}]})),
            free_keys=("IsProd",),
        ),
        "Resources": Obj(free=_CFN_RESOURCE, free_keys=("Orders", "Alarm", "Role")),
    }
)
_STACK_FIELDS: dict[str, Node] = {
    "templateBody": Json(_TEMPLATE),
    "templateUrl": Leaf(("https://templates.s3.amazonaws.com/t.yaml", "")),
    "parameters": Obj(free=Leaf(("dev", "prod")), free_keys=("Env", "Mode")),
    **_TAGGED.fields,
}
_CFN: dict[str, Obj] = {
    types.CLOUDFORMATION_STACK: Obj({**_STACK_FIELDS, "name": _names, "region": _region}),
    types.NATIVE_CLOUDFORMATION_STACK: Obj({**_STACK_FIELDS, "stackName": _names, "tags": _native_tags}),
}


def _forms(rule: ModuleType) -> dict[str, Obj]:
    """The aws-native and CloudFormation forms of the types the rule judges."""
    judged = rule.META.resource_types
    return {kind: schema for kind, schema in {**_NATIVE, **_CFN}.items() if judged is None or kind in judged}


# required-tags reads only tags: the tag part of every other form (a global table's replicas carry
# their own), whole templates.
_TAGS_ONLY = {
    kind: schema
    if kind in types.CLOUDFORMATION_HOSTS
    else Obj({key: child for key, child in schema.fields.items() if key in ("tags", "replicas")})
    for kind, schema in _forms(required_tags).items()
    if kind in types.CLOUDFORMATION_HOSTS or "tags" in schema.fields
}

# rule module -> resource type -> the properties it reads.
PROPERTY_SCHEMAS: dict[ModuleType, dict[str, Obj]] = {
    billing_mode: {types.DYNAMODB_TABLE: _TABLE_BILLING, **_forms(billing_mode)},
    encryption: {
        types.DYNAMODB_TABLE: _TABLE_ENCRYPTION,
        types.DYNAMODB_TABLE_REPLICA: _TABLE_REPLICA,
        **_forms(encryption),
    },
    required_tags: {
        types.DYNAMODB_TABLE: _TAGGED,
        "aws:sns/topic:Topic": _TAGGED,
        "aws:autoscaling/group:Group": _TAG_LIST,
        **_TAGS_ONLY,
    },
    alarm_actions: {types.METRIC_ALARM: _ALARM, **_forms(alarm_actions)},
    table_alarms: {types.DYNAMODB_TABLE: _TABLE_NAMED, types.METRIC_ALARM: _ALARM, **_forms(table_alarms)},
    iam_least_privilege: {
        **_IAM,
        **_forms(iam_least_privilege),
        types.NATIVE_DYNAMODB_TABLE: _NATIVE_TABLE_POLICIES,
        types.NATIVE_DYNAMODB_GLOBAL_TABLE: _NATIVE_GLOBAL_TABLE_POLICIES,
    },
    cloudformation_templates: _forms(cloudformation_templates),
}


@st.composite
def junk_resources(draw: st.DrawFn, rule: ModuleType, name: str = "thing") -> Resource:
    """One resource of a type the rule judges, its properties junk along the rule's schema."""
    kind = draw(st.sampled_from(sorted(PROPERTY_SCHEMAS[rule])))
    props = draw(_shaped(PROPERTY_SCHEMAS[rule][kind]))
    return Resource(type=kind, name=name, urn=f"urn:pulumi:dev::p::{kind}::{name}", props=props)


# --- every key, every wrong value: deterministic single-point junk ---------------------------

SECRET = f"{SECRET_MARKER} value!"
# One of each wrong type, for the exhaustive cases below.
WRONG_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    "",
    " ",
    SECRET,
    f"{SECRET_MARKER} x!:*",
    UNKNOWN,
    [],
    [None, SECRET],
    [UNKNOWN],
    {},
    {SECRET: SECRET},
)


def baseline(node: Node, variant: int = 0) -> Any:
    """A right-shaped value with every key present; `variant` picks which example each leaf shows."""
    if isinstance(node, Leaf):
        return node.examples[variant % len(node.examples)] if node.examples else "x"
    if isinstance(node, ListOf):
        return [baseline(node.item, variant), baseline(node.item, variant + 1)]
    if isinstance(node, Json):
        return baseline(node.body, variant)
    tree = {key: baseline(child, variant) for key, child in node.fields.items()}
    if node.free is not None:
        keys = node.free_keys or ("key",)
        tree.update({keys[(variant + i) % len(keys)]: baseline(node.free, variant + i) for i in range(2)})
    return tree


def single_junk(node: Node, variant: int = 0, where: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value): the baseline with exactly one place absent or holding a wrong value, every place."""
    for wrong_value in WRONG_VALUES:
        yield where or "(whole)", wrong_value
    if isinstance(node, Json):
        yield from single_junk(node.body, variant, where)
    elif isinstance(node, ListOf):
        first = baseline(node.item, variant)
        for path, value in single_junk(node.item, variant + 1, f"{where}[1]"):
            yield path, [first, value]
        yield f"{where} (one value, not a list)", first
    elif isinstance(node, Obj):
        tree = baseline(node, variant)
        children = dict(node.fields)
        if node.free is not None:
            children.update({key: node.free for key in tree if key not in node.fields})
        for key, child in children.items():
            yield f"{where}.{key} (absent)", {k: v for k, v in tree.items() if k != key}
            for path, value in single_junk(child, variant, f"{where}.{key}"):
                yield path, {**tree, key: value}


def single_junk_resources(
    rule: ModuleType, variants: int = 3, name: str = "thing"
) -> Iterator[tuple[str, Resource]]:
    """Every resource type the rule reads, with every place of its schema junk in turn."""
    for kind, schema in sorted(PROPERTY_SCHEMAS[rule].items()):
        # A template is the largest tree and every variant reads it all again: one is enough.
        for variant in range(1 if kind in types.CLOUDFORMATION_HOSTS else variants):
            for path, props in single_junk(schema, variant):
                if isinstance(props, dict):
                    yield (
                        f"{kind} {path} (variant {variant})",
                        Resource(type=kind, name=name, urn=f"urn:pulumi:dev::p::{kind}::{name}", props=props),
                    )


def single_junk_configs(rule: ModuleType) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rule's default config with one key (or one item or property of it) wrong, every key.

    Without secrets: config is the organisation's, and messages may name its keys.
    """
    defaults = {key: prop.get("default") for key, prop in rule.META.config_schema.items()}
    wrong_values = [v for v in WRONG_VALUES if SECRET_MARKER not in repr(v)]
    for key, prop in rule.META.config_schema.items():
        shaped: list[Any] = list(wrong_values)
        if prop.get("type") == "array":
            shaped += [[value] for value in wrong_values]
        if prop.get("type") == "object":
            shaped += [{name: value} for name in prop.get("properties", {}) for value in wrong_values]
            shaped += [{"Environment": value} for value in wrong_values]
        for value in shaped:
            yield f"config {key}={value!r}", {**defaults, key: value}


def junk_failures(
    rule: ModuleType, judge: Callable[[Resource, Mapping[str, Any]], list[str]], name: str = "thing"
) -> list[str]:
    """Every place where single-point junk makes `judge` raise or a message show a secret."""
    defaults = {key: prop.get("default") for key, prop in rule.META.config_schema.items()}
    cases = [(where, resource, defaults) for where, resource in single_junk_resources(rule, name=name)]
    kind, schema = sorted(PROPERTY_SCHEMAS[rule].items())[0]
    resource = Resource(
        type=kind, name=name, urn=f"urn:pulumi:dev::p::{kind}::{name}", props=baseline(schema)
    )
    cases += [(where, resource, config) for where, config in single_junk_configs(rule)]
    found = []
    for where, resource, config in cases:
        try:
            messages = judge(resource, config)
        except Exception as exc:  # noqa: BLE001 - report every failing place, not only the first
            found.append(f"{where}: raises {exc!r}")
            continue
        if not secret_free(messages):
            found.append(f"{where}: a message shows a secret: {messages}")
    return found


def _config_values(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """A config value shaped like its JSON schema (with junk inside), or any wrong value."""
    kind = schema.get("type")
    if kind == "array":
        item = st.one_of(_config_values(schema.get("items", {})), wrong_config)
        return st.one_of(st.lists(item, max_size=4), wrong_config)
    if kind == "object":
        props = schema.get("properties", {})
        fixed = st.fixed_dictionaries({}, optional={k: _config_values(v) for k, v in props.items()})
        free = schema.get("additionalProperties")
        if isinstance(free, Mapping):
            keys = st.one_of(st.sampled_from(REQUIRED), st.text(max_size=6))
            fixed = st.tuples(fixed, st.dictionaries(keys, _config_values(free), max_size=3)).map(
                lambda pair: {**pair[1], **pair[0]}
            )
        return st.one_of(fixed, wrong_config)
    examples = [schema["default"]] if "default" in schema else []
    examples += list(schema.get("enum", []))
    if kind == "string":
        examples += ["", "*", "dynamodb:*", "Environment", "(unclosed"]
    return st.one_of(st.sampled_from(examples), wrong_config) if examples else wrong_config


def junk_configs(rule: ModuleType) -> st.SearchStrategy[dict[str, Any]]:
    """Config for the rule: each key of its META.config_schema absent, right-shaped junk, or wrong."""
    schema = rule.META.config_schema
    return st.fixed_dictionaries({}, optional={key: _config_values(prop) for key, prop in schema.items()})


def secret_free(messages: list[str]) -> bool:
    return all(SECRET_MARKER not in message for message in messages)
