"""Readers of pulumi-aws (classic) IAM forms into permission views."""

from __future__ import annotations

from ..model import Resource
from ..views.permissions import HolderView, Permissions, holder_names, tag_maps
from .common import PermissionReader
from .iam_forms import document_permissions, principal_permissions


def _holder(resource: Resource, owner_prop: str | None = None, *, tagged: bool = True) -> HolderView:
    props = resource.props
    candidates = [("name", props.get("name")), ("logical name", resource.name)]
    if owner_prop is not None:
        candidates.append((owner_prop, props.get(owner_prop)))
    tags = tag_maps(props.get("tagsAll"), props.get("tags")) if tagged else ()
    return HolderView(holder_names(*candidates), tags)


def policy_document_reader(owner_prop: str | None) -> PermissionReader:
    """RolePolicy (`role`), UserPolicy (`user`), GroupPolicy (`group`): `policy`, no tags; Policy
    (no owner): `policy` and tags."""

    def read(resource: Resource) -> Permissions:
        return document_permissions(
            resource, "policy", _holder(resource, owner_prop, tagged=owner_prop is None)
        )

    return read


def read_role(resource: Resource) -> Permissions:
    """A role's `inlinePolicies[].policy` and `managedPolicyArns`."""
    return principal_permissions(resource, "inlinePolicies", "policy", _holder(resource))
