"""The IAM resource forms both providers (and IAM Identity Center) share, read once; each reader
names only its wire properties and how it finds the holder's names and tags.

- a principal (role, user, group): inline policies as a list of `{name, document}` entries, and
  managed policy ARNs;
- a policy resource: one document;
- an attachment: one managed policy ARN, or a list of them.
"""

from __future__ import annotations

from ..model import UNKNOWN, Resource
from ..values import as_list, as_mapping
from ..views.permissions import AttachmentView, HolderView, Permissions, identity_document, policy_arns
from .common import PermissionReader, resource_label


def principal_permissions(
    resource: Resource, inline_prop: str, document_prop: str, holder: HolderView
) -> Permissions:
    """`<inline_prop>[].<document_prop>` documents and `managedPolicyArns` attachments."""
    label = resource_label(resource)
    props = resource.props
    inline = props.get(inline_prop)
    entries = as_list(inline) if inline is not UNKNOWN else []
    documents = tuple(
        identity_document(f"{label} {inline_prop}[{index}]", as_mapping(entry).get(document_prop))
        for index, entry in enumerate(entries)
    )
    attachments = (AttachmentView(label, policy_arns(props.get("managedPolicyArns"))),)
    return Permissions(label, documents, attachments, holder)


def document_permissions(resource: Resource, document_prop: str, holder: HolderView) -> Permissions:
    """The one identity-based document a policy resource holds in `document_prop`."""
    label = resource_label(resource)
    return Permissions(label, (identity_document(label, resource.props.get(document_prop)),), (), holder)


def attachment_reader(arn_prop: str) -> PermissionReader:
    """A resource that attaches the managed policies named by `arn_prop` (an ARN or a list)."""

    def read(resource: Resource) -> Permissions:
        label = resource_label(resource)
        return Permissions(label, (), (AttachmentView(label, policy_arns(resource.props.get(arn_prop))),))

    return read
