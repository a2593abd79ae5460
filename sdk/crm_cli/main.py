"""The `crm` command: the CRM API from a shell, on the generated client (crm_client).

Exit codes: 0 done; 1 the API answered an error (its problem on stderr); 2 usage or configuration;
3 the API could not be reached; 4 a fault in crm itself."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any, TypeVar

import attrs
import typer
from rich.console import Console
from rich.text import Text

from crm_cli import render
from crm_cli.config import ConfigError, resolve
from crm_cli.session import ExitCode, Session, State, fail
from crm_client.api.api_keys import create_api_key, list_api_keys, revoke_api_key
from crm_client.api.contacts import create_contact, get_contact, list_contacts
from crm_client.api.meta import openapi as get_openapi
from crm_client.api.operator import create_tenant, list_tenants
from crm_client.api.webhooks import list_webhook_deliveries, list_webhooks
from crm_client.models import (
    ApiKeyCreated,
    ApiKeyInput,
    ApiKeyPage,
    Contact,
    ContactInput,
    ContactLifecycleStage,
    ContactPage,
    ContactProperties,
    DeliveryPage,
    DeliveryStatus,
    KeyRole,
    TenantCreated,
    TenantInput,
    TenantPage,
    Tier,
    WebhookPage,
)
from crm_client.types import UNSET, Response

Model = TypeVar("Model")

app = typer.Typer(
    name="crm",
    help="The CRM API from a shell. Reads CRM_URL and CRM_API_KEY, or a --profile from the config file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # main() turns faults into one line, never a traceback
)
tenants_app = typer.Typer(help="Onboard and list tenants (the operator key).", no_args_is_help=True)
keys_app = typer.Typer(help="A tenant's API keys.", no_args_is_help=True)
contacts_app = typer.Typer(help="Contacts.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhook subscriptions and their deliveries.", no_args_is_help=True)
app.add_typer(tenants_app, name="tenants")
app.add_typer(keys_app, name="keys")
app.add_typer(contacts_app, name="contacts")
app.add_typer(webhooks_app, name="webhooks")

AsJson = Annotated[bool, typer.Option("--json", help="Print the API's JSON answer exactly as it came.")]
Limit = Annotated[int, typer.Option(min=1, max=100, help="Items per page (1-100).")]
Cursor = Annotated[str | None, typer.Option(help="The next_cursor of the previous page.", show_default=False)]
IdempotencyKey = Annotated[
    str | None,
    typer.Option(help="Sent as Idempotency-Key: a retry with the same key writes nothing twice.", show_default=False),
]


@app.callback()
def root(
    ctx: typer.Context,
    url: Annotated[
        str | None, typer.Option(help="The API's URL (env CRM_URL; default http://127.0.0.1:3000)", show_default=False)
    ] = None,
    api_key: Annotated[str | None, typer.Option(help="An API key (env CRM_API_KEY)", show_default=False)] = None,
    profile: Annotated[
        str | None,
        typer.Option(help="A profile of the config file, $CRM_CONFIG or ~/.config/crm/config.toml (env CRM_PROFILE)"),
    ] = None,
) -> None:
    state = ctx.obj if isinstance(ctx.obj, State) else State()
    try:
        state.settings = resolve(url=url, api_key=api_key, profile=profile)
    except ConfigError as error:
        fail(state, str(error), ExitCode.USAGE)
    ctx.obj = state


def _session(ctx: typer.Context, as_json: bool) -> Session:
    return Session(ctx.ensure_object(State), as_json=as_json)


def _parsed(session: Session, answer: Response[Any], model: type[Model]) -> Model:
    if not isinstance(answer.parsed, model):
        fail(session.state, f"unexpected answer {answer.status_code}: not a {model.__name__}", ExitCode.API_ERROR)
    return answer.parsed


def _body(model: type[Model], data: dict[str, Any]) -> Model:
    """A request body from the command line's text, through the model's own parsing: values the document
    enumerates (regions, scopes, stages) become its types; one it does not know is a usage error."""
    try:
        return model.from_dict(data)  # type: ignore[attr-defined]
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _given(value: Any) -> Any:
    return UNSET if value is None else value


# --- tenants ---------------------------------------------------------------------------------------


@tenants_app.command("create")
def tenants_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The tenant's name.")],
    tier: Annotated[Tier, typer.Option(help="Rate limit and quota tier.")] = Tier.BASIC,
    region: Annotated[
        str | None, typer.Option(help="Region for phone numbers without +country, e.g. GB (API default: US)")
    ] = None,
    idempotency_key: IdempotencyKey = None,
    as_json: AsJson = False,
) -> None:
    """Onboard a tenant; prints its first admin API key (shown once)."""
    session = _session(ctx, as_json)
    body = _body(TenantInput, {"name": name, "tier": tier.value, **({"default_region": region} if region else {})})
    answer = session.call(create_tenant, "Onboarding the tenant...", body=body, idempotency_key=_given(idempotency_key))
    if as_json:
        return session.print_raw(answer.content)
    created = _parsed(session, answer, TenantCreated)
    tenant, key = created.tenant, created.api_key
    out = session.state.stdout
    render.fields(
        out,
        [
            ("id", tenant.id),
            ("name", tenant.name),
            ("tier", tenant.tier),
            ("region", tenant.default_region),
            ("status", tenant.status),
            ("created_at", tenant.created_at),
        ],
        title="Tenant created",
    )
    render.fields(out, [("id", key.id), ("name", key.name), ("role", key.role)], title="Its admin API key")
    render.secret(out, "Admin API key", key.key, key.note)


@tenants_app.command("list")
def tenants_list(ctx: typer.Context, limit: Limit = 25, cursor: Cursor = None, as_json: AsJson = False) -> None:
    """List tenants, newest first."""
    session = _session(ctx, as_json)
    answer = session.call(list_tenants, "Listing tenants...", limit=limit, cursor=_given(cursor))
    if as_json:
        return session.print_raw(answer.content)
    page = _parsed(session, answer, TenantPage)
    rows = [(t.id, t.name, t.tier, t.default_region, t.status, t.created_at) for t in page.data]
    render.table(session.state.stdout, ("id", "name", "tier", "region", "status", "created_at"), rows)
    render.next_page(session.state.stdout, page.next_cursor)


# --- API keys --------------------------------------------------------------------------------------


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="What the key is for, e.g. reporting.")],
    role: Annotated[KeyRole, typer.Option(help="What the key may do.")] = KeyRole.MEMBER,
    scope: Annotated[
        list[str] | None, typer.Option(help="Narrow the role, e.g. records:read (repeatable).", show_default=False)
    ] = None,
    idempotency_key: IdempotencyKey = None,
    as_json: AsJson = False,
) -> None:
    """Create an API key; prints the key (shown once)."""
    session = _session(ctx, as_json)
    body = _body(ApiKeyInput, {"name": name, "role": role.value, **({"scopes": scope} if scope else {})})
    answer = session.call(create_api_key, "Creating the key...", body=body, idempotency_key=_given(idempotency_key))
    if as_json:
        return session.print_raw(answer.content)
    key = _parsed(session, answer, ApiKeyCreated).api_key
    out = session.state.stdout
    render.fields(
        out,
        [
            ("id", key.id),
            ("name", key.name),
            ("role", key.role),
            ("scopes", key.scopes),
            ("created_at", key.created_at),
        ],
        title="API key created",
    )
    render.secret(out, "API key", key.key, key.note)


@keys_app.command("list")
def keys_list(ctx: typer.Context, limit: Limit = 25, cursor: Cursor = None, as_json: AsJson = False) -> None:
    """List API keys (never their secrets)."""
    session = _session(ctx, as_json)
    answer = session.call(list_api_keys, "Listing keys...", limit=limit, cursor=_given(cursor))
    if as_json:
        return session.print_raw(answer.content)
    page = _parsed(session, answer, ApiKeyPage)
    rows = [(k.id, k.name, k.role, k.scopes, k.created_at, k.revoked_at) for k in page.data]
    render.table(session.state.stdout, ("id", "name", "role", "scopes", "created_at", "revoked_at"), rows)
    render.next_page(session.state.stdout, page.next_cursor)


@keys_app.command("revoke")
def keys_revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id.")],
    idempotency_key: IdempotencyKey = None,
    as_json: AsJson = False,
) -> None:
    """Revoke an API key (revoking a revoked key changes nothing). The API answers 204: --json prints nothing."""
    session = _session(ctx, as_json)
    session.call(revoke_api_key, "Revoking the key...", key_id, idempotency_key=_given(idempotency_key))
    if not as_json:
        session.state.stdout.print(Text(f"Revoked API key {key_id}"))


# --- contacts --------------------------------------------------------------------------------------


def _contact_fields(contact: Contact) -> list[tuple[str, Any]]:
    record = [
        ("id", contact.id),
        ("version", contact.version),
        ("created_at", contact.created_at),
        ("updated_at", contact.updated_at),
        ("archived_at", contact.archived_at),
    ]
    return record + list(contact.properties.to_dict().items())


@contacts_app.command("list")
def contacts_list(
    ctx: typer.Context,
    limit: Limit = 25,
    cursor: Cursor = None,
    email: Annotated[str | None, typer.Option(help="Look one contact up by email.", show_default=False)] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Archived contacts instead.")] = False,
    as_json: AsJson = False,
) -> None:
    """List contacts, newest first, or find one by email."""
    session = _session(ctx, as_json)
    answer = session.call(
        list_contacts, "Listing contacts...", limit=limit, cursor=_given(cursor), archived=archived, email=_given(email)
    )
    if as_json:
        return session.print_raw(answer.content)
    page = _parsed(session, answer, ContactPage)
    rows = [
        (
            c.id,
            c.properties.email,
            c.properties.first_name,
            c.properties.last_name,
            c.properties.lifecycle_stage,
            c.updated_at,
        )
        for c in page.data
    ]
    render.table(
        session.state.stdout, ("id", "email", "first_name", "last_name", "lifecycle_stage", "updated_at"), rows
    )
    render.next_page(session.state.stdout, page.next_cursor)


@contacts_app.command("get")
def contacts_get(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The contact's id.")],
    archived: Annotated[bool, typer.Option("--archived", help="Also find it while archived.")] = False,
    as_json: AsJson = False,
) -> None:
    """Show one contact."""
    session = _session(ctx, as_json)
    answer = session.call(get_contact, "Reading the contact...", record_id, archived=archived)
    if as_json:
        return session.print_raw(answer.content)
    render.fields(session.state.stdout, _contact_fields(_parsed(session, answer, Contact)))


CONTACT_PROPERTIES = tuple(a.name for a in attrs.fields(ContactProperties) if a.name != "additional_properties")


def contact_properties(pairs: list[str], flags: dict[str, str | None]) -> ContactProperties:
    """--property name=value pairs (values are text, as every contact property is) and the named flags,
    which win; a name that is no contact property is a usage error before anything is sent."""
    properties: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"{pair!r} is not name=value", param_hint="--property")
        if name not in CONTACT_PROPERTIES:
            raise typer.BadParameter(
                f"{name!r} is not a contact property ({', '.join(CONTACT_PROPERTIES)})", param_hint="--property"
            )
        properties[name] = value
    properties.update({name: value for name, value in flags.items() if value is not None})
    try:
        return ContactProperties.from_dict(properties)
    except ValueError as error:  # an enumeration's unknown value
        raise typer.BadParameter(str(error), param_hint="--property") from None


@contacts_app.command("create")
def contacts_create(
    ctx: typer.Context,
    email: Annotated[str | None, typer.Option(show_default=False)] = None,
    first_name: Annotated[str | None, typer.Option(show_default=False)] = None,
    last_name: Annotated[str | None, typer.Option(show_default=False)] = None,
    phone: Annotated[str | None, typer.Option(help="E.164, or national in the tenant's region.")] = None,
    lifecycle_stage: Annotated[ContactLifecycleStage | None, typer.Option(show_default=False)] = None,
    prop: Annotated[
        list[str] | None,
        typer.Option(
            "--property", help=f"name=value, repeatable; names: {', '.join(CONTACT_PROPERTIES)}.", show_default=False
        ),
    ] = None,
    idempotency_key: IdempotencyKey = None,
    as_json: AsJson = False,
) -> None:
    """Create a contact (at least one of email, first name, last name, phone)."""
    flags = {
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "phone": phone,
        "lifecycle_stage": lifecycle_stage.value if lifecycle_stage else None,
    }
    body = ContactInput(properties=contact_properties(prop or [], flags))
    session = _session(ctx, as_json)
    answer = session.call(create_contact, "Creating the contact...", body=body, idempotency_key=_given(idempotency_key))
    if as_json:
        return session.print_raw(answer.content)
    contact = _parsed(session, answer, Contact)
    render.fields(session.state.stdout, _contact_fields(contact), title="Contact created")


# --- webhooks --------------------------------------------------------------------------------------


@webhooks_app.command("list")
def webhooks_list(ctx: typer.Context, limit: Limit = 25, cursor: Cursor = None, as_json: AsJson = False) -> None:
    """List webhook subscriptions."""
    session = _session(ctx, as_json)
    answer = session.call(list_webhooks, "Listing webhooks...", limit=limit, cursor=_given(cursor))
    if as_json:
        return session.print_raw(answer.content)
    page = _parsed(session, answer, WebhookPage)
    rows = [
        (w.id, w.url, w.event_types, "yes" if w.enabled else f"no: {w.disabled_reason or ''}", w.failing_since)
        for w in page.data
    ]
    render.table(session.state.stdout, ("id", "url", "event_types", "enabled", "failing_since"), rows)
    render.next_page(session.state.stdout, page.next_cursor)


@webhooks_app.command("deliveries")
def webhooks_deliveries(
    ctx: typer.Context,
    webhook_id: Annotated[str, typer.Argument(metavar="ID", help="The webhook's id.")],
    status: Annotated[DeliveryStatus | None, typer.Option(show_default=False)] = None,
    limit: Limit = 25,
    cursor: Cursor = None,
    as_json: AsJson = False,
) -> None:
    """A webhook's deliveries, newest first, with their attempts."""
    session = _session(ctx, as_json)
    answer = session.call(
        list_webhook_deliveries,
        "Listing deliveries...",
        webhook_id,
        status=_given(status),
        limit=limit,
        cursor=_given(cursor),
    )
    if as_json:
        return session.print_raw(answer.content)
    page = _parsed(session, answer, DeliveryPage)
    rows = []
    for delivery in page.data:
        last = delivery.attempts[-1] if delivery.attempts else None
        outcome = (last.response_status or last.error) if last else None
        rows.append(
            (
                delivery.id,
                delivery.event_type,
                delivery.status,
                len(delivery.attempts),
                outcome,
                delivery.next_attempt_at,
            )
        )
    columns = ("id", "event_type", "status", "attempts", "last_outcome", "next_attempt_at")
    render.table(session.state.stdout, columns, rows)
    render.next_page(session.state.stdout, page.next_cursor)


# --- meta ------------------------------------------------------------------------------------------


@app.command("openapi")
def openapi(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Print the OpenAPI document the API serves (no key needed)."""
    session = _session(ctx, as_json)
    answer = session.call(get_openapi, "Fetching the OpenAPI document...", authenticated=False)
    if as_json or not session.state.stdout.is_terminal:
        return session.print_raw(answer.content)
    session.state.stdout.print_json(answer.content.decode("utf-8", errors="replace"))


def main() -> None:
    try:
        app()
    except Exception as error:  # a fault in crm: one line for the user; CRM_DEBUG=1 shows the traceback
        if os.environ.get("CRM_DEBUG"):
            raise
        message = f"crm: internal error: {type(error).__name__}: {error} (CRM_DEBUG=1 shows where)"
        Console(stderr=True).print(Text(message), style="red", highlight=False, soft_wrap=True)
        sys.exit(ExitCode.INTERNAL)
