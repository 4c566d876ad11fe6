"""Readers of aws-native IAM forms (CloudFormation's AWS::IAM::* in wire form) into permission views.

Plain functions of wire properties: they read an `aws-native:iam:*` resource and a record expanded
from an embedded CloudFormation template alike. Property names are CloudFormation's, camelCased:
`policyDocument` (an object, or its JSON string), `policies: [{policyName, policyDocument}]`,
`managedPolicyArns`, `roleName` / `userName` / `groupName`, tags as `[{key, value}]`.
"""

from __future__ import annotations

from ..model import Resource
from ..views.permissions import HolderView, Permissions, holder_names, tag_list
from .common import PermissionReader
from .iam_forms import document_permissions, principal_permissions


def _holder(resource: Resource, *candidates: tuple[str, object], tagged: bool = False) -> HolderView:
    names = holder_names(*candidates, ("logical name", resource.name))
    return HolderView(names, (tag_list(resource.props.get("tags")),) if tagged else ())


def principal_reader(name_prop: str) -> PermissionReader:
    """Role (`roleName`), User (`userName`), Group (`groupName`): inline `policies` and
    `managedPolicyArns`."""

    def read(resource: Resource) -> Permissions:
        # Roles and users take tags; groups do not (CloudFormation's AWS::IAM::Group).
        holder = _holder(resource, ("name", resource.props.get(name_prop)), tagged=name_prop != "groupName")
        return principal_permissions(resource, "policies", "policyDocument", holder)

    return read


def inline_policy_reader(owner_prop: str, owner: str) -> PermissionReader:
    """RolePolicy (`roleName`), UserPolicy (`userName`), GroupPolicy (`groupName`): `policyDocument`."""

    def read(resource: Resource) -> Permissions:
        props = resource.props
        holder = _holder(resource, ("name", props.get("policyName")), (owner, props.get(owner_prop)))
        return document_permissions(resource, "policyDocument", holder)

    return read


def standalone_policy_reader(name_prop: str) -> PermissionReader:
    """ManagedPolicy (`managedPolicyName`) and CloudFormation's AWS::IAM::Policy (`policyName`):
    `policyDocument`, attached to `roles`, `users`, `groups` (names)."""

    def read(resource: Resource) -> Permissions:
        props = resource.props
        holder = _holder(
            resource,
            ("name", props.get(name_prop)),
            ("role", props.get("roles")),
            ("user", props.get("users")),
            ("group", props.get("groups")),
        )
        return document_permissions(resource, "policyDocument", holder)

    return read
