"""Idempotency-Key, one mechanism for every write route: a retried write returns the first response.

For a write that is one transaction, the key's record is written in that same transaction
(`Idempotency.remember`), so "the change happened" and "its response is remembered" can never disagree,
and two racing retries cannot both write. Work that is not one transaction (a replay that enqueues
many deliveries) first claims the key for a short while, does the work, then stores the response
(`Idempotency.run`); a retry meanwhile gets 409, a retry after a failure does the work afresh."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from crm import clock, jsonio
from crm.errors import BadRequest, Conflict, IdempotencyKeyReused

if TYPE_CHECKING:
    from crm.store import Put, _Table

KEY_LIFETIME = timedelta(hours=24)
CLAIM_LIFETIME = timedelta(seconds=60)  # longer than any API function may run (29 s)
PARTITION = "I"
HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    fingerprint: str  # what the request was: method, path and body

    @classmethod
    def from_request(cls, key: str | None, method: str, path: str, body: Any) -> IdempotencyKey | None:
        if key is None:
            return None
        if not _VALID_KEY.match(key):
            raise BadRequest("Idempotency-Key must be 1-255 visible ASCII characters.")
        canonical = jsonio.dumps(body, canonical=True)
        fingerprint = hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()
        return cls(key=key, fingerprint=fingerprint)

    def for_item(self, index: int) -> IdempotencyKey:
        """The key of one item of a batch request, so each item's outcome is remembered in its own write's
        transaction and a batch that died half-way resumes where it stopped. It holds a space, which no key a
        client sends can, and the batch's fingerprint: the same key with another batch is refused."""
        return IdempotencyKey(key=f"{self.key} item {index}", fingerprint=self.fingerprint)

    def sort_key(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()

    def stored(self, status: int, body: Any) -> dict[str, Any]:
        expires = int((clock.now() + KEY_LIFETIME).timestamp())
        return {
            "kind": "idempotency",
            "fingerprint": self.fingerprint,
            "status": status,
            "body": body,
            "expires_at": expires,
        }

    def replay(self, item: dict[str, Any]) -> tuple[int, Any] | None:
        """The first response if `item` is this request's record; None if it has expired."""
        # Whole seconds, as the write's condition `expires_at < :now` compares: within the last second
        # of a key's life it must not count as expired here yet still block the write (a 503).
        if item.get("expires_at", 0) < int(clock.now().timestamp()):
            return None
        if item.get("fingerprint") != self.fingerprint:
            raise IdempotencyKeyReused("This Idempotency-Key was already used with a different request; use a new key.")
        if item.get("status") is None:
            raise Conflict("A request with this Idempotency-Key is still being processed; retry shortly.")
        return item["status"], item["body"]


@dataclass(frozen=True)
class Outcome:
    """What a write answered: its status and body, and whether this is a replay of an earlier answer."""

    status: int
    body: Any
    replayed: bool = False


class Idempotency:
    """The Idempotency-Key of one request, applied to one write in one partition (the tenant's own,
    or the operator's). Without a key every method is a no-op, so callers need no branches.

    `redact` shapes what is stored: a secret shown once in the first response is never stored, so a
    replay returns the body with the secret removed."""

    def __init__(
        self,
        table: _Table,
        partition_key: str,
        key: IdempotencyKey | None,
        redact: Callable[[Any], Any] | None = None,
    ) -> None:
        self.table, self.pk, self.key = table, partition_key, key
        self.redact = redact or (lambda body: body)

    def earlier(self) -> Outcome | None:
        """The first response, if this request was already answered."""
        if self.key is None:
            return None
        return _earlier(self.key, self.table.get(self.pk, self.key.sort_key()))

    def remember(self, status: int, body: Any) -> Put | None:
        """The action that stores this response, for the write's own transaction."""
        if self.key is None:
            return None
        return self._put(self.key.stored(status, self.redact(body)))

    def run(self, work: Callable[[], Outcome]) -> Outcome:
        """Work that is not a single transaction: claim the key, do the work, store the response."""
        if self.key is None:
            return work()
        earlier = self.earlier()
        if earlier:
            return earlier
        from crm.store import ConditionsFailed, Delete

        claim = {**self.key.stored(0, None), "status": None}
        claim["expires_at"] = int((clock.now() + CLAIM_LIFETIME).timestamp())
        try:
            self.table.transact([self._put(claim)])
        except ConditionsFailed:
            earlier = self.earlier()  # raises 409 while the twin is still at work
            if earlier:
                return earlier
            raise Conflict("A request with this Idempotency-Key is still being processed; retry shortly.") from None
        try:
            outcome = work()
        except BaseException:
            self.table.transact([Delete(self.pk, self.key.sort_key())])  # free the key for a retry
            raise
        # The claim is ours: the response replaces it unconditionally.
        self.table.transact([self._put(self.key.stored(outcome.status, self.redact(outcome.body)), claimed=True)])
        return outcome

    @staticmethod
    def earlier_each(table: _Table, partition_key: str, keys: Sequence[IdempotencyKey]) -> list[Outcome | None]:
        """The first response to each of several requests, read in one round trip: None where there is none
        yet. Raises IdempotencyKeyReused if any was answered for another request."""
        found = table.get_many([(partition_key, key.sort_key()) for key in keys])
        return [_earlier(key, found.get((partition_key, key.sort_key()))) for key in keys]

    def after_conflict(self) -> Outcome | None:
        """After the write's transaction failed: a racing twin's response, if that is why."""
        return self.earlier()

    def _put(self, item: dict[str, Any], *, claimed: bool = False) -> Put:
        from crm.store import Put

        assert self.key is not None
        if claimed:
            return Put(self.pk, self.key.sort_key(), item)
        return Put(
            self.pk,
            self.key.sort_key(),
            item,
            condition="attribute_not_exists(pk) OR expires_at < :now",
            values={":now": int(clock.now().timestamp())},
        )


def _earlier(key: IdempotencyKey, item: dict[str, Any] | None) -> Outcome | None:
    """The first response `item` holds for this request, as a replay; None without one (or once expired)."""
    replayed = key.replay(item) if item else None
    return Outcome(replayed[0], replayed[1], replayed=True) if replayed else None
