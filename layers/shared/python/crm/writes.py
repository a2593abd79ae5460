"""The one write path. Every write (API, batch, workflow step, form, import, merge) is a `WritePlan`
committed by a `Writer`: its items, unique guards, reference checks and outbox events, plus the
Idempotency-Key record, in ONE DynamoDB transaction. So a change never exists without its event, a
retry never writes twice, and a failed condition becomes the error the client needs (each action
says what its failure would mean). `retry_on_race` is the one optimistic-concurrency loop.

Repositories add actions to plans (they know the key shapes); services decide what to write;
nothing else calls `transact`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from crm import keys, observability, outbox
from crm.errors import (
    CrmError,
    DuplicateRecord,
    FieldError,
    IdempotencyKeyReused,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    ValidationFailed,
)
from crm.idempotency import Idempotency, IdempotencyKey, Outcome
from crm.store import Action, Check, ConditionsFailed, Delete, Put, TenantTable, _Table

# What the failure of an action's condition means.
Meaning = Literal[
    "created",  # the item already exists (a fresh id collided: retry)
    "version_changed",  # another writer got there first (optimistic concurrency)
    "guard_moved",  # a unique value changed hands meanwhile (same as above)
    "duplicate",  # a unique value belongs to another record (409 with existing_id)
    "missing_reference",  # a referenced record is gone or archived (422 at the pointer)
    "exists",  # the item must still exist (404)
    "idempotency",  # a racing request with the same Idempotency-Key won
    "unconditional",  # never fails
]

T = TypeVar("T")
Item = TypeVar("Item")
MAX_OPTIMISTIC_RETRIES = 3


class VersionRace(Exception):
    """Another writer changed what this write read; read again and retry (see retry_on_race)."""


@dataclass
class WritePlan:
    """One atomic change: the actions of one transaction and what each one's failure would mean."""

    actions: list[Action] = field(default_factory=list)
    meanings: list[tuple[Meaning, Any]] = field(default_factory=list)

    def add(self, action: Action, meaning: Meaning = "unconditional", detail: Any = None) -> WritePlan:
        self.actions.append(action)
        self.meanings.append((meaning, detail))
        return self

    def emit(self, table: TenantTable, event: dict[str, Any]) -> WritePlan:
        """Announce the change: the event is an outbox item in the same transaction."""
        return self.add(Put(table.pk(keys.OUTBOX_EVENT.partition), event["id"], outbox.outbox_item(event)))


class Writer:
    """Commits plans for one request: with its Idempotency-Key (if any) in the given partition."""

    def __init__(
        self,
        table: _Table,
        idempotency_key: IdempotencyKey | None = None,
        *,
        idempotency_pk: str | None = None,
        redact: Callable[[Any], Any] | None = None,
    ) -> None:
        self.table = table
        if idempotency_pk is None:
            assert isinstance(table, TenantTable), "operator writes name their idempotency partition"
            idempotency_pk = _idempotency_pk(table)
        self.idempotency = Idempotency(table, idempotency_pk, idempotency_key, redact=redact)

    def earlier(self) -> Outcome | None:
        """The first response to this request, if it was already answered (check before any work)."""
        return self.idempotency.earlier()

    def commit(self, plan: WritePlan, outcome: Outcome, *, subject: str = "record") -> Outcome:
        """Commit the plan with this response remembered; explain a failed condition."""
        remember = self.idempotency.remember(outcome.status, outcome.body)
        committed = WritePlan(list(plan.actions), list(plan.meanings))  # the caller's plan stays as it was
        if remember is not None:
            committed.add(remember, "idempotency")
        try:
            self.table.transact(committed.actions)
        except ConditionsFailed as failure:
            return self._explain(committed, failure, subject)
        observability.count_write()
        return outcome

    def refuse(self, problem: dict[str, Any]) -> Outcome:
        """Remember a refusal (a problem) as this request's answer, so a retry answers it again rather than
        trying anew: what a batch item needs, since its retry must give the batch's first answer. A racing
        twin's answer, if it got there first."""
        outcome = Outcome(problem["status"], problem)
        remember = self.idempotency.remember(outcome.status, outcome.body)
        if remember is None:
            return outcome
        try:
            self.table.transact([remember])
        except ConditionsFailed:
            return self.idempotency.after_conflict() or outcome
        return outcome

    def run(self, work: Callable[[], Outcome]) -> Outcome:
        """Work that cannot be one transaction (it enqueues or calls out): idempotent all the same."""
        return self.idempotency.run(work)

    def _explain(self, plan: WritePlan, failure: ConditionsFailed, subject: str) -> Outcome:
        meanings = [plan.meanings[i] for i in failure.failed]
        if any(m == "idempotency" for m, _ in meanings):
            earlier = self.idempotency.after_conflict()
            if earlier:
                return earlier
        if any(m in ("version_changed", "guard_moved", "created") for m, _ in meanings):
            raise VersionRace()
        for index in failure.failed:
            meaning, detail = plan.meanings[index]
            if meaning == "duplicate":
                raise DuplicateRecord(
                    f"Another {subject} already has this {detail}.",
                    errors=[FieldError(f"/properties/{detail}", "is already used by another record")],
                    existing_id=failure.items.get(index, {}).get("record_id"),
                )
        missing = [detail for meaning, detail in meanings if meaning == "missing_reference"]
        if missing:
            raise ValidationFailed(
                "Referenced records do not exist.",
                errors=[FieldError(p, "refers to a record that does not exist or is archived") for p in missing],
            )
        if any(m == "exists" for m, _ in meanings):
            raise NotFound(f"The {subject} no longer exists.")
        raise ServiceUnavailable("The write could not be completed; retry shortly.")


def write_each(
    table: TenantTable,
    items: Sequence[Item],
    write: Callable[[Item, IdempotencyKey | None], Outcome],
    *,
    idempotency_key: IdempotencyKey | None,
    pointer: str,
) -> list[Outcome]:
    """The items of a batch request, each written on its own, in order, by `write(item, its key)` (one plan
    and one transaction, as a single write): a refused item never stops the others. Each item's outcome is
    its write's, or its refusal as a problem whose pointers lead into the request (`<pointer>/<index>/...`).

    With an Idempotency-Key every item has a key of its own (IdempotencyKey.for_item), so each outcome, a
    refusal too, is remembered in the item's own transaction: a retry reads what was answered in one round
    trip and writes only what was not, even if the first attempt died half-way; a key used with another
    batch is refused (422) before anything is written. A 5xx (the store busy, a fault in the code) is not
    remembered: retrying that item may succeed. A fault fails its item only (a 500 problem, logged and
    counted as a failure), so the others' outcomes are never lost."""
    item_keys = [idempotency_key.for_item(index) if idempotency_key else None for index in range(len(items))]
    answered: list[Outcome | None] = [None] * len(items)
    if idempotency_key is not None:
        answered = Idempotency.earlier_each(table, _idempotency_pk(table), [k for k in item_keys if k is not None])
    return [
        earlier or _write_item(table, write, item, key, f"{pointer}/{index}")
        for index, (item, key, earlier) in enumerate(zip(items, item_keys, answered, strict=True))
    ]


def _write_item(
    table: TenantTable,
    write: Callable[[Item, IdempotencyKey | None], Outcome],
    item: Item,
    key: IdempotencyKey | None,
    pointer: str,
) -> Outcome:
    try:
        return write(item, key)
    except IdempotencyKeyReused:
        raise  # a twin request with this key and another body: the whole request is refused
    except CrmError as refused:
        problem = _within(refused.to_problem(), pointer)
        if refused.status < 500:
            return Writer(table, key).refuse(problem)
        observability.get_logger().warning("batch item failed", extra={"item": pointer, "problem": problem})
        observability.count("Failures")
        return Outcome(refused.status, problem)
    except Exception:
        observability.get_logger().exception("batch item failed", extra={"item": pointer})
        observability.count("Failures")
        fault = CrmError("This input could not be completed. It has been logged.")
        return Outcome(fault.status, _within(fault.to_problem(), pointer))


def _within(problem: dict[str, Any], pointer: str) -> dict[str, Any]:
    """A problem with its field pointers moved under `pointer` (`/properties/email` -> `/inputs/3/properties/email`)."""
    if "errors" not in problem:
        return problem
    errors = [{**error, "pointer": pointer + _unless_root(error["pointer"])} for error in problem["errors"]]
    return {**problem, "errors": errors}


def _unless_root(pointer: str) -> str:
    return "" if pointer == "/" else pointer


def _idempotency_pk(table: TenantTable) -> str:
    return table.pk(keys.IDEMPOTENCY.partition)


def retry_on_race(
    attempt: Callable[[], T],
    *,
    if_match: int | None = None,
    attempts: int = MAX_OPTIMISTIC_RETRIES,
    subject: str = "record",
) -> T:
    """Run a read-modify-write until it wins. With If-Match the client named the version it saw, so
    losing a race is a 412 at once; without, the write is re-read and tried again a few times."""
    for _ in range(attempts):
        try:
            return attempt()
        except VersionRace:
            if if_match is not None:
                raise PreconditionFailed(f"The {subject} changed since the ETag you sent; fetch it again.") from None
    raise ServiceUnavailable(f"The {subject} is being changed by other requests; retry shortly.")


__all__ = [
    "Check",
    "Delete",
    "Outcome",
    "Put",
    "VersionRace",
    "WritePlan",
    "Writer",
    "retry_on_race",
    "write_each",
]
