"""Who is calling: roles, scopes and the authorizer context (crm.tenancy)."""

from __future__ import annotations

import pytest

from crm.errors import Forbidden, Unauthorized
from crm.tenancy import Caller, effective_actions, known_actions

TENANT = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _caller(role: str, scopes: str = "", tenant_id: str = TENANT) -> Caller:
    return Caller.from_authorizer(
        {"role": role, "tenant_id": tenant_id, "key_id": "K1", "tier": "basic", "scopes": scopes}
    )


ROLE_MATRIX = {
    #                 records:read records:write keys:read keys:write tenants:read tenants:write
    "read_only": (True, False, False, False, False, False),
    "member": (True, True, False, False, False, False),
    "admin": (True, True, True, True, False, False),
    "operator": (False, False, False, False, True, True),
}
ACTIONS = ("records:read", "records:write", "keys:read", "keys:write", "tenants:read", "tenants:write")


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (role, action, allowed)
        for role, row in ROLE_MATRIX.items()
        for action, allowed in zip(ACTIONS, row, strict=True)
    ],
)
def test_given_a_role_when_it_asks_for_an_action_then_only_its_grants_allow_it(role, action, allowed):
    caller = _caller(role, tenant_id="" if role == "operator" else TENANT)
    assert caller.can(action) is allowed
    if allowed:
        caller.require(action)
    else:
        with pytest.raises(Forbidden) as error:
            caller.require(action)
        assert error.value.status == 403
        assert action in error.value.detail


@pytest.mark.parametrize(
    ("role", "scopes", "allowed", "denied"),
    [
        ("admin", "records:read", {"records:read"}, {"records:write", "keys:read", "keys:write"}),
        ("admin", "records:*", {"records:read", "records:write"}, {"keys:read", "webhooks:read"}),
        ("admin", "keys:read,records:read", {"keys:read", "records:read"}, {"keys:write", "records:write"}),
        # Scopes only narrow: a read_only key scoped to writes still cannot write (and now cannot read).
        ("read_only", "records:write", set(), {"records:read", "records:write"}),
        ("member", "keys:*", set(), {"keys:read", "keys:write", "records:read"}),
    ],
)
def test_given_a_key_with_scopes_when_it_asks_for_actions_then_scopes_only_narrow_its_role(
    role, scopes, allowed, denied
):
    caller = _caller(role, scopes)
    assert {a for a in allowed | denied if caller.can(a)} == allowed


@pytest.mark.parametrize(
    "context",
    [
        None,
        {},
        {"role": "root", "tenant_id": TENANT},
        {"role": "", "tenant_id": TENANT},
        {"role": "admin"},
        {"role": "member", "tenant_id": ""},
        {"role": "read_only", "tenant_id": None},
    ],
)
def test_given_no_or_an_incomplete_authorizer_context_when_read_then_the_caller_is_unauthorized(context):
    with pytest.raises(Unauthorized) as error:
        Caller.from_authorizer(context)
    assert error.value.status == 401


def test_given_an_authorizer_context_when_read_then_the_caller_carries_tenant_key_and_scopes():
    caller = _caller("member", "records:read,,records:write,")
    assert caller == Caller(
        role="member",
        tenant_id=TENANT,
        key_id="K1",
        scopes=frozenset({"records:read", "records:write"}),
    )


def test_given_the_operator_when_it_asks_for_a_tenant_route_then_it_is_forbidden():
    operator = Caller.from_authorizer({"role": "operator", "tenant_id": "", "scopes": "", "tier": ""})
    assert operator.tenant_id is None
    with pytest.raises(Forbidden):
        operator.require_tenant("records:read")
    with pytest.raises(Forbidden, match="needs a tenant"):
        operator.require_tenant("tenants:read")


def test_given_a_tenant_key_when_it_asks_for_a_tenant_action_then_its_own_tenant_is_returned():
    assert _caller("read_only").require_tenant("records:read") == TENANT
    with pytest.raises(Forbidden):
        _caller("read_only").require_tenant("records:write")


@pytest.mark.parametrize(
    ("role", "scopes", "expected"),
    [
        ("read_only", [], {"records:read", "schemas:read", "webhooks:read", "workflows:read", "forms:read"}),
        ("member", ["schemas:*"], {"schemas:read"}),  # the data model is the admins' to change
        ("admin", ["schemas:*"], {"schemas:read", "schemas:write"}),
        ("admin", ["keys:*"], {"keys:read", "keys:write"}),
        ("member", ["records:read", "keys:read"], {"records:read"}),
        ("operator", [], {"tenants:read", "tenants:write"}),
    ],
)
def test_given_a_role_and_scopes_when_effective_actions_are_computed_then_they_are_the_intersection(
    role, scopes, expected
):
    assert effective_actions(role, scopes) == expected
    assert effective_actions(role, scopes) <= known_actions()
