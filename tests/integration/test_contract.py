"""The served OpenAPI document is a contract a client generator can trust unaided: valid OpenAPI 3.1, every
operation with its real success status and schema, every error a shared problem component, every header
and query parameter declared, record routes typed per object type. The last test holds the document to
the code: real requests, each answer's status, body and headers as documented for its operation."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, ValidationError, validators

from crm import catalogue
from tests.conftest import OPERATOR_KEY

SCHEMAS = "#/components/schemas/"
PROBLEMS = {SCHEMAS + "Problem", SCHEMAS + "ValidationProblem"}
WRITES = ("post", "put", "patch", "delete")
PUBLIC = {"health", "docs", "preflight_form_submission"}
# Public, and typed for the caller's tenant when it sends its key (then a bad key is a 401).
KEY_OPTIONAL = {"openapi"}
OPERATOR = {"create_tenant", "list_tenants", "get_tenant"}
SOME_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from meta.handler import _openapi_json

    return json.loads(_openapi_json())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {op["operationId"]: op for _, _, op in operations(document)}


def successes(operation: dict[str, Any]) -> list[str]:
    return [status for status in operation["responses"] if status.startswith("2")]


def header_names(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def ref_of(response: dict[str, Any], media: str = "application/json") -> str | None:
    return response.get("content", {}).get(media, {}).get("schema", {}).get("$ref")


def object_types() -> tuple[Any, ...]:
    from contacts.registry import SchemaRegistry

    return SchemaRegistry(None).object_types()


def _multiple_of(validator: Any, divisor: Any, instance: Any, schema: dict[str, Any]) -> Any:
    """multipleOf in exact decimal arithmetic, as JSON Schema defines it: jsonschema divides floats, and
    so finds 0.1 not a multiple of 0.000001."""
    if validator.is_type(instance, "number") and Decimal(repr(instance)) % Decimal(repr(divisor)) != 0:
        yield ValidationError(f"{instance!r} is not a multiple of {divisor!r}")


ExactValidator = validators.extend(Draft202012Validator, {"multipleOf": _multiple_of})


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A JSON Schema validator for a schema of the document, its $refs resolved against the document."""
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": document["components"], **schema}
    return ExactValidator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- the document ---------------------------------------------------------------------------------


def test_given_the_served_document_when_validated_then_it_is_valid_openapi_3_1(api, document):
    from openapi_spec_validator import validate

    # Given the document the API serves
    served = api.get("/v1/openapi.json")

    # When it is validated
    assert served.status == 200
    validate(served.body)

    # Then it is OpenAPI 3.1, and the one this suite reads
    assert served.body["openapi"].startswith("3.1")
    assert served.body == document


def test_given_every_operation_then_its_id_is_unique_and_it_answers_its_real_success_status(document):
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids))
    for _, _, operation in operations(document):
        operation_id = operation["operationId"]
        verb = operation_id.split("_", 1)[0]
        expected = {
            "create": ["201"],
            "archive": ["204"],
            "delete": ["204"],
            "revoke": ["204"],
            "preflight": ["204"],
            "dissociate": ["204"],
        }.get(verb)
        if operation_id in ("test_webhook", "redeliver_webhook_delivery", "replay_webhook_events"):
            expected = ["202"]
        # any other operation answers 200, or 202 when it only starts something
        assert successes(operation) in ([expected] if expected else (["200"], ["202"])), operation_id


def test_given_every_success_with_a_body_then_it_names_a_component_and_a_204_has_no_content(document):
    for _, _, operation in operations(document):
        for status in successes(operation):
            response = operation["responses"][status]
            if status == "204":
                assert "content" not in response, operation["operationId"]
            elif operation["operationId"] != "docs":  # Swagger UI: an HTML page
                assert ref_of(response) or operation["operationId"] == "openapi", operation["operationId"]
                assert list(response["content"]) == ["application/json"]


def test_given_every_error_response_then_it_refers_to_a_shared_problem_component(document):
    for _, _, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            assert list(response["content"]) == ["application/problem+json"], (operation["operationId"], status)
            schema = response["content"]["application/problem+json"]["schema"]
            refs = [s.get("$ref") for s in schema["anyOf"]] if "anyOf" in schema else [schema.get("$ref")]
            assert set(refs) <= PROBLEMS and set(schema) <= {"$ref", "anyOf"}, (operation["operationId"], schema)
            if status == "422":
                assert SCHEMAS + "ValidationProblem" in refs
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert problem["additionalProperties"] is True  # extension members, e.g. existing_id
    assert set(problem["properties"]) >= {"errors", "existing_id"}
    validation = document["components"]["schemas"]["ValidationProblem"]
    assert set(validation["required"]) == {"type", "title", "status", "detail", "errors"}
    assert validation["properties"]["errors"]["items"] == {"$ref": SCHEMAS + "FieldProblem"}


def test_given_the_document_then_the_framework_validation_error_is_nowhere(document):
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert not {"ValidationError", "ResponseValidationError"} & set(document["components"]["schemas"])


# Public routes that write: a web form's submissions (the form id is the credential).
PUBLIC_WRITES = {"submit_form"}


def test_given_the_catalogue_then_public_routes_need_no_key_and_every_other_a_bearer_key(document):
    from meta.handler import gateway_route

    for path, _, operation in operations(document):
        operation_id, responses = operation["operationId"], operation["responses"]
        route = gateway_route(path)
        assert route is not None, f"{path} is served by no catalogue route"
        if operation_id in PUBLIC:  # health, docs, a CORS preflight: only the 405 of a method the path does not serve
            assert not route.authorized and operation["security"] == [], operation_id
            assert [s for s in responses if s.startswith(("4", "5"))] == ["405"], operation_id
            continue
        if operation_id in KEY_OPTIONAL:
            assert not route.authorized and operation["security"] == [{}, {"api_key": []}], operation_id
            assert [s for s in responses if s.startswith(("4", "5"))] == ["401", "405"], operation_id
            continue
        if operation_id in PUBLIC_WRITES:  # no key, but it stores what it is sent: validated, limited
            assert not route.authorized and not route.metered and operation["security"] == []
            assert not {"401", "403"} & set(responses), operation_id
            assert {"404", "422", "429", "503"} <= set(responses), operation_id
            assert "Retry-After" in responses["429"]["headers"] and "Retry-After" in responses["503"]["headers"]
            continue
        assert route.authorized and operation["security"] == [{"api_key": []}], operation_id
        assert {"401", "403", "503"} <= set(responses), operation_id
        assert ("429" in responses) == (operation_id not in OPERATOR) == route.metered, operation_id
        assert "Retry-After" in responses["503"]["headers"]
    assert document["components"]["securitySchemes"]["api_key"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A tenant API key (or the operator key)",
    }


def is_search(operation: dict[str, Any]) -> bool:
    """A search reads, though it is a POST (its body is too rich for a query string): no Idempotency-Key."""
    return operation["operationId"].startswith("search_")


def test_given_every_write_operation_then_it_declares_its_idempotency_key_and_what_a_retry_may_answer(document):
    for _, method, operation in operations(document):
        if method not in WRITES or is_search(operation):
            assert "Idempotency-Key" not in header_names(operation)
            continue
        responses = operation["responses"]
        assert "Idempotency-Key" in header_names(operation), operation["operationId"]
        [success] = successes(operation)
        assert "Idempotent-Replayed" in responses[success]["headers"]
        assert {"400", "409", "413", "422", "503"} <= set(responses), operation["operationId"]


def record_nouns() -> list[str]:
    """How record operation ids name each object type, in both forms: `contact` and `object_contact`."""
    return [noun for t in object_types() for noun in (t.name, f"object_{t.name}")]


def test_given_the_routes_reading_if_match_then_they_declare_it_and_a_412(document):
    declared = {op["operationId"] for _, _, op in operations(document) if "If-Match" in header_names(op)}
    expected = {f"{verb}_{noun}" for verb in ("update", "archive") for noun in record_nouns()} | {"update_webhook"}
    assert expected <= declared  # and the routes added since: every route whose dependencies read it
    assert all("412" in by_id(document)[operation_id]["responses"] for operation_id in declared)


def test_given_responses_that_send_headers_then_they_declare_them(document):
    operations_by_id = by_id(document)
    for _, _, operation in operations(document):
        [success] = successes(operation)
        headers = operation["responses"][success].get("headers", {})
        if success == "201":
            assert "Location" in headers, operation["operationId"]
    verbs = ("create", "get", "update", "archive", "restore")
    with_etag = [f"{verb}_{noun}" for verb in verbs for noun in record_nouns()]
    with_etag += ["create_webhook", "get_webhook", "update_webhook", "rotate_webhook_secret"]
    for operation_id in with_etag:
        operation = operations_by_id[operation_id]
        [success] = successes(operation)
        assert "ETag" in operation["responses"][success]["headers"], operation_id


def test_given_the_list_operations_then_their_query_parameters_are_declared(document):
    def query(operation_id: str) -> set[str]:
        return {p["name"] for p in by_id(document)[operation_id].get("parameters", []) if p["in"] == "query"}

    for operation_id in ("list_tenants", "list_api_keys", "list_webhooks", "list_webhook_deliveries"):
        assert {"limit", "cursor"} <= query(operation_id)
    assert query("list_webhook_deliveries") == {"status", "limit", "cursor"}
    for object_type in object_types():
        for operation_id in (f"list_{object_type.collection}", f"list_object_{object_type.collection}"):
            assert query(operation_id) == {"limit", "cursor", "archived", *object_type.unique_properties}
    assert "email" in query("list_contacts") and "domain" in query("list_companies")
    status = next(p for p in by_id(document)["list_webhook_deliveries"]["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == ["pending", "succeeded", "failed"]


def test_given_each_object_type_then_its_record_operations_use_its_own_typed_schemas(document):
    operations_by_id, schemas = by_id(document), document["components"]["schemas"]
    for object_type in object_types():
        name = object_type.name.capitalize()
        for noun in (object_type.name, f"object_{object_type.name}"):  # /contacts and /objects/contacts
            create, update = operations_by_id[f"create_{noun}"], operations_by_id[f"update_{noun}"]
            assert create["requestBody"]["content"]["application/json"]["schema"] == {"$ref": f"{SCHEMAS}{name}Input"}
            assert update["requestBody"]["content"]["application/json"]["schema"] == {"$ref": f"{SCHEMAS}{name}Patch"}
            for operation_id in (f"create_{noun}", f"get_{noun}", f"update_{noun}"):
                [success] = successes(operations_by_id[operation_id])
                assert ref_of(operations_by_id[operation_id]["responses"][success]) == SCHEMAS + name
        for operation_id in (f"list_{object_type.collection}", f"list_object_{object_type.collection}"):
            assert ref_of(operations_by_id[operation_id]["responses"]["200"]) == f"{SCHEMAS}{name}Page"
        assert schemas[f"{name}Input"]["properties"]["properties"] == {"$ref": f"{SCHEMAS}{name}InputProperties"}
        writable = {p for p, spec in object_type.properties.items() if not getattr(spec, "read_only", False)}
        for suffix in ("Properties", "InputProperties", "PatchProperties"):
            properties = schemas[f"{name}{suffix}"]
            expected = set(object_type.properties) if suffix == "Properties" else writable  # computed: read-only
            assert set(properties["properties"]) == expected, suffix
            assert properties.get("required", []) == ([] if suffix == "PatchProperties" else list(object_type.required))
            for prop, schema in properties["properties"].items():
                typed = schema.get("anyOf", [schema])[0]
                assert "type" in typed or "$ref" in typed, f"{name}{suffix}.{prop} is untyped"
        assert schemas[name]["properties"]["object"]["const"] == object_type.name
    # One typed schema per object type: no generic record is left to describe a body
    assert not {"RecordOut", "RecordInput", "RecordPage", "Collection"} & set(schemas)


def test_given_the_typed_record_schemas_then_they_accept_and_refuse_what_the_api_does(document):
    schemas = document["components"]["schemas"]
    assert schemas["ContactProperties"]["properties"]["email"]["format"] == "email"
    assert schemas["ContactLifecycleStage"]["enum"][:2] == ["subscriber", "lead"]
    assert schemas["DealProperties"]["properties"]["close_date"]["format"] == "date"
    assert "EUR" in schemas["DealCurrency"]["enum"]

    def valid(schema_name: str, instance: Any) -> bool:
        return validator(document, {"$ref": SCHEMAS + schema_name}).is_valid(instance)

    # A deal needs its name on create; PATCH may remove any property but the name
    assert not valid("DealInput", {"properties": {"amount": 10}})
    assert valid("DealInput", {"properties": {"name": "Big", "amount": 10.5, "currency": "EUR"}})
    assert valid("DealPatch", {"properties": {"amount": None, "close_date": None}})
    assert not valid("DealPatch", {"properties": {"name": None}})
    assert not valid("DealInput", {"properties": {"name": "Big", "amount": -1}})
    assert not valid("DealInput", {"properties": {"name": "Big", "company_id": "not-an-id"}})
    # Unknown properties and enumeration values are refused, as the API refuses them
    assert not valid("ContactInput", {"properties": {"nickname": "Ada"}})
    assert not valid("ContactInput", {"properties": {"lifecycle_stage": "friend"}})
    assert valid("ContactPatch", {"properties": {"lifecycle_stage": None, "email": "ada@example.com"}})
    # A new record needs one identifying property (null leaves an optional property unset)
    assert valid("ContactInput", {"properties": {"email": None, "first_name": "Ada"}})
    assert not valid("ContactInput", {"properties": {"email": None, "owner": "Grace"}})
    assert not valid("CompanyInput", {"properties": {"industry": "Retail"}})
    assert not valid("Company", {**_record("company"), "properties": {"industry": "Retail"}})
    # Text as the API cleans it: trimmed, at most its length once trimmed, no control characters
    assert valid("ContactInput", {"properties": {"first_name": f"  {'A' * 200}\r\n\u0085"}})
    assert not valid("ContactInput", {"properties": {"first_name": "A" * 201}})
    for refused in ("", "   ", "A\u0000B", "A\u001bB", "A\u0085B", "A\ufdd0"):
        assert not valid("ContactInput", {"properties": {"first_name": refused}}), repr(refused)
    # Numbers are exact: at most 6 decimal places, below 1e21
    assert valid("DealInput", {"properties": {"name": "Big", "amount": 0.1}})
    assert not valid("DealInput", {"properties": {"name": "Big", "amount": 0.1234567}})
    assert not valid("DealInput", {"properties": {"name": "Big", "amount": 1e21}})
    # Emails at special-use domains, single-label domains and text for a phone are refused
    assert not valid("ContactInput", {"properties": {"email": "ada@example.test"}})
    assert not valid("CompanyInput", {"properties": {"domain": "localhost"}})
    assert not valid("CompanyInput", {"properties": {"domain": "www.example"}})
    assert valid("CompanyInput", {"properties": {"domain": "www.example.com"}})
    assert not valid("ContactInput", {"properties": {"phone": "call me"}})
    # A write may repeat an id (stored once); a record never holds one twice
    assert valid("DealInput", {"properties": {"name": "Big", "contact_ids": [SOME_ID, SOME_ID]}})
    assert not valid("Deal", {**_record("deal"), "properties": {"name": "Big", "contact_ids": [SOME_ID, SOME_ID]}})


def _record(name: str) -> dict[str, Any]:
    moment = "2026-01-01T00:00:00Z"
    return {"id": SOME_ID, "object": name, "version": 1, "created_at": moment, "updated_at": moment} | {
        "archived_at": None
    }


def test_given_the_input_schemas_then_free_text_enumerations_and_urls_say_what_the_api_accepts(document):
    schemas = document["components"]["schemas"]

    def valid(schema_name: str, instance: Any) -> bool:
        return validator(document, {"$ref": SCHEMAS + schema_name}).is_valid(instance)

    assert valid("TenantInput", {"name": " Acme ", "default_region": "GB"})
    assert not valid("TenantInput", {"name": "Acme\u0000"})
    assert not valid("TenantInput", {"name": "Acme", "default_region": "XX"})  # no phone numbers there
    assert valid("ApiKeyInput", {"name": "CI", "scopes": ["records:read", "webhooks:*"]})
    assert not valid("ApiKeyInput", {"name": "CI", "scopes": ["records:fly"]})
    assert valid("WebhookInput", {"url": "https://hooks.example.com/crm", "event_types": ["contact.*", "*"]})
    assert not valid("WebhookInput", {"url": "https://hooks.example.com", "event_types": ["nothing"]})
    assert not valid("WebhookInput", {"url": "https://hooks.example.com", "event_types": ["Partner.created"]})
    # A custom object type's events fit the document; the tenant's own object types decide (a 422 otherwise).
    assert valid("WebhookInput", {"url": "https://hooks.example.com", "event_types": ["partner.created"]})
    assert not valid("WebhookInput", {"url": "ftp://example.com/", "event_types": ["*"]})
    assert not valid("WebhookPatch", {"description": "\u0007"})
    assert "deal.stage_changed" in schemas["WebhookInput"]["properties"]["event_types"]["items"]["anyOf"][0]["enum"]


# --- the document against the code: real requests -----------------------------------------------


class Contract:
    """Sends real requests through the local gateway and checks each answer against the document: the
    status is documented for the operation, a JSON body validates against the documented schema, the
    headers sent are declared (and a success sends the ETag and Location it declares)."""

    def __init__(self, api: Any, document: dict[str, Any]) -> None:
        self.api, self.document = api, document
        self.answered: set[tuple[str, int]] = set()
        self.templates = [(self._pattern(path), path) for path in document["paths"]]

    @staticmethod
    def _pattern(template: str) -> re.Pattern[str]:
        segments = [r"[^/]+" if s.startswith("{") else re.escape(s) for s in template.split("/")]
        return re.compile("^" + "/".join(segments) + "$")

    def operation(self, method: str, url: str) -> dict[str, Any]:
        path = urlsplit(url).path.removeprefix(catalogue.API_PREFIX)
        matches = [t for pattern, t in self.templates if pattern.match(path) and method in self.document["paths"][t]]
        assert matches, f"{method.upper()} {path} is not in the document"
        template = max(matches, key=lambda t: len(re.sub(r"\{[^}]+\}", "", t)))  # the most literal one
        return self.document["paths"][template][method]

    def request(self, method: str, url: str, body: Any = None, *, expect: int, **kw: Any) -> Any:
        reply = self.api.request(method.upper(), url, body, **kw)
        assert reply.status == expect, (method, url, reply.status, reply.body)
        operation = self.operation(method.lower(), url)
        operation_id, responses = operation["operationId"], operation["responses"]
        assert str(reply.status) in responses, f"{operation_id} answered {reply.status}; documented: {list(responses)}"
        documented = responses[str(reply.status)]
        media = (reply.header("Content-Type") or "").split(";")[0]
        if reply.status == 204:
            assert "content" not in documented and not reply.body
        else:
            assert media in documented["content"], (operation_id, reply.status, media)
            schema = documented["content"][media]["schema"]
            if "json" in media:
                errors = [e.message for e in validator(self.document, schema).iter_errors(reply.body)]
                assert not errors, (operation_id, reply.status, errors, reply.body)
        declared = documented.get("headers", {})
        for name in ("ETag", "Location", "Idempotent-Replayed", "Retry-After"):
            if reply.header(name) is not None:
                assert name in declared, (operation_id, reply.status, name)
        if 200 <= reply.status < 300:
            for name in {"ETag", "Location"} & set(declared):
                assert reply.header(name) is not None, (operation_id, reply.status, name)
        self.answered.add((operation_id, reply.status))
        return reply

    def get(self, url: str, **kw: Any) -> Any:
        return self.request("get", url, **kw)

    def post(self, url: str, body: Any = None, **kw: Any) -> Any:
        return self.request("post", url, body, **kw)

    def patch(self, url: str, body: Any = None, **kw: Any) -> Any:
        return self.request("patch", url, body, **kw)

    def delete(self, url: str, **kw: Any) -> Any:
        return self.request("delete", url, **kw)


def test_given_real_requests_when_answered_then_each_status_body_and_header_is_as_documented(
    api, document, tenant, receiver, private_targets_allowed, event_chain
):
    # Given the API and its document
    c = Contract(api, document)
    key = tenant.key

    # When the public routes are called
    c.get("/v1/health", expect=200)
    c.get("/v1/openapi.json", expect=200)
    c.get("/v1/docs", expect=200)

    # And the record routes, with their successes and their problems
    contact = c.post(
        "/v1/contacts",
        {"properties": {"email": "ada@example.com", "first_name": "Ada", "phone": "+14155552671"}},
        key=key,
        expect=201,
    ).body
    url = f"/v1/contacts/{contact['id']}"
    c.post("/v1/contacts", {"properties": {"email": "ADA@example.com"}}, key=key, expect=409)
    c.post("/v1/contacts", {"properties": {"email": "not an email"}}, key=key, expect=422)
    c.post("/v1/contacts", {"properties": {}, "extra": 1}, key=key, expect=422)
    c.post("/v1/contacts", key=key, raw=b'{"properties": ', expect=400)
    c.post("/v1/contacts", {"properties": {"first_name": "x" * 300_000}}, key=key, expect=413)
    c.post("/v1/contacts", {"properties": {"first_name": "B"}}, key=key, headers={"Idempotency-Key": "a b"}, expect=400)
    c.get("/v1/contacts", key=key, expect=200)
    c.get("/v1/contacts?email=ada@example.com", key=key, expect=200)
    c.get("/v1/contacts?email=nope", key=key, expect=422)
    c.get("/v1/contacts?limit=0", key=key, expect=422)
    c.get("/v1/contacts?cursor=garbage", key=key, expect=400)
    c.get("/v1/contacts", expect=401)
    c.get(url, key=key, expect=200)
    c.get(f"/v1/contacts/%{ord(contact['id'][0]):02X}{contact['id'][1:]}", key=key, expect=200)  # decoded
    c.get(f"/v1/contacts/{SOME_ID}", key=key, expect=404)
    c.get(f"/v1/contacts/{'X' * 65}", key=key, expect=422)
    c.get(f"/v1/objects/contacts/{contact['id']}", key=key, expect=200)
    assert api.get("/v1/objects/widgets", key=key).status == 404  # no such object type: not in the document
    c.patch(url, {"properties": {"lifecycle_stage": "lead"}}, key=key, headers={"If-Match": '"99"'}, expect=412)
    updated = c.patch(
        url, {"properties": {"lifecycle_stage": "lead"}}, key=key, headers={"If-Match": '"1"'}, expect=200
    )
    retry = {"Idempotency-Key": "contract-patch"}
    c.patch(url, {"properties": {"owner": "Grace"}}, key=key, headers=retry, expect=200)
    replayed = c.patch(url, {"properties": {"owner": "Grace"}}, key=key, headers=retry, expect=200)
    assert replayed.header("Idempotent-Replayed") == "true"
    c.patch(url, {"properties": {"owner": "Alan"}}, key=key, headers=retry, expect=422)  # a Problem, no errors[]
    c.delete(url, key=key, headers={"If-Match": updated.header("ETag")}, expect=412)  # changed since
    c.delete(url, key=key, expect=204)
    c.post(f"{url}/restore", key=key, expect=200)
    company = c.post(
        "/v1/companies",
        {"properties": {"name": "Acme", "domain": "https://www.Acme.example/about"}},
        key=key,
        expect=201,
    ).body
    c.get("/v1/companies?domain=acme.example", key=key, expect=200)
    c.post("/v1/deals", {"properties": {"amount": 10}}, key=key, expect=422)
    deal = {
        "name": "Big",
        "amount": 1250.5,
        "currency": "eur",
        "close_date": "2026-03-01",
        "contact_ids": [contact["id"]],
        "company_id": company["id"],
    }
    c.post("/v1/deals", {"properties": deal}, key=key, expect=201)
    c.post("/v1/objects/deals", {"properties": {"name": "Small"}}, key=key, expect=201)

    # And searches (a POST that only reads): a page and what it read, a foreign cursor, a filter that does not fit
    by_email = {"filter_groups": [{"filters": [{"property": "email", "op": "eq", "value": "ada@example.com"}]}]}
    searched = c.post("/v1/contacts/search", by_email, key=key, expect=200)
    assert searched.body["data"] and searched.header("X-Items-Read").isdigit()
    assert "X-Items-Read" in c.operation("post", "/v1/contacts/search")["responses"]["200"]["headers"]
    sorted_query = {"query": "acme", "sorts": [{"property": "updated_at", "direction": "desc"}], "limit": 1}
    c.post("/v1/objects/companies/search", sorted_query, key=key, expect=200)
    c.post("/v1/deals/search", {"after": "garbage"}, key=key, expect=400)
    unknown = {"filter_groups": [{"filters": [{"property": "planet", "op": "eq", "value": 1}]}]}
    c.post("/v1/contacts/search", unknown, key=key, expect=422)

    # And the API keys: created (the secret shown once), refused, listed, revoked
    created_key = {"name": "Reader", "role": "read_only"}
    reader = c.post("/v1/api-keys", created_key, key=key, headers={"Idempotency-Key": "k1"}, expect=201).body
    again = c.post("/v1/api-keys", created_key, key=key, headers={"Idempotency-Key": "k1"}, expect=201).body
    assert reader["api_key"]["key"] and again["api_key"]["key"] is None
    c.post("/v1/contacts", {"properties": {"first_name": "C"}}, key=reader["api_key"]["key"], expect=403)
    c.get("/v1/api-keys", key=key, expect=200)
    c.delete(f"/v1/api-keys/{tenant.created['api_key']['id']}", key=key, expect=409)  # not itself
    c.delete(f"/v1/api-keys/{reader['api_key']['id']}", key=key, expect=204)
    c.delete(f"/v1/api-keys/{SOME_ID}", key=key, expect=404)

    # And the operator's tenant routes
    onboard = {"name": "Initech"}
    tenant_created = c.post("/v1/tenants", onboard, key=OPERATOR_KEY, headers={"Idempotency-Key": "t1"}, expect=201)
    c.post("/v1/tenants", onboard, key=OPERATOR_KEY, headers={"Idempotency-Key": "t1"}, expect=201)
    c.post("/v1/tenants", {"name": " "}, key=OPERATOR_KEY, expect=422)
    c.get("/v1/tenants", key=OPERATOR_KEY, expect=200)
    c.get(f"/v1/tenants/{tenant_created.body['tenant']['id']}", key=OPERATOR_KEY, expect=200)
    c.get(f"/v1/tenants/{SOME_ID}", key=OPERATOR_KEY, expect=404)
    c.get("/v1/tenants", key=key, expect=403)

    # And the webhooks: subscription, secret rotation, a test event, its delivery, redelivery, replay
    subscription = {"url": receiver.url, "event_types": ["contact.*"]}
    hook = c.post("/v1/webhooks", subscription, key=key, headers={"Idempotency-Key": "w1"}, expect=201).body
    c.post("/v1/webhooks", subscription, key=key, headers={"Idempotency-Key": "w1"}, expect=201)
    c.post("/v1/webhooks", {"url": receiver.url, "event_types": ["nothing.*"]}, key=key, expect=422)
    hook_url = f"/v1/webhooks/{hook['id']}"
    c.get("/v1/webhooks", key=key, expect=200)
    c.get(hook_url, key=key, expect=200)
    c.patch(hook_url, {"description": "CRM"}, key=key, headers={"If-Match": '"9"'}, expect=412)
    c.patch(hook_url, {"description": "CRM"}, key=key, expect=200)
    c.post(f"{hook_url}/rotate-secret", key=key, expect=200)
    event_id = c.post(f"{hook_url}/test", key=key, expect=202).body["event_id"]
    event_chain.run()
    c.get(f"{hook_url}/deliveries", key=key, expect=200)
    c.get(f"{hook_url}/deliveries?status=succeeded", key=key, expect=200)
    c.get(f"{hook_url}/deliveries/{event_id}", key=key, expect=200)
    c.get(f"{hook_url}/deliveries/{SOME_ID}", key=key, expect=404)
    c.post(f"{hook_url}/deliveries/{event_id}/redeliver", key=key, expect=202)
    since = (event_chain.moment[0] - timedelta(hours=1)).isoformat()
    c.post(f"{hook_url}/replay", {"since": since}, key=key, expect=202)
    c.post(f"{hook_url}/replay", {"since": "2000-01-01T00:00:00Z"}, key=key, expect=422)
    c.patch(hook_url, {"enabled": False}, key=key, expect=200)
    c.post(f"{hook_url}/test", key=key, expect=409)
    c.delete(hook_url, key=key, expect=204)
    c.get(hook_url, key=key, expect=404)

    # Then every answer was documented; the sample covers every status but the gateway's 429, a 503, and
    # the 405 of a method a path does not serve (every path's own test below)
    statuses = {status for _, status in c.answered}
    assert statuses == {200, 201, 202, 204, 400, 401, 403, 404, 409, 412, 413, 422}


def _sample_url(template: str) -> str:
    return catalogue.API_PREFIX + re.sub(r"\{[^}]+\}", SOME_ID, template)


@pytest.mark.parametrize("method", ["PUT", "OPTIONS", "HEAD", "POST", "PATCH", "DELETE", "GET"])
def test_given_each_path_when_called_with_a_method_it_does_not_serve_then_405_with_allow_naming_those_it_does(
    api, tenant, document, method
):
    # Given every path of the document (every function serving one: meta, tenants, records, webhooks)
    for template, item in document["paths"].items():
        served = sorted(m.upper() for m in item)
        if method in served:
            continue
        key = OPERATOR_KEY if template.startswith("/tenants") else tenant.key

        # When it is called with a method it does not serve
        reply = api.request(method, _sample_url(template), key=key)

        # Then the function answers 405, naming the methods the path serves, as the document says it may
        assert reply.status == 405, (method, template, reply.status, reply.body)
        assert reply.header("Allow") == ", ".join(served), (method, template)
        assert "405" in item[served[0].lower()]["responses"]
        if method != "HEAD":  # a HEAD answer has no body
            assert reply.header("Content-Type") == "application/problem+json"
            assert reply.body["status"] == 405 and reply.body["detail"] == f"{method} is not allowed here."


def test_given_a_405_when_documented_then_it_is_a_problem_naming_the_allowed_methods(document):
    for path, _, operation in operations(document):
        response = operation["responses"]["405"]
        assert ref_of(response, "application/problem+json") == SCHEMAS + "Problem", path
        assert set(response["headers"]) == {"Allow"}, path


def test_given_the_docs_page_when_opened_then_swagger_ui_shows_the_served_document(api):
    # Given the exact document served at /v1/openapi.json
    served = api.get("/v1/openapi.json").body
    # When the Swagger UI page is opened
    page = api.get("/v1/docs")
    # Then it is HTML embedding that same document (typed per object type, with its headers), not the raw one
    assert page.status == 200 and page.header("Content-Type") == "text/html"
    assert "list_companies" in page.body and "Idempotency-Key" in page.body
    assert served["paths"]["/companies"]["get"]["operationId"] == "list_companies"
