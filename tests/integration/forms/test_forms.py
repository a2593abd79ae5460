"""Web forms through the gateway: a tenant defines a form with its key; anyone posts to its submit URL without
one, as JSON or as a plain HTML form, and the contact is created or updated by email."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

from activity.service import EVENT_RECORDED
from crm import catalogue
from crm.store import TenantTable
from forms import limits
from forms.repository import FormRepository
from tests.support.problems import assert_problem
from tests.support.table import event_types, events, partition, records, tenant_items

if TYPE_CHECKING:
    from tests.integration.test_idempotent_routes import Case, Given

URLENCODED = {"Content-Type": "application/x-www-form-urlencoded"}
NEWSLETTER = {
    "name": "Newsletter",
    "fields": [
        {"name": "email", "property": "email", "required": True},
        {"name": "first_name", "property": "first_name"},
        {"name": "family-name", "property": "last_name"},
    ],
    "set_properties": {"lifecycle_stage": "lead"},
}


def create_form(api, tenant, **overrides: Any) -> dict[str, Any]:
    reply = api.post("/v1/forms", {**NEWSLETTER, **overrides}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def submit(api, form: dict[str, Any] | str, fields: dict[str, Any], **kw: Any):
    """A submission as a website's script sends it: JSON, no API key."""
    url = form["submit_url"] if isinstance(form, dict) else form
    return api.post(url, fields, **kw)


def post_html_form(api, form: dict[str, Any], fields: dict[str, str], **kw: Any):
    """A submission as a browser posts a plain HTML form: urlencoded, no API key."""
    return api.request("POST", form["submit_url"], raw=urlencode(fields).encode(), headers=URLENCODED, **kw)


def contacts_of(tenant) -> list[dict[str, Any]]:
    return records(tenant.id, "contact")


def without_counters(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if item.get("kind") != "form_rate"]


# --- definitions --------------------------------------------------------------------------------------------


def test_given_a_definition_when_created_then_201_with_an_unguessable_id_its_submit_url_and_etag(api, tenant):
    reply = api.post("/v1/forms", NEWSLETTER, key=tenant.key, headers={"Idempotency-Key": "form-1"})

    assert reply.status == 201, reply.body
    form = reply.body
    assert len(form["id"]) == 52  # a ULID and 130 random bits
    assert form["submit_url"] == f"/v1/forms/{form['id']}/submissions"
    assert reply.header("Location") == f"/v1/forms/{form['id']}"
    assert reply.header("ETag") == '"1"' and form["version"] == 1
    assert form["honeypot"] == "website" and form["redirect_url"] is None
    assert form["fields"][0] == {"name": "email", "property": "email", "required": True}
    assert form["set_properties"] == {"lifecycle_stage": "lead"}
    assert "client_secret" not in json.dumps(form)
    fetched = api.get(f"/v1/forms/{form['id']}", key=tenant.key)
    assert (fetched.status, fetched.body, fetched.header("ETag")) == (200, form, '"1"')


@pytest.mark.parametrize(
    ("overrides", "pointers"),
    [
        ({"fields": [{"name": "first_name", "property": "first_name"}]}, ["/fields"]),
        ({"fields": [{"name": "email", "property": "email"}]}, ["/fields/0/required"]),
        ({"fields": [{"name": "email", "property": "nickname", "required": True}]}, ["/fields/0/property"]),
        ({"set_properties": {"lifecycle_stage": "friend", "email": "x@y.example"}}, None),
        ({"honeypot": "email"}, ["/honeypot"]),
        ({"redirect_url": "ftp://example.com/"}, ["/redirect_url"]),
        ({"fields": []}, ["/fields"]),
    ],
)
def test_given_a_definition_at_fault_when_created_then_422_at_each_fault_and_nothing_stored(
    api, tenant, unchanged, overrides, pointers
):
    with unchanged():
        reply = api.post("/v1/forms", {**NEWSLETTER, **overrides}, key=tenant.key)
    expected = pointers or ["/set_properties/lifecycle_stage", "/set_properties/email"]
    assert sorted(e["pointer"] for e in assert_problem(reply, 422)["errors"]) == sorted(expected)


def test_given_forms_when_listed_then_newest_first_in_pages_without_deleted_ones(api, tenant, tick):
    ids = []
    for name in ("One", "Two", "Three"):
        ids.append(create_form(api, tenant, name=name)["id"])
        tick()
    assert api.delete(f"/v1/forms/{ids[1]}", key=tenant.key).status == 204

    first = api.get("/v1/forms?limit=1", key=tenant.key).body
    second = api.get(f"/v1/forms?limit=1&cursor={first['next_cursor']}", key=tenant.key).body

    assert [f["name"] for f in first["data"] + second["data"]] == ["Three", "One"]
    assert api.get("/v1/forms?cursor=garbage", key=tenant.key).status == 400


def test_given_a_form_when_patched_with_if_match_then_a_new_version_and_a_stale_etag_is_412(api, tenant):
    form = create_form(api, tenant)
    url = f"/v1/forms/{form['id']}"

    changed = api.patch(url, {"name": "Weekly", "redirect_url": "https://acme.example/thanks"}, key=tenant.key)
    stale = api.patch(url, {"name": "Stale"}, key=tenant.key, headers={"If-Match": '"1"'})
    same = api.patch(url, {"name": "Weekly"}, key=tenant.key, headers={"If-Match": '"2"'})
    removed = api.patch(url, {"redirect_url": None, "honeypot": None}, key=tenant.key)

    assert (changed.status, changed.header("ETag"), changed.body["name"]) == (200, '"2"', "Weekly")
    assert changed.body["redirect_url"] == "https://acme.example/thanks"
    assert_problem(stale, 412)
    assert (same.status, same.body["version"]) == (200, 2)  # nothing changed: no version
    assert (removed.body["redirect_url"], removed.body["honeypot"], removed.body["version"]) == (None, None, 3)
    assert_problem(api.patch(url, {"name": None}, key=tenant.key), 422, "/name")
    assert_problem(api.patch(url, {"fields": [{"name": "e", "property": "email"}]}, key=tenant.key), 422)
    assert api.get(url, key=tenant.key).body["version"] == 3


def test_given_a_read_only_key_then_it_reads_forms_but_may_not_define_them(api, tenant):
    form = create_form(api, tenant)
    reader = api.post("/v1/api-keys", {"name": "ro", "role": "read_only"}, key=tenant.key).body["api_key"]["key"]

    assert api.get(f"/v1/forms/{form['id']}", key=reader).status == 200
    assert_problem(api.post("/v1/forms", NEWSLETTER, key=reader), 403)
    assert_problem(api.delete(f"/v1/forms/{form['id']}", key=reader), 403)
    assert_problem(api.get("/v1/forms"), 401)


# --- submissions ------------------------------------------------------------------------------------------------


def test_given_a_json_then_a_urlencoded_submission_with_one_email_then_one_contact_is_created_then_updated(
    api, tenant, tick
):
    form = create_form(api, tenant)

    created = submit(api, form, {"email": "Zoe@VIP.example", "first_name": "Zoe", "utm_source": "ad"})
    tick()
    updated = post_html_form(api, form, {"email": "zoe@vip.example", "first_name": "Zoë", "family-name": "Ng"})

    assert (created.status, created.body["created"], created.body["ignored"]) == (202, True, ["utm_source"])
    assert (updated.status, updated.body["created"], updated.body["ignored"]) == (202, False, [])
    assert created.body["contact_id"] == updated.body["contact_id"]
    assert created.header("Access-Control-Allow-Origin") == "*"
    contact = api.get(f"/v1/contacts/{created.body['contact_id']}", key=tenant.key).body
    assert contact["properties"] == {
        "email": "zoe@vip.example",
        "first_name": "Zoë",
        "last_name": "Ng",
        "lifecycle_stage": "lead",  # the form's set_properties
    }
    assert contact["version"] == 2
    assert len(contacts_of(tenant)) == 1


def test_given_an_existing_customer_when_they_submit_a_lead_form_then_set_properties_never_move_them_back(api, tenant):
    customer = {"email": "ada@acme.example", "lifecycle_stage": "customer"}
    contact = api.post("/v1/contacts", {"properties": customer}, key=tenant.key).body
    form = create_form(api, tenant, set_properties={"lifecycle_stage": "lead", "owner": "Bo"})

    reply = submit(api, form, {"email": "ADA@acme.example", "first_name": "Ada"})

    assert (reply.status, reply.body["contact_id"], reply.body["created"]) == (202, contact["id"], False)
    properties = api.get(f"/v1/contacts/{contact['id']}", key=tenant.key).body["properties"]
    assert properties == {**customer, "first_name": "Ada", "owner": "Bo"}


def test_given_required_fields_missing_when_submitted_then_422_naming_each_and_nothing_stored(api, tenant):
    form = create_form(
        api,
        tenant,
        fields=[
            {"name": "email", "property": "email", "required": True},
            {"name": "last_name", "property": "last_name", "required": True},
            {"name": "first_name", "property": "first_name"},
        ],
    )
    before = without_counters(tenant_items(tenant.id))

    missing = submit(api, form, {"first_name": "Ada", "last_name": "  "})
    invalid = post_html_form(api, form, {"email": "not-an-email", "last_name": "L"})

    problem = assert_problem(missing, 422, "/email", "/last_name")
    assert problem["type"].endswith("/invalid-submission")
    assert [e["detail"] for e in problem["errors"]] == ["is required", "is required"]
    assert_problem(invalid, 422, "/email")
    assert without_counters(tenant_items(tenant.id)) == before


def test_given_a_filled_honeypot_when_submitted_then_202_as_usual_and_nothing_is_stored(api, tenant):
    form = create_form(api, tenant)
    before = without_counters(tenant_items(tenant.id))

    json_bot = submit(api, form, {"email": "bot@spam.example", "website": "http://spam.example"})
    html_bot = post_html_form(api, form, {"email": "bot@spam.example", "website": "x", "extra": "1"})

    assert json_bot.status == 202 and set(json_bot.body) == {"contact_id", "created", "ignored"}
    assert (html_bot.status, html_bot.body["ignored"]) == (202, ["extra"])
    assert without_counters(tenant_items(tenant.id)) == before  # no contact, no event, no idempotency record
    assert_problem(api.get(f"/v1/contacts/{json_bot.body['contact_id']}", key=tenant.key), 404)


def test_given_an_accepted_submission_then_form_submitted_is_in_the_outbox_with_the_contact_write(api, tenant, tick):
    form = create_form(api, tenant)

    first = submit(api, form, {"email": "zoe@vip.example", "first_name": "Zoe"}).body
    tick()
    again = submit(api, form, {"email": "zoe@vip.example", "first_name": "Zoe"}).body  # changes nothing

    first_write = ["contact.created", "contact.lifecycle_stage_changed", "form.submitted"]
    no_change = ["form.submitted"]  # alone: the contact did not change
    behaviour = [EVENT_RECORDED] * 2  # functions/activity: one behavioural event per submission
    assert event_types(tenant.id) == sorted(first_write + no_change + behaviour)
    submitted = [e for e in events(tenant.id) if e["type"] == "form.submitted"]
    assert [e["record_id"] for e in submitted] == [first["contact_id"], again["contact_id"]]
    assert len({e["id"] for e in submitted}) == 2
    assert submitted[0]["object"] == "contact" and submitted[0]["tenant_id"] == tenant.id
    assert submitted[0]["data"]["form_id"] == form["id"]
    assert submitted[0]["data"]["fields"] == {"email": "zoe@vip.example", "first_name": "Zoe"}
    assert submitted[0]["data"]["contact"]["properties"]["lifecycle_stage"] == "lead"
    created = next(e for e in events(tenant.id) if e["type"] == "contact.created")
    assert submitted[0]["data"]["contact"] == created["data"]  # the same write, the same record


def test_given_an_accepted_submission_then_a_form_submitted_behavioural_event_is_recorded_for_the_contact(api, tenant):
    form = create_form(api, tenant)

    contact_id = submit(api, form, {"email": "zoe@vip.example", "first_name": "Zoe"}).body["contact_id"]

    reply = api.get(f"/v1/contacts/{contact_id}/events?type=form_submitted", key=tenant.key)
    assert reply.status == 200, reply.body
    [event] = reply.body["data"]
    assert event["type"] == "form_submitted"
    assert event["properties"] == {
        "form_id": form["id"],
        "fields": {"email": "zoe@vip.example", "first_name": "Zoe"},
    }


def test_given_a_redirect_url_when_a_browser_posts_the_form_then_303_to_it_and_json_still_gets_202(api, tenant):
    form = create_form(api, tenant, redirect_url="https://acme.example/thanks")

    browser = post_html_form(api, form, {"email": "zoe@vip.example"})
    script = submit(api, form, {"email": "zoe@vip.example"})
    bot = post_html_form(api, form, {"email": "bot@spam.example", "website": "x"})

    assert (browser.status, browser.header("Location")) == (303, "https://acme.example/thanks")
    assert browser.body["contact_id"] == script.body["contact_id"]
    assert (script.status, script.header("Location")) == (202, None)
    assert (bot.status, bot.header("Location")) == (303, "https://acme.example/thanks")


def test_given_a_form_then_its_id_names_its_tenant_outside_every_tenant_until_it_is_deleted(api, tenant):
    form = create_form(api, tenant)
    [ref] = partition(f"SYSTEM#FORM#{form['id']}")
    assert (ref["kind"], ref["tenant_id"], ref["form_id"]) == ("form_ref", tenant.id, form["id"])

    assert api.delete(f"/v1/forms/{form['id']}", key=tenant.key).status == 204

    assert partition(f"SYSTEM#FORM#{form['id']}") == []
    [stored] = [i for i in tenant_items(tenant.id) if i.get("kind") == "form"]
    assert stored["deleted_at"] and stored["version"] == 2  # kept, marked


def test_given_a_script_on_another_site_when_the_browser_asks_before_posting_json_then_any_origin_may(
    api, tenant, unchanged
):
    """Given a form, when a browser sends the CORS preflight (OPTIONS, no key) before a cross-origin JSON
    post, then 204 allows POST with Content-Type and Idempotency-Key from any origin, and nothing is read or
    written; the post that follows is answered to any origin too."""
    form = create_form(api, tenant)
    asked = {"Origin": "https://www.acme.example", "Access-Control-Request-Method": "POST"}

    with unchanged():
        preflight = api.request("OPTIONS", form["submit_url"], headers=asked)

    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Origin") == "*"
    assert preflight.header("Access-Control-Allow-Methods") == "POST"
    assert {h.strip() for h in preflight.header("Access-Control-Allow-Headers").split(",")} == {
        "Content-Type",
        "Idempotency-Key",
    }
    assert int(preflight.header("Access-Control-Max-Age")) > 0
    assert submit(api, form, {"email": "zoe@vip.example"}, headers=asked).header("Access-Control-Allow-Origin") == "*"


def test_given_a_deleted_form_or_an_unknown_id_when_submitted_then_404_and_nothing_stored(api, tenant, unchanged):
    form = create_form(api, tenant)
    assert api.delete(f"/v1/forms/{form['id']}", key=tenant.key).status == 204

    with unchanged():
        for url in (form["submit_url"], f"/v1/forms/{form['id'][:26]}/submissions", "/v1/forms/nope/submissions"):
            assert_problem(submit(api, url, {"email": "zoe@vip.example"}), 404)
        assert_problem(api.get(f"/v1/forms/{form['id']}", key=tenant.key), 404)
        assert_problem(api.patch(f"/v1/forms/{form['id']}", {"name": "X"}, key=tenant.key), 404)
        assert_problem(api.delete(f"/v1/forms/{form['id']}", key=tenant.key), 404)


def test_given_a_form_id_then_neither_its_ulid_nor_a_neighbour_of_it_reaches_the_form(api, tenant):
    form = create_form(api, tenant)
    ulid, suffix = form["id"][:26], form["id"][26:]
    flipped = suffix[:-1] + ("0" if suffix[-1] != "0" else "1")

    for guess in (ulid, ulid + "0" * 26, ulid + flipped, form["id"].lower() + "0"):
        assert_problem(submit(api, f"/v1/forms/{guess}/submissions", {"email": "a@b.example"}), 404)
    assert submit(api, f"/v1/forms/{form['id'].lower()}/submissions", {"email": "a@b.example"}).status == 202


def test_given_a_body_neither_json_nor_urlencoded_when_submitted_then_415_and_bad_json_400(api, tenant):
    form = create_form(api, tenant)

    multipart = api.request("POST", form["submit_url"], raw=b"--x--", headers={"Content-Type": "multipart/form-data"})
    broken = api.request("POST", form["submit_url"], raw=b'{"email": ')

    assert assert_problem(multipart, 415)["type"].endswith("/unsupported-media-type")
    assert_problem(broken, 400)


# --- limits --------------------------------------------------------------------------------------------------------


def test_given_a_client_at_its_limit_when_it_submits_again_then_429_until_the_next_window(api, tenant, frozen_clock):
    form = create_form(api, tenant)
    frozen_clock[0] += timedelta(seconds=15)  # 45 s of the window left

    accepted = [submit(api, form, {"email": f"p{i}@example.com"}).status for i in range(limits.PER_CLIENT_PER_WINDOW)]
    refused = submit(api, form, {"email": "late@example.com"})

    assert accepted == [202] * limits.PER_CLIENT_PER_WINDOW
    assert assert_problem(refused, 429)["type"].endswith("/rate-limited")
    assert refused.header("Retry-After") == "45"
    assert not [c for c in contacts_of(tenant) if c["properties"]["email"] == "late@example.com"]
    frozen_clock[0] += timedelta(seconds=45)
    assert submit(api, form, {"email": "late@example.com"}).status == 202
    assert all("127.0.0.1" not in json.dumps(item) for item in tenant_items(tenant.id))  # never the raw address


def test_given_many_clients_when_a_form_reaches_its_own_limit_then_429_for_every_client(
    api, tenant, frozen_clock, monkeypatch
):
    monkeypatch.setattr(limits, "PER_FORM_PER_WINDOW", 3)
    form = create_form(api, tenant)

    answers = [from_address(api, form, f"198.51.100.{i}", {"email": f"p{i}@example.com"}) for i in range(5)]

    assert [a["statusCode"] for a in answers] == [202, 202, 202, 429, 429]
    assert "to this form" in json.loads(answers[3]["body"])["detail"]
    frozen_clock[0] += timedelta(minutes=1)
    assert from_address(api, form, "198.51.100.9", {"email": "next@example.com"})["statusCode"] == 202


def test_given_one_client_flooding_a_form_then_it_does_not_spend_the_forms_allowance(
    api, tenant, frozen_clock, monkeypatch
):
    monkeypatch.setattr(limits, "PER_FORM_PER_WINDOW", limits.PER_CLIENT_PER_WINDOW + 1)
    form = create_form(api, tenant)

    flood = [from_address(api, form, "203.0.113.66", {"email": "bot@example.com"}) for _ in range(30)]
    other = from_address(api, form, "192.0.2.10", {"email": "person@example.com"})

    assert [a["statusCode"] for a in flood].count(202) == limits.PER_CLIENT_PER_WINDOW
    assert other["statusCode"] == 202


@pytest.mark.parametrize(("limit", "answers"), [(2, [True, True]), (1, [True, False])])
def test_given_two_submissions_counted_at_once_then_never_both_take_the_same_slot(api, tenant, limit, answers):
    form = create_form(api, tenant)
    repository = FormRepository(TenantTable(tenant.id))
    counter = limits.Counter("form#0", limit, "to this form")
    read = repository.table.get
    twin = FormRepository(TenantTable(tenant.id))
    raced: list[bool] = []

    def read_then_lose_the_race(pk: str, sk: str) -> Any:
        item = read(pk, sk)
        if not raced:  # a twin counts between this read and this write
            raced.append(twin.count(form["id"], counter, expires_at=0))
        return item

    repository.table.get = read_then_lose_the_race  # type: ignore[method-assign]
    mine = repository.count(form["id"], counter, expires_at=0)

    assert [*raced, mine] == answers
    [stored] = [i for i in tenant_items(tenant.id) if i.get("kind") == "form_rate"]
    assert stored["count"] == limit


def from_address(api, form: dict[str, Any], source_ip: str, fields: dict[str, str]) -> dict[str, Any]:
    """A submission from another client address: the local gateway always says 127.0.0.1, so this sends the
    proxy event API Gateway would, to the forms function itself (the route needs no authorizer)."""
    path = form["submit_url"]
    event = {
        "resource": "/forms/{form_id}/submissions",
        "path": catalogue.stage_path(path),
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {"Content-Type": ["application/json"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"form_id": form["id"]},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/forms/{form_id}/submissions",
            "httpMethod": "POST",
            "path": path,
            "stage": catalogue.API_STAGE,
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": source_ip},
        },
        "body": json.dumps(fields),
        "isBase64Encoded": False,
    }
    return api.gateway.invoke(catalogue.function_by_name("forms"), event)


# --- tenants ---------------------------------------------------------------------------------------------------------

# Every form route that names an id, as tenant B tries it with tenant A's form (the cross-tenant suite checks that
# its lists cover every such route of the OpenAPI document). B gets 404 on each, but the public submission: a
# form's id names its tenant, so whatever key comes with it, a submission lands in A, and never in B.
CROSS_TENANT_ROUTES = [
    ("GET", "/v1/forms/{form}", None),
    ("PATCH", "/v1/forms/{form}", {"name": "Mallory"}),
    ("DELETE", "/v1/forms/{form}", None),
    ("POST", "/v1/forms/{form}/submissions", {"email": "mallory@b.example"}),
]


def test_given_tenant_a_forms_when_tenant_b_tries_them_then_404_and_a_submission_still_lands_in_a(
    api, tenant, other_tenant
):
    form = create_form(api, tenant)
    a_before, b_before = tenant_items(tenant.id), tenant_items(other_tenant.id)

    for method, path, body in CROSS_TENANT_ROUTES:
        url = path.format(form=form["id"])
        if url == form["submit_url"]:
            continue
        for headers in (None, {"If-Match": '"1"'}):
            reply = api.request(method, url, body, key=other_tenant.key, headers=headers)
            assert_problem(reply, 404)
            assert form["id"] not in json.dumps(reply.headers) and "Newsletter" not in json.dumps(reply.body)
    assert api.get("/v1/forms", key=other_tenant.key).body == {"data": [], "next_cursor": None}
    cursor = api.get("/v1/forms?limit=1", key=tenant.key).body["next_cursor"]
    assert cursor is None or api.get(f"/v1/forms?cursor={cursor}", key=other_tenant.key).status == 400
    assert tenant_items(tenant.id) == a_before

    # the public route: B's key (and a spoofed tenant header) change nothing about where a submission goes
    spoof = {"X-Tenant-Id": other_tenant.id}
    reply = submit(api, form, {"email": "mallory@b.example"}, key=other_tenant.key, headers=spoof)
    assert reply.status == 202
    assert [c["properties"]["email"] for c in contacts_of(tenant)] == ["mallory@b.example"]
    assert tenant_items(other_tenant.id) == b_before


def test_given_two_tenants_forms_then_each_submission_reaches_only_its_own_tenant(api, tenant, other_tenant):
    a_form, b_form = create_form(api, tenant), create_form(api, other_tenant)

    a_reply = submit(api, a_form, {"email": "same@example.com", "first_name": "A"})
    b_reply = submit(api, b_form, {"email": "same@example.com", "first_name": "B"})

    assert a_reply.body["created"] and b_reply.body["created"]
    assert [c["properties"]["first_name"] for c in contacts_of(tenant)] == ["A"]
    assert [c["properties"]["first_name"] for c in contacts_of(other_tenant)] == ["B"]
    assert "form.submitted" in event_types(tenant.id) and "form.submitted" in event_types(other_tenant.id)


# --- every write route honours Idempotency-Key (joins tests/integration/test_idempotent_routes.py) ----------------


def _form_id(g: Given) -> str:
    return g.api.post("/v1/forms", NEWSLETTER, key=g.tenant.key).body["id"]


def idempotent_cases() -> list[Case]:
    """The form write routes as test_idempotent_routes calls them. A function rather than a list: that module
    imports this one for them, and this one its Case, so Case is read only once both are loaded."""
    from tests.integration.test_idempotent_routes import Case

    return [
        Case("create_form", "POST", lambda g: ("/v1/forms", NEWSLETTER, {**NEWSLETTER, "name": "Other"}, g.tenant.key)),
        Case(
            "update_form",
            "PATCH",
            lambda g: (f"/v1/forms/{_form_id(g)}", {"name": "One"}, {"name": "Two"}, g.tenant.key),
        ),
        Case("delete_form", "DELETE", lambda g: (f"/v1/forms/{_form_id(g)}", None, None, g.tenant.key)),
        # Public: no API key; the Idempotency-Key record lives in the form's tenant.
        Case(
            "submit_form",
            "POST",
            lambda g: (
                f"/v1/forms/{_form_id(g)}/submissions",
                {"email": "ada@example.com"},
                {"email": "bob@example.com"},
                None,
            ),
        ),
    ]


# --- the document holds the code: real requests, each answer as documented ---------------------------------------


@pytest.fixture
def document(monkeypatch) -> dict[str, Any]:
    """The served OpenAPI document, with the forms routes in it."""
    from meta import handler as meta

    served = json.loads(meta._openapi_json())
    if "/forms" in served["paths"]:
        return served
    # Until meta's documented_app lists forms.routes, the document is built here with it (restored afterwards).
    from contacts.routes import router as records_router
    from crm.http import create_resolver
    from forms.routes import router as forms_router
    from tenants.routes import router as tenants_router
    from webhooks.routes import router as webhooks_router

    routers = (meta.router, meta.docs_router, records_router, tenants_router, webhooks_router, forms_router)
    monkeypatch.setattr(meta, "_documented", create_resolver(*routers))
    monkeypatch.setattr(meta, "_openapi", None)
    return json.loads(meta._openapi_json())


def test_given_the_document_then_the_form_routes_are_typed_and_the_submission_is_public(document):
    from openapi_spec_validator import validate

    validate(document)
    submission = document["paths"]["/forms/{form_id}/submissions"]["post"]
    assert submission["security"] == []
    assert {"401", "403"}.isdisjoint(submission["responses"])
    assert {"202", "303", "400", "404", "409", "413", "415", "422", "429", "503"} <= set(submission["responses"])
    assert "Retry-After" in submission["responses"]["429"]["headers"]
    assert "Location" in submission["responses"]["303"]["headers"]
    assert set(submission["requestBody"]["content"]) == {"application/json", "application/x-www-form-urlencoded"}
    assert "Idempotency-Key" in {p["name"] for p in submission["parameters"]}
    for path, method in (("/forms", "post"), ("/forms/{form_id}", "patch"), ("/forms/{form_id}", "delete")):
        operation = document["paths"][path][method]
        assert operation["security"] == [{"api_key": []}]
        assert {"401", "403", "429"} <= set(operation["responses"])
    patch = document["paths"]["/forms/{form_id}"]["patch"]
    assert {"If-Match", "Idempotency-Key"} <= {p["name"] for p in patch["parameters"]}
    schemas = document["components"]["schemas"]
    assert schemas["FormField"]["properties"]["property"]["enum"] == ["email", *definition_settable()]
    assert set(schemas["FormInput"]["properties"]["set_properties"]["properties"]) == set(definition_settable())


def definition_settable() -> tuple[str, ...]:
    from forms.definition import SETTABLE

    return SETTABLE


def test_given_real_requests_to_the_form_routes_then_each_answer_is_as_documented(api, document, tenant, frozen_clock):
    from tests.integration.test_contract import Contract

    c = Contract(api, document)
    key = tenant.key
    form = c.post("/v1/forms", NEWSLETTER, key=key, headers={"Idempotency-Key": "f1"}, expect=201).body
    c.post("/v1/forms", NEWSLETTER, key=key, headers={"Idempotency-Key": "f1"}, expect=201)
    c.post("/v1/forms", {**NEWSLETTER, "fields": [{"name": "e", "property": "email"}]}, key=key, expect=422)
    c.post("/v1/forms", key=key, raw=b'{"name": ', expect=400)
    c.post("/v1/forms", NEWSLETTER, expect=401)
    url = f"/v1/forms/{form['id']}"
    c.get("/v1/forms", key=key, expect=200)
    c.get("/v1/forms?cursor=garbage", key=key, expect=400)
    c.get(url, key=key, expect=200)
    c.get("/v1/forms/01ARZ3NDEKTSV4RRFFQ69G5FAV", key=key, expect=404)
    c.patch(url, {"redirect_url": "https://acme.example/thanks"}, key=key, headers={"If-Match": '"9"'}, expect=412)
    c.patch(url, {"redirect_url": "https://acme.example/thanks"}, key=key, expect=200)

    submit_url = form["submit_url"]
    c.post(submit_url, {"email": "zoe@vip.example"}, headers={"Idempotency-Key": "s1"}, expect=202)
    c.post(submit_url, {"email": "zoe@vip.example"}, headers={"Idempotency-Key": "s1"}, expect=202)
    c.post(submit_url, {"email": "bob@vip.example"}, headers={"Idempotency-Key": "s1"}, expect=422)
    c.post(submit_url, raw=b"email=ann%40vip.example", headers=URLENCODED, expect=303)
    c.post(submit_url, {"first_name": "No email"}, expect=422)
    c.post(submit_url, raw=b"x", headers={"Content-Type": "text/plain"}, expect=415)
    c.post(submit_url, raw=b"[", expect=400)
    counted = 5  # every submission so far that reached the form counts, but the replayed and the refused key
    for i in range(counted, limits.PER_CLIENT_PER_WINDOW + 1):
        c.post(submit_url, {"email": f"p{i}@vip.example"}, expect=202 if i < limits.PER_CLIENT_PER_WINDOW else 429)
    c.post("/v1/forms/01ARZ3NDEKTSV4RRFFQ69G5FAV/submissions", {"email": "a@b.example"}, expect=404)
    c.delete(url, key=key, headers={"If-Match": '"1"'}, expect=412)
    c.delete(url, key=key, expect=204)
    c.post(submit_url, {"email": "zoe@vip.example"}, expect=404)

    statuses = {status for _, status in c.answered}
    assert statuses == {200, 201, 202, 204, 303, 400, 401, 404, 412, 415, 422, 429}
