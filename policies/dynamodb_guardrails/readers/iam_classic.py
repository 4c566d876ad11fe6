"""Readers of pulumi-aws (classic) IAM forms into permission views."""

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
    tag_maps,
)
from .common import PermissionReader, resource_label


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
        label = resource_label(resource)
        document = identity_document(label, resource.props.get("policy"))
        holder = _holder(resource, owner_prop, tagged=owner_prop is None)
        return Permissions(label, (document,), (), holder)

    return read


def read_role(resource: Resource) -> Permissions:
    """A role's `inlinePolicies[].policy` and `managedPolicyArns`."""
    label = resource_label(resource)
    props = resource.props
    inline = props.get("inlinePolicies")
    entries = as_list(inline) if inline is not UNKNOWN else []
    documents = tuple(
        identity_document(f"{label} inlinePolicies[{index}]", as_mapping(entry).get("policy"))
        for index, entry in enumerate(entries)
    )
    attachments = (AttachmentView(label, policy_arns(props.get("managedPolicyArns"))),)
    return Permissions(label, documents, attachments, _holder(resource))


def attachment_reader(arn_prop: str) -> PermissionReader:
    """Role/User/Group/PolicyAttachment (`policyArn`) and the *AttachmentsExclusive (`policyArns`)."""

    def read(resource: Resource) -> Permissions:
        label = resource_label(resource)
        attachment = AttachmentView(label, policy_arns(resource.props.get(arn_prop)))
        return Permissions(label, (), (attachment,), HolderView())

    return read
