"""Every item's key shape and `kind`, in one place. No other module spells a partition letter or a
`T#...` literal: repositories build keys from these shapes (a tenant's through `TenantTable.pk`), so
two contexts can never collide on a prefix, and the tests check that prefixes and kinds are unique.

A tenant's items live under `T#<tenant id>` (catalogue.TENANT_KEY_PREFIX); the operator's registry is
the only data outside any tenant."""

from __future__ import annotations

from dataclasses import dataclass

from crm.catalogue import TENANT_KEY_PREFIX


@dataclass(frozen=True)
class Shape:
    kind: str  # the item's `kind` attribute
    partition: str  # after `T#<tenant>#` (empty: the tenant's root partition); `<...>` are variable parts
    sort: str  # what the sort key holds
    owner: str  # the context that writes it


TENANT_PROFILE = Shape("tenant", "", "TENANT", "tenants")
API_KEY = Shape("api_key", "K", "<key id>", "tenants")
RECORD = Shape("record", "R#<object>", "<record id (ULID)>", "records")
UNIQUE_GUARD = Shape("guard", "U#<object>#<property>", "<normalised value>", "records")
OUTBOX_EVENT = Shape("event", "E", "<event id (ULID)>", "platform (write path)")
IDEMPOTENCY = Shape("idempotency", "I", "sha256(<Idempotency-Key>)", "platform (write path)")
WEBHOOK = Shape("webhook", "W", "<webhook id>", "webhooks")
DELIVERY = Shape("delivery", "D#<webhook id>", "<event id>", "webhooks")
WORKFLOW = Shape("workflow", "WF", "<workflow id>", "workflows")  # the current definition
WORKFLOW_VERSION = Shape("workflow_version", "WFV#<workflow id>", "<version, 10 digits>", "workflows")
WORKFLOW_RUN = Shape("workflow_run", "WFR#<workflow id>", "<run id>", "workflows")
WORKFLOW_RUN_REF = Shape("workflow_run_ref", "WFRID", "<run id>", "workflows")  # run id -> workflow id
# A record enrolled in a workflow that does not re-enrol (reenrollment "never").
WORKFLOW_ENROLLMENT = Shape("workflow_enrollment", "WFE#<workflow id>", "<record id>", "workflows")
WORKFLOW_COUNTER = Shape("workflow_counter", "WFC#<workflow id>", "<step id>", "workflows")  # round-robin turns
# A contact's behavioural events, newest first by when they happened (fixed-width UTC, so text order is time order).
ACTIVITY_EVENT = Shape("activity_event", "EV#<contact id>", "<occurred_at, UTC, to the µs>#<event id>", "activity")
# Events not yet folded into the contact's computed properties (deleted in the transaction that folds them).
ACTIVITY_PENDING = Shape("activity_pending", "EVP#<contact id>", "<event id>", "activity")
# A tenant's data model: per object type, its custom properties (and, for a custom object type, the type itself).
SCHEMA = Shape("schema", "S", "<object>", "records")
# The tenant's schema version, raised by every schema change: warm containers compare it to what they cached.
SCHEMA_VERSION = Shape("schema_version", "SV", "VERSION", "records")
# A labelled link between two records, one item per direction (functions/contacts/associations.py).
ASSOCIATION = Shape("association", "A#<object>#<record id>", "<to object>#<to record id>", "records")
# How much each property of an object type is used (fill counts, last writes), kept from change events.
SCHEMA_USAGE = Shape("schema_usage", "SU", "<object>", "records")
SCORING_RULES = Shape("scoring_rules", "SR", "<object>", "activity")  # the lead scoring rules of an object type
FORM = Shape("form", "FM", "<form id>", "forms")  # a web form (a deleted one stays, marked deleted_at)
# A form's fixed-window submission counters: per client (a keyed hash of its IP, never the IP) and the form's own.
FORM_RATE = Shape("form_rate", "FMR#<form id>", "<ip#<hash> or form>#<window start, epoch s>", "forms")
# Search (functions/search), written in the record's own transaction: one item per value of an indexed property
# (text case-folded, numbers and instants fixed-width, so text order is value order; NUL ends the value) ...
SEARCH_INDEX = Shape("search_index", "X#<object>#<property>", "<sortable value>\\0<record id>", "search")
# ... one per word of the record's identifying text, for `query` prefixes ...
SEARCH_TOKEN = Shape("search_token", "XQ#<object>", "<case-folded word onwards>\\0<record id>", "search")
# ... and a record whose index items did not all fit its transaction (the rest follow it): searches read it always.
SEARCH_PENDING = Shape("search_pending", "XP#<object>", "<record id>", "search")

TENANT_SHAPES: tuple[Shape, ...] = (
    TENANT_PROFILE,
    API_KEY,
    RECORD,
    UNIQUE_GUARD,
    OUTBOX_EVENT,
    IDEMPOTENCY,
    WEBHOOK,
    DELIVERY,
    WORKFLOW,
    WORKFLOW_VERSION,
    WORKFLOW_RUN,
    WORKFLOW_RUN_REF,
    WORKFLOW_ENROLLMENT,
    WORKFLOW_COUNTER,
    ACTIVITY_EVENT,
    ACTIVITY_PENDING,
    SCHEMA,
    SCHEMA_VERSION,
    SCHEMA_USAGE,
    ASSOCIATION,
    SCORING_RULES,
    FORM,
    FORM_RATE,
    SEARCH_INDEX,
    SEARCH_TOKEN,
    SEARCH_PENDING,
)

# Outside every tenant: the operator's registry of tenants and the operator's idempotency records.
SYSTEM_TENANTS_PK = "SYSTEM#TENANTS"  # kind tenant_ref, sk <tenant id>
SYSTEM_IDEMPOTENCY_PK = "SYSTEM#I"  # kind idempotency
TENANT_REF_KIND = "tenant_ref"
# A form id -> its tenant, for the public submission route (which names no tenant). One partition per form,
# so busy forms never share a hot partition; written and deleted in the form's own transactions.
SYSTEM_FORM_PREFIX = "SYSTEM#FORM#"  # + <form id>; sk FORM_REF_SORT
FORM_REF_SORT = "FORM"
FORM_REF_KIND = "form_ref"


def prefix(shape: Shape) -> str:
    """The fixed first segment of a shape's partition (what follows `T#<tenant>#`)."""
    return shape.partition.split("#", 1)[0]


def tenant_root(tenant_id: str) -> str:
    """`T#<tenant id>`: the tenant's root partition (its profile); every other key extends it."""
    return f"{TENANT_KEY_PREFIX}{tenant_id}"


def api_key_partition(tenant_id: str) -> str:
    """Where a tenant's API keys live; the authorizer reads one item here (it has no TenantTable)."""
    return f"{tenant_root(tenant_id)}#{API_KEY.partition}"


def form_ref_key(form_id: str) -> tuple[str, str]:
    """(pk, sk) of the system item that says which tenant a form belongs to."""
    return f"{SYSTEM_FORM_PREFIX}{form_id}", FORM_REF_SORT
