"""Readers of aws-native IAM forms (CloudFormation's AWS::IAM::* in wire form) into permission views.

Plain functions of wire properties: they read an `aws-native:iam:*` resource and a record expanded
from an embedded CloudFormation template alike. Property names are CloudFormation's, camelCased:
`policyDocument` (an object, or its JSON string), `policies: [{policyName, policyDocument}]`,
`managedPolicyArns`, `roleName` / `userName` / `groupName`, tags as `[{key, value}]`.
"""

from __future__ import annotations

from ..model import UNKNOWN, Resource
from ..values import as_list, as_mapping
from ..views.permissions import (
    AttachmentView,
    HolderView,
    Permissions,
    holder_names,
    identity_document,
    policy_arns,
    tag_list,
)
from .common import PermissionReader, resource_label


def _holder(resource: Resource, *candidates: tuple[str, object], tagged: bool = False) -> HolderView:
    names = holder_names(*candidates, ("logical name", resource.name))
    return HolderView(names, (tag_list(resource.props.get("tags")),) if tagged else ())


def principal_reader(name_prop: str) -> PermissionReader:
    """Role (`roleName`), User (`userName`), Group (`groupName`): inline `policies` and
    `managedPolicyArns`."""

    def read(resource: Resource) -> Permissions:
        label = resource_label(resource)
        props = resource.props
        inline = props.get("policies")
        entries = as_list(inline) if inline is not UNKNOWN else []
        documents = tuple(
            identity_document(f"{label} policies[{index}]", as_mapping(entry).get("policyDocument"))
            for index, entry in enumerate(entries)
        )
        attachments = (AttachmentView(label, policy_arns(props.get("managedPolicyArns"))),)
        # Roles and users take tags; groups do not (CloudFormation's AWS::IAM::Group).
        holder = _holder(resource, ("name", props.get(name_prop)), tagged=name_prop != "groupName")
        return Permissions(label, documents, attachments, holder)

    return read


def inline_policy_reader(owner_prop: str, owner: str) -> PermissionReader:
    """RolePolicy (`roleName`), UserPolicy (`userName`), GroupPolicy (`groupName`): `policyDocument`."""

    def read(resource: Resource) -> Permissions:
        label = resource_label(resource)
        props = resource.props
        document = identity_document(label, props.get("policyDocument"))
        holder = _holder(resource, ("name", props.get("policyName")), (owner, props.get(owner_prop)))
        return Permissions(label, (document,), (), holder)

    return read


def standalone_policy_reader(name_prop: str) -> PermissionReader:
    """ManagedPolicy (`managedPolicyName`) and CloudFormation's AWS::IAM::Policy (`policyName`):
    `policyDocument`, attached to `roles`, `users`, `groups` (names)."""

    def read(resource: Resource) -> Permissions:
        label = resource_label(resource)
        props = resource.props
        document = identity_document(label, props.get("policyDocument"))
        holder = _holder(
            resource,
            ("name", props.get(name_prop)),
            ("role", props.get("roles")),
            ("user", props.get("users")),
            ("group", props.get("groups")),
        )
        return Permissions(label, (document,), (), holder)

    return read
