"""Where forms live (shapes in crm.keys):

- form         pk T#<tenant>#FM              sk <form id>                 the definition; a deleted one is marked
- counters     pk T#<tenant>#FMR#<form id>   sk ip#<hash>#<window> | form#<window>   expire with TTL
- form index   pk SYSTEM#FORM#<form id>      sk FORM                      -> tenant id, outside every tenant

The index is what lets a public submission, which names no tenant, find its form: written with the form in one
transaction, deleted with it in another."""

from __future__ import annotations

from typing import Any

from crm import keys, outbox
from crm.store import SystemTable, TenantTable
from crm.writes import Delete, Outcome, Put, VersionRace, WritePlan, Writer, retry_on_race
from forms import limits
from forms.definition import Definition, submit_url

Item = dict[str, Any]
# Reads and writes of one counter before a submission gives up with a 503 (a form busier than this is
# already far over its limit).
COUNTER_ATTEMPTS = 5


def public_form(item: Item) -> Item:
    return {
        "id": item["id"],
        **Definition.from_public(item["definition"]).public(),
        "submit_url": submit_url(item["id"]),
        "version": item["version"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def definition_of(item: Item) -> Definition:
    return Definition.from_public(item["definition"])


class FormIndex:
    """The system index: which tenant a form id belongs to. Only forms touch it."""

    def __init__(self, table: SystemTable | None = None) -> None:
        self.table = table or SystemTable()

    def tenant_of(self, form_id: str) -> str | None:
        pk, sk = keys.form_ref_key(form_id)
        item = self.table.get(pk, sk)
        return item["tenant_id"] if item else None


class FormRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table
        self.tenant_id = table.tenant_id
        self._forms = table.pk(keys.FORM.partition)

    def _counters(self, form_id: str) -> str:
        return self.table.pk(keys.prefix(keys.FORM_RATE), form_id)

    # --- reads ------------------------------------------------------------------------------------------

    def get(self, form_id: str) -> Item | None:
        """The form as stored (a deleted one too: check `deleted_at`)."""
        return self.table.get(self._forms, form_id)

    def get_with_profile(self, form_id: str) -> tuple[Item | None, Item | None]:
        """The form and its tenant's profile (status, default region), in one round trip."""
        form_key, profile_key = (self._forms, form_id), (self.table.pk(), keys.TENANT_PROFILE.sort)
        found = self.table.get_many([form_key, profile_key])
        return found.get(form_key), found.get(profile_key)

    def page(self, limit: int, after: str | None) -> tuple[list[Item], str | None]:
        """Forms that are not deleted, newest first (ids begin with a ULID)."""
        return self.table.query(
            self._forms, limit=limit, after_sk=after, filter_expression="attribute_not_exists(deleted_at)"
        )

    # --- writes (added to plans) -------------------------------------------------------------------------

    def add(self, plan: WritePlan, item: Item) -> None:
        """A new form and its index item."""
        plan.add(Put(self._forms, item["id"], item, condition="attribute_not_exists(pk)"), "created")
        pk, sk = keys.form_ref_key(item["id"])
        ref = {"kind": keys.FORM_REF_KIND, "tenant_id": self.tenant_id, "form_id": item["id"]}
        plan.add(Put(pk, sk, ref, condition="attribute_not_exists(pk)"), "created")

    def replace(self, plan: WritePlan, item: Item, expected_version: int) -> None:
        put = Put(self._forms, item["id"], item, condition="version = :v", values={":v": expected_version})
        plan.add(put, "version_changed")

    def delete(self, plan: WritePlan, item: Item, expected_version: int) -> None:
        """The form marked deleted (kept for its history) and its index item gone: its submit URL is dead."""
        self.replace(plan, item, expected_version)
        plan.add(Delete(*keys.form_ref_key(item["id"])))

    # --- submissions -------------------------------------------------------------------------------------

    def count(self, form_id: str, counter: limits.Counter, expires_at: int) -> bool:
        """Count one submission on `counter` unless it is at its limit (False). A read, then a write
        conditional on what was read: two submissions counted at once never both win the same slot."""
        pk = self._counters(form_id)

        def attempt() -> bool:
            item = self.table.get(pk, counter.sort_key)
            seen = int(item["count"]) if item else 0
            if seen >= counter.limit:
                return False
            stored = {"kind": keys.FORM_RATE.kind, "count": seen + 1, "expires_at": expires_at}
            if item is None:
                put = Put(pk, counter.sort_key, stored, condition="attribute_not_exists(pk)")
            else:
                put = Put(pk, counter.sort_key, stored, condition="#count = :seen", names={"#count": "count"})
                put.values = {":seen": seen}
            Writer(self.table).commit(WritePlan().add(put, "version_changed"), Outcome(200, None), subject="form")
            return True

        return retry_on_race(attempt, attempts=COUNTER_ATTEMPTS, subject="form's submission count")

    def ensure_event(self, event: Item) -> None:
        """The change event in the outbox, once: written unless it already is (e.g. by the contact's write)."""
        pk = self.table.pk(keys.OUTBOX_EVENT.partition)
        if self.table.get(pk, event["id"]) is not None:
            return
        put = Put(pk, event["id"], outbox.outbox_item(event), condition="attribute_not_exists(pk)")
        try:
            Writer(self.table).commit(WritePlan().add(put, "created"), Outcome(202, None), subject="event")
        except VersionRace:  # written meanwhile: once is all it takes
            return
