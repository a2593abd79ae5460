"""The generated SDK (crm_client) against the local stack, used as a tenant's developer would, unaided:
typed models in and out, the secret read from the 201 body, Idempotency-Key and If-Match sent as headers,
and every error parsed as the problem model the document names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm_client import AuthenticatedClient
from crm_client.api.contacts import create_contact, get_contact, list_contacts, update_contact
from crm_client.api.operator import create_tenant
from crm_client.models import (
    Contact,
    ContactInput,
    ContactLifecycleStage,
    ContactPage,
    ContactPatch,
    ContactPatchProperties,
    ContactProperties,
    Problem,
    Region,
    TenantCreated,
    TenantInput,
    Tier,
    ValidationProblem,
)
from tests.e2e.conftest import OPERATOR_KEY, LocalStackProcess, free_port


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStackProcess]:
    """One `python -m local` for the module: each test onboards or writes data of its own."""
    process = LocalStackProcess(tmp_path_factory.mktemp("data"), free_port())
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def tenant_client(stack: LocalStackProcess) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(base_url=f"{stack.url}/v1", token=OPERATOR_KEY) as operator:
        created = create_tenant.sync(client=operator, body=TenantInput(name="Sdk Ltd", default_region=Region.GB))
    assert isinstance(created, TenantCreated)
    assert created.api_key.key is not None
    with AuthenticatedClient(base_url=f"{stack.url}/v1", token=created.api_key.key) as client:
        yield client


def test_given_the_operator_key_when_a_tenant_is_onboarded_then_the_201_is_typed_with_its_admin_key(stack):
    with AuthenticatedClient(base_url=f"{stack.url}/v1", token=OPERATOR_KEY) as operator:
        answer = create_tenant.sync_detailed(
            client=operator, body=TenantInput(name="Acme", tier=Tier.STANDARD), idempotency_key="onboard-acme"
        )

    assert answer.status_code == 201
    assert isinstance(answer.parsed, TenantCreated)
    assert answer.parsed.tenant.tier is Tier.STANDARD
    assert answer.parsed.api_key.key is not None and answer.parsed.api_key.key.startswith("crm_")
    assert answer.headers["Location"] == f"/v1/tenants/{answer.parsed.tenant.id}"


def test_given_an_idempotency_key_when_a_contact_is_created_twice_then_the_second_is_the_first_replayed(tenant_client):
    body = ContactInput(
        properties=ContactProperties(
            email="Ada@Acme.co.uk", first_name="Ada", lifecycle_stage=ContactLifecycleStage.LEAD
        )
    )

    first = create_contact.sync_detailed(client=tenant_client, body=body, idempotency_key="signup-ada")
    again = create_contact.sync_detailed(client=tenant_client, body=body, idempotency_key="signup-ada")

    assert first.status_code == 201 and isinstance(first.parsed, Contact)
    assert first.parsed.properties.email == "ada@acme.co.uk"  # normalised by the API
    assert first.parsed.properties.lifecycle_stage is ContactLifecycleStage.LEAD
    assert first.headers["ETag"] == '"1"'
    assert again.status_code == 201 and isinstance(again.parsed, Contact)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.parsed.id == first.parsed.id


def test_given_a_contact_when_got_and_listed_by_email_then_both_are_typed(tenant_client):
    created = create_contact.sync(
        client=tenant_client, body=ContactInput(properties=ContactProperties(email="grace@example.com"))
    )
    assert isinstance(created, Contact)

    got = get_contact.sync(created.id, client=tenant_client)
    page = list_contacts.sync(client=tenant_client, email="grace@example.com")

    assert isinstance(got, Contact) and got.id == created.id and got.version == 1
    assert isinstance(page, ContactPage)
    assert [c.id for c in page.data] == [created.id] and page.next_cursor is None


def test_given_if_match_when_a_contact_is_updated_then_a_stale_version_is_a_412_problem(tenant_client):
    created = create_contact.sync(
        client=tenant_client, body=ContactInput(properties=ContactProperties(first_name="Lin"))
    )
    assert isinstance(created, Contact)
    change = ContactPatch(properties=ContactPatchProperties(lifecycle_stage=ContactLifecycleStage.CUSTOMER))

    updated = update_contact.sync_detailed(created.id, client=tenant_client, body=change, if_match='"1"')
    stale = update_contact.sync_detailed(created.id, client=tenant_client, body=change, if_match='"1"')

    assert updated.status_code == 200 and isinstance(updated.parsed, Contact)
    assert updated.parsed.version == 2 and updated.headers["ETag"] == '"2"'
    assert stale.status_code == 412 and isinstance(stale.parsed, Problem)
    assert stale.parsed.status == 412


def test_given_invalid_values_when_a_contact_is_created_then_the_422_is_a_validation_problem(tenant_client):
    answer = create_contact.sync_detailed(
        client=tenant_client, body=ContactInput(properties=ContactProperties(email="not-an-email"))
    )

    assert answer.status_code == 422
    assert isinstance(answer.parsed, ValidationProblem)
    assert [error.pointer for error in answer.parsed.errors] == ["/properties/email"]
    assert answer.parsed.detail


def test_given_an_unknown_id_when_got_then_the_404_is_a_problem(tenant_client):
    answer = get_contact.sync_detailed("01ARZ3NDEKTSV4RRFFQ69G5FAV", client=tenant_client)

    assert answer.status_code == 404
    assert isinstance(answer.parsed, Problem) and answer.parsed.title


def test_given_a_tenants_own_object_type_then_a_client_generated_from_its_document_is_typed_for_it(
    stack, tenant_client, tmp_path
):
    """Given the tenant defines partners (and a segment on contacts), when a client is generated from the
    document GET /v1/openapi.json answers to the tenant's key, then that client creates and reads partners
    with typed models, unaided: the tenant's own data model is its contract."""
    import importlib.util
    import sys

    from sdk.generate import build

    token = tenant_client.token
    headers = {"Authorization": f"Bearer {token}"}
    partner_type = {
        "name": "partner",
        "collection": "partners",
        "label": "Partner",
        "properties": [
            {"name": "name", "label": "Name", "type": "string"},
            {"name": "tier", "label": "Tier", "type": "enum", "options": [{"value": "gold", "label": "Gold"}]},
        ],
        "identifying": ["name"],
    }
    assert stack.request("POST", "/v1/schemas", partner_type, headers=headers).status == 201
    document = stack.request("GET", "/v1/openapi.json", headers=headers).body

    build(tmp_path, document)
    spec = importlib.util.spec_from_file_location(
        "tenant_client",
        tmp_path / "crm_client" / "__init__.py",
        submodule_search_locations=[str(tmp_path / "crm_client")],
    )
    assert spec is not None and spec.loader is not None
    sys.modules["tenant_client"] = module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        from tenant_client import AuthenticatedClient as TenantClient  # type: ignore[import-not-found]
        from tenant_client.api.objects import create_object_partner, get_object_partner  # type: ignore[import-not-found]
        from tenant_client.models import (  # type: ignore[import-not-found]
            Partner,
            PartnerInput,
            PartnerInputProperties,
            PartnerTier,
        )

        with TenantClient(base_url=f"{stack.url}/v1", token=token) as client:
            created = create_object_partner.sync(
                client=client,
                body=PartnerInput(properties=PartnerInputProperties(name="Globex", tier=PartnerTier.GOLD)),
            )
            assert isinstance(created, Partner)
            fetched = get_object_partner.sync(created.id, client=client)
        assert isinstance(fetched, Partner)
        assert fetched.properties.name == "Globex" and fetched.properties.tier is PartnerTier.GOLD
    finally:
        for name in [n for n in sys.modules if n == "tenant_client" or n.startswith("tenant_client.")]:
            del sys.modules[name]
