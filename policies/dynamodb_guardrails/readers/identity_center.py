"""Readers of IAM Identity Center permission sets into permission views, judged like roles.

- pulumi-aws `ssoadmin/permissionSetInlinePolicy` (`inlinePolicy`), `ssoadmin/managedPolicyAttachment`
  (`managedPolicyArn`) and `ssoadmin/managedPolicyAttachmentsExclusive` (`managedPolicyArns`);
- aws-native `sso:PermissionSet`: its own `inlinePolicy` (object or JSON string) and
  `managedPolicies` (ARNs), name and `[{key, value}]` tags.
Customer-managed policy attachments (`customerManagedPolicyReference`) name a policy that lives in
each target account; its document is judged where it is defined (an IAM Policy), as for roles.
"""

from __future__ import annotations

from ..model import Resource
from ..views.permissions import (
    AttachmentView,
    HolderView,
    Permissions,
    holder_names,
    identity_document,
    policy_arns,
    tag_list,
)
from .common import resource_label
from .iam_forms import document_permissions


def read_inline_policy(resource: Resource) -> Permissions:
    holder = HolderView(holder_names(("logical name", resource.name)))
    return document_permissions(resource, "inlinePolicy", holder)


def read_native_permission_set(resource: Resource) -> Permissions:
    label = resource_label(resource)
    props = resource.props
    inline = props.get("inlinePolicy")
    documents = () if inline is None else (identity_document(f"{label} inlinePolicy", inline),)
    attachments = (AttachmentView(label, policy_arns(props.get("managedPolicies"))),)
    holder = HolderView(
        holder_names(("name", props.get("name")), ("logical name", resource.name)),
        (tag_list(props.get("tags")),),
    )
    return Permissions(label, documents, attachments, holder)
