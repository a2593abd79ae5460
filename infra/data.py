"""The single DynamoDB table, built from `catalogue.TABLE`."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from crm.catalogue import TABLE, TableSpec


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class DataStore(Construct):
    """One table for every tenant: keys lead with `T#<tenant_id>`, so IAM can scope access per tenant."""

    def __init__(self, scope: Construct, construct_id: str, *, spec: TableSpec = TABLE) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec
        self.table = dynamodb.Table(
            self,
            spec.logical_name,
            partition_key=_string_key(spec.partition_key),
            sort_key=_string_key(spec.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=True,
            stream=dynamodb.StreamViewType[spec.stream_view],
            time_to_live_attribute=spec.ttl_attribute,
            # Tenant data outlives any one deployment of the stack.
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in spec.indexes:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_string_key(index.partition_key),
                sort_key=_string_key(index.sort_key),
                projection_type=dynamodb.ProjectionType.ALL,
            )

    @property
    def item_arns(self) -> list[str]:
        """ARNs an item-level IAM statement needs: the table and each of its indexes, by name."""
        return [
            self.table.table_arn,
            *(f"{self.table.table_arn}/index/{index.name}" for index in self.spec.indexes),
        ]
