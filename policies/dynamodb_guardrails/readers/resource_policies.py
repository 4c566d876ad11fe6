"""Readers of DynamoDB resource-based policies into permission views.

- pulumi-aws `aws:dynamodb/resourcePolicy:ResourcePolicy`: `policy` on `resourceArn` (a table or
  stream ARN, which also says the table's account);
- aws-native `dynamodb:Table`: `resourcePolicy.policyDocument` and
  `streamSpecification.resourcePolicy.policyDocument`; the table's account comes from its `arn`
  when the engine knows it (outputs), else it is unknown;
- aws-native `dynamodb:GlobalTable`: the same two per replica (`replicas[].resourcePolicy`,
  `replicas[].replicaStreamSpecification.resourcePolicy`).
Resource policies carry no read-only intent: a table's name says nothing about who may write it.
"""

from __future__ import annotations

from typing import Any

from ..model import UNKNOWN, Resource
from ..values import as_list, as_mapping, get_path
from ..views.permissions import DocumentView, Permissions, resource_document
from .common import resource_label


def read_resource_policy(resource: Resource) -> Permissions:
    label = resource_label(resource)
    props = resource.props
    return Permissions(label, (resource_document(label, props.get("policy"), props.get("resourceArn")),))


_TABLE_POLICIES = (("resourcePolicy",), ("streamSpecification", "resourcePolicy"))
_REPLICA_POLICIES = (("resourcePolicy",), ("replicaStreamSpecification", "resourcePolicy"))


def _embedded(label: str, owner: Any, arn: Any, paths: tuple[tuple[str, ...], ...]) -> list[DocumentView]:
    """The table's (or replica's) own and its stream's resource policy, where present."""
    documents = []
    for path in paths:
        where = ".".join(path)
        policy = get_path(owner, *path)
        if policy is None:
            continue
        document = UNKNOWN if policy is UNKNOWN else as_mapping(policy).get("policyDocument")
        documents.append(resource_document(f"{label} {where}", document, arn))
    return documents


def read_native_table(resource: Resource) -> Permissions:
    label = resource_label(resource)
    documents = _embedded(label, resource.props, resource.props.get("arn"), _TABLE_POLICIES)
    return Permissions(label, tuple(documents))


def read_native_global_table(resource: Resource) -> Permissions:
    label = resource_label(resource)
    replicas = resource.props.get("replicas")
    arn = resource.props.get("arn")  # the replicas share the global table's account
    documents: list[DocumentView] = []
    for index, replica in enumerate(as_list(replicas) if replicas is not UNKNOWN else []):
        documents.extend(_embedded(f"{label} replicas[{index}]", replica, arn, _REPLICA_POLICIES))
    return Permissions(label, tuple(documents))
