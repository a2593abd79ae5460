"""Who may touch what: table access per spec, the tenant data role (ABAC), the operator key.

Every permission here is derived from a catalogue `FunctionSpec`; nobody ever gets `dynamodb:Scan`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from crm.catalogue import (
    ENV_OPERATOR_SECRET_ARN,
    ENV_TENANT_ROLE_ARN,
    TENANT_KEY_PREFIX,
    TENANT_SESSION_TAG,
    FunctionSpec,
    TableAccess,
)
from infra.data import DataStore
from infra.nag import acknowledge

READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem")
# TransactWriteItems is authorized per underlying Put/Update/Delete/ConditionCheck, so it needs no entry.
WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
)
TABLE_ACTIONS: Mapping[TableAccess, tuple[str, ...]] = {
    "none": (),
    "read": READ_ACTIONS,
    "read_write": READ_ACTIONS + WRITE_ACTIONS,
}

# The session tag a tenant-scoped function sets when it assumes the tenant data role, and the key prefix
# every tenant partition key starts with (`T#<tenant_id>`, see catalogue.TableSpec).

OPERATOR_KEY_LENGTH = 48


@dataclass(frozen=True)
class GrantableResource:
    """What a catalogue `extra_permissions` resource kind resolves to."""

    # Granted the spec's actions.
    arns: Sequence[str]
    # Or, where using the kind is a fixed set of calls that each need their own action on their own resource
    # (API Gateway authorizes by HTTP verb and path), one statement per call, granted as they are: the kind then
    # owns the exact actions, and the spec's actions only say that it uses the kind.
    statements: Sequence[iam.PolicyStatement] = ()
    # How a function granted this resource finds it at runtime.
    environment: Mapping[str, str] = field(default_factory=dict)
    # cdk-nag findings (e.g. a wildcard ARN) that granting it causes, with the reason each is accepted.
    accepted_findings: Mapping[str, str] = field(default_factory=dict)


class Access(Construct):
    """Grants each function exactly what its spec asks for.

    Tenant-scoped functions get no table access of their own: per request they assume the tenant data
    role with a `tenant_id` session tag, and that role may only touch keys leading with that tenant.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Sequence[FunctionSpec],
        functions: Mapping[str, lambda_.Function],
        roles: Mapping[str, iam.Role],
        data: DataStore,
        usage_plans: GrantableResource,
        workflow_machine: GrantableResource,
    ) -> None:
        super().__init__(scope, construct_id)
        self._data = data
        self.operator_secret = secretsmanager.Secret(
            self,
            "OperatorKey",
            description="Operator API key for the CRM's tenant administration routes",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True, password_length=OPERATOR_KEY_LENGTH
            ),
        )
        acknowledge(
            self.operator_secret,
            "AwsSolutions-SMG4",
            "The operator key is a bearer credential handed to people; operators rotate it by hand.",
        )
        resource_kinds: dict[str, GrantableResource] = {
            "operator_secret": GrantableResource(
                arns=[self.operator_secret.secret_arn],
                environment={ENV_OPERATOR_SECRET_ARN: self.operator_secret.secret_arn},
            ),
            "usage_plans": usage_plans,
            "workflow_machine": workflow_machine,
        }

        tenant_scoped = [spec for spec in specs if spec.tenant_scoped]
        self.tenant_data_role = (
            self._tenant_data_role([roles[spec.name] for spec in tenant_scoped]) if tenant_scoped else None
        )
        for spec in specs:
            role, function = roles[spec.name], functions[spec.name]
            self._grant_table_access(spec, role, function)
            for actions, kind in spec.extra_permissions:
                if kind not in resource_kinds:
                    raise ValueError(f"{spec.name}: unknown resource kind {kind!r} in extra_permissions")
                resource = resource_kinds[kind]
                if resource.arns:
                    role.add_to_policy(iam.PolicyStatement(actions=list(actions), resources=list(resource.arns)))
                for statement in resource.statements:
                    role.add_to_policy(statement.copy())  # a statement belongs to one policy
                for name, value in resource.environment.items():
                    function.add_environment(name, value)
                for finding, reason in resource.accepted_findings.items():
                    acknowledge(role, finding, reason)

    def _grant_table_access(self, spec: FunctionSpec, role: iam.Role, function: lambda_.Function) -> None:
        actions = TABLE_ACTIONS[spec.table_access]
        if not actions:
            return
        if spec.tenant_scoped:
            assert self.tenant_data_role is not None
            role.add_to_policy(
                iam.PolicyStatement(
                    actions=["sts:AssumeRole", "sts:TagSession"],
                    resources=[self.tenant_data_role.role_arn],
                )
            )
            function.add_environment(ENV_TENANT_ROLE_ARN, self.tenant_data_role.role_arn)
            return
        role.add_to_policy(iam.PolicyStatement(actions=list(actions), resources=self._data.item_arns))

    def _tenant_data_role(self, trusted_roles: Sequence[iam.IRole]) -> iam.Role:
        tenant_tag = f"${{aws:PrincipalTag/{TENANT_SESSION_TAG}}}"
        trusted = iam.CompositePrincipal(*(iam.ArnPrincipal(role.role_arn) for role in trusted_roles))
        role = iam.Role(
            self,
            "TenantDataRole",
            description="Assumed per request with a tenant_id session tag; only that tenant's keys",
            # A session without the tenant tag (or with other tags) cannot be started at all.
            assumed_by=trusted.with_conditions(
                {
                    "StringLike": {f"aws:RequestTag/{TENANT_SESSION_TAG}": "*"},
                    "ForAllValues:StringEquals": {"aws:TagKeys": [TENANT_SESSION_TAG]},
                }
            ).with_session_tags(),
            max_session_duration=Duration.hours(1),
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=list(TABLE_ACTIONS["read_write"]),
                resources=self._data.item_arns,
                conditions={
                    # Every key of every item touched must lead with the caller's tenant. Session tag
                    # values cannot contain `*`, so a tenant id cannot widen the pattern.
                    "ForAllValues:StringLike": {
                        "dynamodb:LeadingKeys": [
                            f"{TENANT_KEY_PREFIX}{tenant_tag}",
                            f"{TENANT_KEY_PREFIX}{tenant_tag}#*",
                        ]
                    },
                    "Null": {f"aws:PrincipalTag/{TENANT_SESSION_TAG}": "false"},
                },
            )
        )
        return role
