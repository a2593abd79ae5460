"""The served OpenAPI document is a contract the running API keeps: schemathesis reads it from the local stack
(`python -m local`, over HTTP) and runs every phase it has (examples, coverage, fuzzing, stateful) with every
default check, and finds nothing. Routes added later join by themselves: the run reads the served document.

What the run is told, each for a reason it cannot read from the document:
- who calls: a tenant's admin key, the operator key on the operator routes (`/tenants`), and another
  tenant's key on the webhook routes (so the records the run writes are not delivered to its endpoints);
- how to draw a `format: phone` value (the document cannot say which numbers exist);
- which methods to probe where none is served: those API Gateway routes to a function (ANY), since any other
  (TRACE, QUERY...) gets the gateway's no-route problem before a function could name the methods it serves;
- that an Idempotency-Key names one request, so each drawn key is made unique per request;
- that webhook URLs it draws end in `.invalid` (RFC 6761), so no delivery ever leaves the machine;
- that every input of a batch is a write its change events announce: a drawn batch keeps its first
  MAX_DRAWN_INPUTS inputs (a body drawn to break the schema is left whole), or each boundary case would
  write a hundred records, and the run's background event chain would fall minutes behind (100-input
  batches are tests/integration/contacts/test_batch.py's);
- that a batch answers each input on its own: an input that breaks its schema is refused in its result (a
  422 there) while the batch answers 200 (BATCH_ROUTES);
- which refusals of well-formed requests depend on state no schema can express (STATEFUL_REFUSALS)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.e2e.conftest import OPERATOR_KEY, LocalStackProcess, free_port

pytestmark = pytest.mark.e2e

OPERATOR_ROUTES = re.compile(r"^/tenants(/|$)")
WEBHOOK_ROUTES = re.compile(r"^/webhooks(/|$)")
# What API Gateway's ANY covers (local.gateway.ANY_METHODS) and schemathesis can send: a function answers these.
PROBED_METHODS = ["get", "put", "post", "delete", "options", "patch"]
# Bounded and reproducible: a few drawn cases per operation in the fuzzing phase (the coverage and stateful
# phases follow plans of their own), a fixed seed, derandomized. The run grows with the routes (1-2 minutes).
MAX_EXAMPLES = 3
SEED = 20261123
IDEMPOTENCY_KEY = re.compile(r"[!-~]{1,255}")
BATCH_ROUTES = re.compile(r"/batch/(create|update|upsert|archive)$")
MAX_DRAWN_INPUTS = 3

# Well-formed requests the API refuses because of state the document cannot express, by problem type
# (crm.errors slugs): a cursor it did not issue, a version that is not the current one (412), a replay window
# outside the event log (relative to now).
STATEFUL_REFUSALS = frozenset(
    {
        "invalid-cursor",
        "precondition-failed",
        "replay-window",
        # definitions checked whole against the tenant's data and graph rules no schema can express
        "invalid-workflow",
        "invalid-form",
        "invalid-submission",
        "invalid-scoring-rules",
        # a search's filters and sorts checked against the tenant's object type (its properties, their types)
        "invalid-search",
        # custom properties and object types, pipelines and association labels checked whole (how their fields
        # relate, what the tenant has); a value naming a pipeline, stage, event type or label the tenant lacks
        "invalid-schema",
        "unknown-to-tenant",
    }
)
# Refusals of that kind without a problem type of their own, by the error detail: a record may only refer to
# an existing record of the tenant (crm.writes), and a PATCH may not remove the last identifying property
# the record has (contacts.service).
STATEFUL_DETAILS = re.compile(r"^(refers to a record that does not exist or is archived|would leave none of: .*)$")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStackProcess]:
    stack = LocalStackProcess(tmp_path_factory.mktemp("data"), free_port())
    stack.start()
    yield stack
    stack.stop()


@dataclass(frozen=True)
class Found:
    """One failure schemathesis found, as the assertion message shows it."""

    operation: str
    code: str
    title: str
    message: str
    request: str
    response: str

    def __str__(self) -> str:
        message = "\n".join(f"    {line}" for line in self.message.splitlines()[:6] if line.strip())
        return f"{self.operation}: {self.code} {self.title}\n{message}\n    {self.request}\n    -> {self.response}"


def test_given_the_served_document_when_schemathesis_runs_every_phase_and_check_then_it_finds_nothing(stack):
    # Given two tenants' admin keys (the operator key serves the operator routes)
    keys = {}
    for name in ("records", "webhooks"):
        created = stack.request("POST", "/v1/tenants", {"name": f"Contract {name}"}, key=OPERATOR_KEY)
        assert created.status == 201, created.body
        keys[name] = created.body["api_key"]["key"]

    # When schemathesis runs every phase with every default check against the served document
    found, phases = run_schemathesis(stack.url, keys["records"], keys["webhooks"])

    # Then every phase ran, and nothing was found
    assert {"examples", "coverage", "fuzzing", "stateful"} <= phases["ran"], phases
    assert not found, f"{len(found)} contract failures:\n\n" + "\n\n".join(map(str, found))


def run_schemathesis(url: str, tenant_key: str, webhooks_key: str) -> tuple[list[Found], dict[str, set[str]]]:
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import Status, events

    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {"coverage": {"unexpected-methods": PROBED_METHODS}},
            "workers": 1,  # the stack answers one request at a time anyway
            # A replay enqueues a delivery per event, and moto's queues scan every waiting message on each send
            # and receive: late in the run, with thousands of retries to .invalid endpoints waiting, one replay
            # takes seconds (the default timeout is 10 s).
            "request-timeout": 60,
        }
    )
    schema = schemathesis.openapi.from_url(f"{url}/v1/openapi.json", config=config)
    schema.auth()(_keys(tenant_key, webhooks_key))
    schema.hook(filter_failure)
    schemathesis.openapi.format("phone", _phone_numbers())
    schemathesis.hook(before_call)
    found: dict[tuple[str, str, str], Found] = {}
    phases: dict[str, set[str]] = {"ran": set(), "skipped": set()}
    try:
        for event in schemathesis.engine.from_schema(schema).execute():
            if isinstance(event, events.PhaseFinished):
                ran = event.status not in (Status.SKIP, Status.INTERRUPTED)
                phases["ran" if ran else "skipped"].add(event.phase.name.value)
            elif isinstance(event, events.NonFatalError | events.FatalError):
                error = getattr(event, "info", None) or getattr(event, "exception", None)
                raise AssertionError(f"schemathesis could not run: {error}")
            elif isinstance(event, events.ScenarioFinished):
                for failure in _failures(event):
                    found.setdefault((failure.operation, failure.code, failure.title), failure)
    finally:
        schemathesis.hooks.unregister(before_call)
        from schemathesis.specs.openapi.formats import unregister_string_format

        unregister_string_format("phone")
    return sorted(found.values(), key=lambda f: (f.operation, f.code)), phases


def _failures(event: Any) -> Iterator[Found]:
    from schemathesis.engine import Status

    recorder = event.recorder
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction else None
            answer = f"{response.status_code} {response.content[:400]!r}" if response is not None else "no response"
            yield Found(
                operation=recorder.label,
                code=getattr(failure, "code", "") or type(failure).__name__,
                title=failure.title,
                message=failure.message,
                request=check.failure_info.code_sample[:1500],
                response=answer,
            )


def _keys(tenant_key: str, webhooks_key: str) -> type:
    class Keys:
        """The operator key on the operator routes; the webhook routes in a tenant of their own, so the
        records the run writes do not fan out to every endpoint it subscribes (deliveries by the thousand,
        which would only slow the run down); the first tenant's admin key everywhere else. Set as auth, so
        schemathesis also checks the answers without it (ignored_auth, a missing Authorization header)."""

        def get(self, case: Any, context: Any) -> str:
            if OPERATOR_ROUTES.match(case.operation.path):
                return OPERATOR_KEY
            return webhooks_key if WEBHOOK_ROUTES.match(case.operation.path) else tenant_key

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return Keys


def _phone_numbers() -> Any:
    """Valid numbers of every region phonenumbers knows, in E.164 (the `phone` format)."""
    import phonenumbers
    from hypothesis import strategies as st

    def example(region: str) -> str | None:
        number = phonenumbers.example_number(region)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else None

    numbers = sorted({n for n in map(example, phonenumbers.SUPPORTED_REGIONS) if n})
    return st.sampled_from(numbers)


def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key):
        # A key names one request: drawn from a small space, keys repeat across unrelated requests, and the
        # API rightly answers a reused key with a 422. Still well formed (<= 255 printable characters).
        headers["Idempotency-Key"] = f"{key[:222]}-{uuid.uuid4().hex}"
    if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = _nowhere(case.body["url"])
    if BATCH_ROUTES.search(case.operation.path) and isinstance(case.body, dict) and not _negative_body(case):
        inputs = case.body.get("inputs")
        if isinstance(inputs, list):
            case.body["inputs"] = inputs[:MAX_DRAWN_INPUTS]  # still 1-100 inputs, each as drawn


def _negative_body(case: Any) -> bool:
    from schemathesis.core.parameters import ParameterLocation

    return case.meta is not None and case.meta.is_negative_at(ParameterLocation.BODY)


def _nowhere(url: str) -> str:
    """The URL with `invalid` as its top-level domain (RFC 6761: never resolves), so a webhook subscribed
    during the run cannot send anything anywhere. Still a URL the document allows."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:  # not a URL at all (a negative case): nothing to redirect
        return url
    if parts.scheme not in ("http", "https") or "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        return url
    netloc = host.rsplit(".", 1)[0] + ".invalid" + (f":{port}" if port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but a well-formed request refused for state (STATEFUL_REFUSALS, STATEFUL_DETAILS)
    and a batch whose schema-breaking input was refused in its result (BATCH_ROUTES)."""
    if getattr(failure, "code", None) == "ST201" and BATCH_ROUTES.search(case.operation.path):  # violation accepted
        return not _refused_an_input(response)
    if getattr(failure, "code", None) != "ST202":  # Schema-valid request rejected
        return True
    try:
        problem = json.loads(response.content)
    except ValueError:
        return True
    if not isinstance(problem, dict):
        return True
    if str(problem.get("type", "")).rsplit("/", 1)[-1] in STATEFUL_REFUSALS:
        return False
    errors = problem.get("errors") or []
    return not (errors and all(STATEFUL_DETAILS.match(str(error.get("detail"))) for error in errors))


def _refused_an_input(response: Any) -> bool:
    """Whether a batch's 200 refused one of its inputs as invalid (the batch's other inputs are written)."""
    try:
        answer = json.loads(response.content)
    except ValueError:
        return False
    results = answer.get("results") if response.status_code == 200 and isinstance(answer, dict) else None
    return isinstance(results, list) and any(isinstance(r, dict) and r.get("status") == 422 for r in results)


def test_given_a_drawn_webhook_url_when_redirected_then_only_its_top_level_domain_becomes_invalid():
    assert _nowhere("https://hooks.example.com:8443/in?x=1") == "https://hooks.example.invalid:8443/in?x=1"
    assert _nowhere("http://a.b/") == "http://a.invalid/"
    assert _nowhere("not a url") == "not a url"
    assert _nowhere("https://a.b:99999999/") == "https://a.b:99999999/"
