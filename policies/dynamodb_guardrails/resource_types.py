"""Pulumi type tokens the pack reasons about, named once."""

DYNAMODB_TABLE = "aws:dynamodb/table:Table"
DYNAMODB_TABLE_REPLICA = "aws:dynamodb/tableReplica:TableReplica"
DYNAMODB_CONTRIBUTOR_INSIGHTS = "aws:dynamodb/contributorInsights:ContributorInsights"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SNS_TOPIC = "aws:sns/topic:Topic"

IAM_ROLE = "aws:iam/role:Role"
IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy"
IAM_GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
IAM_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
IAM_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
IAM_USER_POLICY_ATTACHMENT = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
IAM_GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = (
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
)
IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE = (
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive"
)
IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE = (
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive"
)
DYNAMODB_RESOURCE_POLICY = "aws:dynamodb/resourcePolicy:ResourcePolicy"
SSO_PERMISSION_SET_INLINE_POLICY = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
SSO_MANAGED_POLICY_ATTACHMENT = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE = (
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive"
)

# aws-native (CloudFormation semantics; wire names are CloudFormation's, camelCased). The same
# tokens name the records expanded from an embedded CloudFormation template.
NATIVE_DYNAMODB_TABLE = "aws-native:dynamodb:Table"
NATIVE_DYNAMODB_GLOBAL_TABLE = "aws-native:dynamodb:GlobalTable"
NATIVE_IAM_ROLE = "aws-native:iam:Role"
NATIVE_IAM_USER = "aws-native:iam:User"
NATIVE_IAM_GROUP = "aws-native:iam:Group"
NATIVE_IAM_ROLE_POLICY = "aws-native:iam:RolePolicy"
NATIVE_IAM_USER_POLICY = "aws-native:iam:UserPolicy"
NATIVE_IAM_GROUP_POLICY = "aws-native:iam:GroupPolicy"
NATIVE_IAM_MANAGED_POLICY = "aws-native:iam:ManagedPolicy"
# AWS::IAM::Policy: not a resource of pulumi-aws-native 1.84.0, but CloudFormation templates use it.
NATIVE_IAM_POLICY = "aws-native:iam:Policy"
NATIVE_SSO_PERMISSION_SET = "aws-native:sso:PermissionSet"
NATIVE_CLOUDWATCH_ALARM = "aws-native:cloudwatch:Alarm"

# Stacks that carry a CloudFormation template (readers/cloudformation.py reads it).
CLOUDFORMATION_STACK = "aws:cloudformation/stack:Stack"
NATIVE_CLOUDFORMATION_STACK = "aws-native:cloudformation:Stack"
CLOUDFORMATION_HOSTS = frozenset({CLOUDFORMATION_STACK, NATIVE_CLOUDFORMATION_STACK})
