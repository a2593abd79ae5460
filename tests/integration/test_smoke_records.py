"""Records API, end to end through the gateway emulation and the real handlers on moto."""


def test_given_a_tenant_when_it_creates_a_contact_then_it_can_read_it_back(api, tenant):
    created = api.post(
        "/v1/contacts",
        {"properties": {"email": " Ada@Example.COM ", "phone": "(415) 555-2671", "first_name": "Ada"}},
        key=tenant.key,
    )
    assert created.status == 201
    assert created.body["properties"] == {"email": "ada@example.com", "phone": "+14155552671", "first_name": "Ada"}
    assert created.header("ETag") == '"1"'
    assert created.header("Location") == f"/v1/contacts/{created.body['id']}"

    fetched = api.get(f"/v1/contacts/{created.body['id']}", key=tenant.key)
    assert fetched.status == 200
    assert fetched.body == created.body
