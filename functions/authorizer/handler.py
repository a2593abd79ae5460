"""API Gateway REQUEST authorizer: `Authorization: Bearer <key>` -> tenant, role, scopes, tier and the
usage-plan key. Everything downstream trusts only this context for who the caller is."""

from __future__ import annotations

import os
from typing import Any

from crm import observability
from crm.catalogue import ENV_OPERATOR_KEY, ENV_OPERATOR_SECRET_ARN
from crm.store import SystemTable
from tenants import apikeys
from tenants.repository import read_key

_operator_digest: str | None = None


def _operator_key_digest() -> str | None:
    """The operator key's hash: from the environment locally, from Secrets Manager in the cloud
    (fetched once per container)."""
    global _operator_digest
    if _operator_digest is None:
        key = os.environ.get(ENV_OPERATOR_KEY)
        if not key and os.environ.get(ENV_OPERATOR_SECRET_ARN):
            import boto3

            key = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ[ENV_OPERATOR_SECRET_ARN])[
                "SecretString"
            ]
        _operator_digest = apikeys.digest(key) if key else ""
    return _operator_digest or None


def _allow(event: dict[str, Any], principal: str, context: dict[str, str], usage_key: str | None) -> dict[str, Any]:
    # The result is cached per Authorization header, so allow every route of this API stage; what the
    # caller may do is decided by the functions from the context.
    arn = event.get("methodArn", "*")
    api, _, _ = arn.partition("/")
    stage = arn.split("/")[1] if arn.count("/") >= 1 else "*"
    response: dict[str, Any] = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": f"{api}/{stage}/*/*"}],
        },
        "context": context,
    }
    if usage_key:
        response["usageIdentifierKey"] = usage_key
    return response


def _unauthorized() -> Exception:
    # API Gateway turns exactly this message into a 401 (the UNAUTHORIZED gateway response).
    return Exception("Unauthorized")


def identify(authorization: str | None) -> tuple[dict[str, str], str | None] | None:
    """Who an `Authorization: Bearer <key>` header names: (the context every function trusts, the usage-plan
    key), or None for no valid key. The one check of an API key, for the gateway and for the one public
    route that answers a caller it knows differently (the OpenAPI document, typed for the caller's tenant)."""
    key = apikeys.bearer(authorization)
    if not key:
        return None
    operator = _operator_key_digest()
    if operator and apikeys.matches(key, operator):
        return {"role": "operator", "tenant_id": "", "scopes": "", "tier": ""}, None
    parsed = apikeys.parse(key)
    if parsed is None:
        return None
    try:
        stored, tenant = read_key(parsed.tenant_id, parsed.key_id, SystemTable())
    except Exception:  # e.g. throttled: say which key, as claimed (it is not verified yet)
        observability.get_logger().exception(
            "could not read the API key", extra={"claimed_tenant_id": parsed.tenant_id, "claimed_key_id": parsed.key_id}
        )
        raise
    if not stored or stored.get("revoked_at") or not apikeys.matches(key, stored["digest"]):
        return None
    if not tenant or tenant.get("status") != "active":
        return None
    context = {
        "tenant_id": parsed.tenant_id,
        "key_id": parsed.key_id,
        "role": stored["role"],
        "scopes": ",".join(stored.get("scopes") or []),
        "tier": tenant["tier"],
        "region": tenant.get("default_region", "US"),
    }
    return context, tenant.get("usage_key_value")


@observability.observed  # Lambda context on its log lines; Powertools loads only if a line is written
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    identified = identify(headers.get("authorization"))
    if identified is None:
        raise _unauthorized()
    caller, usage_key = identified
    principal = "operator" if caller["role"] == "operator" else caller["key_id"]
    return _allow(event, principal, caller, usage_key)
