"""Where behavioural events and scoring rules live in the single table, for one tenant (shapes in crm.keys):

- event    pk T#<tenant>#EV#<contact id>   sk <occurred_at, fixed-width UTC>#<event id>   (newest first)
- pending  pk T#<tenant>#EVP#<contact id>  sk <event id>   what folding needs; deleted when folded
- rules    pk T#<tenant>#SR                sk <object>     the rules as JSON text, versioned
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crm import jsonio, keys
from crm.store import TenantTable
from crm.writes import Delete, Put, WritePlan

FOLD_BATCH = 25  # pending events folded per transaction (with the contact and its events: well under 100)
EVENTS_PAGE = 200  # events read per query while counting for scores
_AFTER_EVERY_TIME = "~"  # sorts after every sort key of an event (they start with a digit)


def public_event(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "contact_id": item["contact_id"],
        "type": item["type"],
        "occurred_at": item["occurred_at"],
        "properties": jsonio.loads(item["properties"]),
        "recorded_at": item["recorded_at"],
    }


class ActivityRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def _events_pk(self, contact_id: str) -> str:
        return self.table.pk(keys.prefix(keys.ACTIVITY_EVENT), contact_id)

    def _pending_pk(self, contact_id: str) -> str:
        return self.table.pk(keys.prefix(keys.ACTIVITY_PENDING), contact_id)

    def _rules_pk(self) -> str:
        return self.table.pk(keys.SCORING_RULES.partition)

    # --- events ---------------------------------------------------------------------------------

    def get_event(self, contact_id: str, sort_key: str) -> dict[str, Any] | None:
        return self.table.get(self._events_pk(contact_id), sort_key)

    def add_event(self, plan: WritePlan, event: dict[str, Any], sort_key: str, facts: dict[str, Any]) -> None:
        """The event (its properties as JSON text: any JSON a client sends is stored as sent) and its
        pending marker. An event with the same id already there is a race with its twin: read again."""
        item = {"kind": keys.ACTIVITY_EVENT.kind, **event, "properties": jsonio.dumps(event["properties"])}
        plan.add(Put(self._events_pk(event["contact_id"]), sort_key, item, "attribute_not_exists(pk)"), "created")
        pending = {"kind": keys.ACTIVITY_PENDING.kind, "event_id": event["id"], **facts}
        plan.add(Put(self._pending_pk(event["contact_id"]), event["id"], pending))

    def page_events(
        self, contact_id: str, *, limit: int, after: str | None, since: str | None, event_type: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first; from `since` (a sort-key time) on; of one type (filtered: reads cost the others too)."""
        items, position = self.table.query(
            self._events_pk(contact_id),
            limit=limit,
            after_sk=after,
            sk_between=(since, _AFTER_EVERY_TIME) if since else None,
            newest_first=True,
            filter_expression="#type = :type" if event_type else None,
            filter_names={"#type": "type"} if event_type else None,
            filter_values={":type": event_type} if event_type else None,
        )
        return items, position

    def recent_events(self, contact_id: str, *, since: str, types: set[str]) -> Iterator[list[tuple[str, str]]]:
        """Pages of (type, occurred_at sort-key time) of the events of these types since `since`, newest
        first, read lazily: the caller stops when it has counted enough."""
        names = {"#type": "type"}
        values = {f":t{i}": event_type for i, event_type in enumerate(sorted(types))}
        expression = f"#type IN ({', '.join(values)})"
        after = None
        while True:
            items, after = self.table.query(
                self._events_pk(contact_id),
                limit=EVENTS_PAGE,
                after_sk=after,
                sk_between=(since, _AFTER_EVERY_TIME),
                newest_first=True,
                filter_expression=expression,
                filter_names=names,
                filter_values=values,
            )
            yield [(item["type"], item["sk"].split("#", 1)[0]) for item in items]
            if after is None:
                return

    def pending(self, contact_id: str, limit: int = FOLD_BATCH) -> list[dict[str, Any]]:
        items, _ = self.table.query(self._pending_pk(contact_id), limit=limit, newest_first=False)
        return items

    def clear_pending(self, plan: WritePlan, contact_id: str, event_id: str) -> None:
        """Folded: gone in the same transaction. Already gone means another fold counted it: start again."""
        plan.add(Delete(self._pending_pk(contact_id), event_id, "attribute_exists(pk)"), "version_changed")

    # --- scoring rules --------------------------------------------------------------------------

    def get_rules(self, object_name: str) -> dict[str, Any] | None:
        item = self.table.get(self._rules_pk(), object_name)
        if item is None:
            return None
        return {**item, "rules": jsonio.loads(item["rules"])}

    def put_rules(self, plan: WritePlan, document: dict[str, Any], *, expected_version: int | None) -> None:
        item = {"kind": keys.SCORING_RULES.kind, **document, "rules": jsonio.dumps(document["rules"])}
        if expected_version is None:
            put = Put(self._rules_pk(), document["object"], item, "attribute_not_exists(pk)")
        else:
            put = Put(self._rules_pk(), document["object"], item, "version = :v", {":v": expected_version})
        plan.add(put, "version_changed")
