"""Small readers over a synthesized CloudFormation template (plain JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

Resources = dict[str, dict[str, Any]]


def of_type(resources: Resources, resource_type: str) -> dict[str, dict[str, Any]]:
    """Logical id -> properties of every resource of one type."""
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in resources.items()
        if resource["Type"] == resource_type
    }


def render(value: Any) -> str:
    """A CloudFormation value as text: literals kept, `Ref`/`Fn::GetAtt` shown as `<LogicalId>`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return f"<{value['Fn::GetAtt'][0]}>"
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(render(part) for part in parts)
    return json.dumps(value, sort_keys=True)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def function_with_handler(resources: Resources, handler: str) -> tuple[str, dict[str, Any]]:
    """The one Lambda function running `handler`: its logical id and properties."""
    matches = {
        logical_id: properties
        for logical_id, properties in of_type(resources, "AWS::Lambda::Function").items()
        if properties["Handler"] == handler
    }
    assert len(matches) == 1, f"expected one function with handler {handler}"
    return next(iter(matches.items()))


def get_att(logical_id: str, attribute: str = "Arn") -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, attribute]}


def role_logical_id(function: dict[str, Any]) -> str:
    return function["Role"]["Fn::GetAtt"][0]


def role_statements(resources: Resources, role_id: str) -> list[dict[str, Any]]:
    """Every identity-policy statement attached to one role (inline policies and AWS::IAM::Policy)."""
    statements: list[dict[str, Any]] = []
    for policy in resources[role_id]["Properties"].get("Policies", []):
        statements += as_list(policy["PolicyDocument"]["Statement"])
    for policy in of_type(resources, "AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Roles"]:
            statements += as_list(policy["PolicyDocument"]["Statement"])
    return statements


def all_identity_statements(resources: Resources) -> Iterator[dict[str, Any]]:
    for role_id in of_type(resources, "AWS::IAM::Role"):
        yield from role_statements(resources, role_id)
    for policy in of_type(resources, "AWS::IAM::ManagedPolicy").values():
        yield from as_list(policy["PolicyDocument"]["Statement"])


def actions(statement: dict[str, Any]) -> list[str]:
    return as_list(statement.get("Action", []))


def resource_paths(resources: Resources) -> dict[str, str]:
    """API Gateway resource logical id -> its full path, e.g. `/contacts/{proxy+}`."""
    api_resources = of_type(resources, "AWS::ApiGateway::Resource")

    def path_of(logical_id: str) -> str:
        properties = api_resources[logical_id]
        parent = properties["ParentId"]
        prefix = path_of(parent["Ref"]) if "Ref" in parent else ""  # GetAtt RootResourceId: the root
        return f"{prefix}/{properties['PathPart']}"

    return {logical_id: path_of(logical_id) for logical_id in api_resources}
