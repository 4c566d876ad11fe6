"""A DynamoDB table (and its contributor insights) from a TableSpec."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from dynamodb_stack import naming
from dynamodb_stack.args import DynamoDbStackArgs
from dynamodb_stack.specs import GlobalSecondaryIndex, TableSpec


def _index_args(index: GlobalSecondaryIndex) -> aws.dynamodb.TableGlobalSecondaryIndexArgs:
    # key_schemas, not the deprecated hash_key/range_key of an index.
    key_schemas = [
        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(attribute_name=index.hash_key, key_type="HASH")
    ]
    if index.range_key:
        key_schemas.append(
            aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                attribute_name=index.range_key, key_type="RANGE"
            )
        )
    return aws.dynamodb.TableGlobalSecondaryIndexArgs(
        name=index.name,
        key_schemas=key_schemas,
        projection_type=index.projection_type,
        non_key_attributes=list(index.non_key_attributes) or None,
    )


def create_table(parent: pulumi.Resource, spec: TableSpec, args: DynamoDbStackArgs) -> aws.dynamodb.Table:
    table = aws.dynamodb.Table(
        naming.table_resource_name(spec, args.environment),
        aws.dynamodb.TableArgs(
            name=naming.physical_table_name(spec, args.environment),
            billing_mode="PAY_PER_REQUEST",
            hash_key=spec.hash_key,
            range_key=spec.range_key,
            attributes=[
                aws.dynamodb.TableAttributeArgs(name=attribute.name, type=attribute.type)
                for attribute in spec.attributes
            ],
            stream_enabled=spec.stream_enabled,
            stream_view_type=spec.stream_view_type,
            # Enabled without a KMS key: the AWS-managed key (aws/dynamodb), the level the pack requires.
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True),
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(
                enabled=spec.point_in_time_recovery
            ),
            global_secondary_indexes=[_index_args(index) for index in spec.global_secondary_indexes] or None,
            deletion_protection_enabled=args.protect_tables,
            tags=args.tags.as_dict(),
        ),
        opts=pulumi.ResourceOptions(parent=parent, protect=args.protect_tables),
    )
    if spec.contributor_insights:
        aws.dynamodb.ContributorInsights(
            naming.contributor_insights_resource_name(spec, args.environment),
            aws.dynamodb.ContributorInsightsArgs(table_name=table.name),
            opts=pulumi.ResourceOptions(parent=parent),
        )
    return table
