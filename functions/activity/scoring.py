"""Lead scoring rules and the score they give a contact. Pure: rules are checked whole against the contact's
operands (the shared condition language, crm.conditions), and a score is computed from a contact and the
counts of its recent events, with a breakdown per rule.

Two kinds of rule, each worth `points` (negative points lower the score):
- a property rule `{"id", "conditions", "points"}`: the points when the contact matches;
- an event rule `{"id", "event", "within_days", "points", "max_points"}`: the points for each event of that
  type in the last `within_days` days, adding (or, for negative points, taking away) at most `max_points`
  (default: as much as one event, i.e. once). Events age out of the window, so such a score decays (see
  activity.service for when it is recomputed)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as ShapeError

from activity.events import TYPE_PATTERN
from crm import conditions
from crm.errors import FieldError, ValidationFailed
from crm.numbers import whole_number

MAX_RULES = 100
MAX_POINTS = 1_000  # per event or per match, and what an event rule adds at most: so its cap is always reached
# within 1,000 events (points are at least 1), which bounds what scoring reads
MAX_WINDOW_DAYS = 365
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
SCORE = "score"  # the property the rules make; no rule may read it

# Whole numbers, `126.0` included (crm.numbers).
Points = Annotated[
    whole_number(ge=-MAX_POINTS, le=MAX_POINTS),
    Field(description="Not 0", json_schema_extra={"not": {"const": 0}}),
]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PropertyRuleInput(_Shape):
    """Points when the contact matches `conditions` (the condition language over its properties)."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Unique among the rules: 1-64 of a-z, 0-9, _ and -")
    conditions: dict[str, Any] = Field(
        description='A condition: {"all": [...]}, {"any": [...]}, {"not": {...}} or a comparison {"property", "op", '
        '"value"}; changed and changed_to do not apply (a score reads the contact as it is)',
        examples=[{"property": "lifecycle_stage", "op": "eq", "value": "sales_qualified_lead"}],
    )
    points: Points


class EventRuleInput(_Shape):
    """Points for each behavioural event of a type within the last `within_days` days, up to `max_points`."""

    id: str = Field(pattern=RULE_ID_PATTERN, description="Unique among the rules: 1-64 of a-z, 0-9, _ and -")
    event: str = Field(pattern=TYPE_PATTERN, description="A behavioural event type, e.g. email_open")
    within_days: whole_number(ge=1, le=MAX_WINDOW_DAYS) = Field(  # type: ignore[valid-type]
        description="Only events this recent count"
    )
    points: Points
    max_points: whole_number(ge=1, le=MAX_POINTS) = Field(  # type: ignore[valid-type]
        default=None,  # type: ignore[assignment]
        description="The most the rule adds (or, for negative points, takes away); default: one event's points (once)",
        json_schema_extra=lambda schema: schema.pop("default", None),
    )


class ScoringRulesInput(_Shape):
    rules: list[PropertyRuleInput | EventRuleInput] = Field(max_length=MAX_RULES)


class RulesRefused(ValidationFailed):
    """Rules of the documented shape refused for what no schema can say: a condition the contact's
    properties cannot satisfy (an unknown property, an operator or value its type does not take), repeated
    ids. A problem type of its own tells a client (or a contract test) that the body was well formed."""

    slug = "invalid-scoring-rules"


@dataclass(frozen=True)
class PropertyRule:
    id: str
    points: int
    condition: conditions.Condition

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "conditions": self.condition.to_json(), "points": self.points}


@dataclass(frozen=True)
class EventRule:
    id: str
    points: int
    event: str
    within_days: int
    max_points: int  # a magnitude: the cap of what the rule adds, or takes away

    @property
    def needed(self) -> int:
        """How many events reach max_points: counting more changes nothing."""
        return math.ceil(self.max_points / abs(self.points))

    def since(self, now: datetime) -> datetime:
        return now - timedelta(days=self.within_days)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "within_days": self.within_days,
            "points": self.points,
            "max_points": self.max_points,
        }


Rule = PropertyRule | EventRule


def parse(raw: Any, operands: Mapping[str, Any]) -> tuple[Rule, ...]:
    """The rules of a body `{"rules": [...]}`, checked whole: ValidationFailed (a shape the document
    describes) or RulesRefused (the rest) names every fault at its JSON pointer."""
    shape: list[FieldError] = []
    if not isinstance(raw, dict):
        raise ValidationFailed("The scoring rules are invalid.", errors=[FieldError("/", "must be a JSON object")])
    for key in raw:
        if key != "rules":
            shape.append(FieldError(f"/{_escape(str(key))}", "is not a known field"))
    items = raw.get("rules")
    if not isinstance(items, list):
        shape.append(FieldError("/rules", "is required" if items is None else "must be a list of rules"))
        items = []
    elif len(items) > MAX_RULES:
        shape.append(FieldError("/rules", f"may hold at most {MAX_RULES} rules"))
        items = []
    inputs = [_shape(item, f"/rules/{i}", shape) for i, item in enumerate(items)]
    if shape:
        raise ValidationFailed("The scoring rules are invalid.", errors=shape[: conditions.MAX_ERRORS])
    faults: list[FieldError] = []
    rules = [_rule(item, f"/rules/{i}", operands, faults) for i, item in enumerate(inputs)]
    seen: dict[str, int] = {}
    for i, item in enumerate(inputs):
        if item is not None and item.id in seen:
            faults.append(FieldError(f"/rules/{i}/id", f"repeats the id of rule {seen[item.id]}"))
        elif item is not None:
            seen[item.id] = i
    if faults:
        raise RulesRefused("The scoring rules are invalid.", errors=faults[: conditions.MAX_ERRORS])
    return tuple(r for r in rules if r is not None)


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(model: type[_Shape]) -> TypeAdapter[Any]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _shape(item: Any, pointer: str, errors: list[FieldError]) -> PropertyRuleInput | EventRuleInput | None:
    if not isinstance(item, dict):
        errors.append(FieldError(pointer, "must be a rule object"))
        return None
    model = EventRuleInput if "event" in item else PropertyRuleInput
    try:
        rule = _adapter(model).validate_python(item)
    except ShapeError as error:
        for issue in error.errors():
            where = "/".join(_escape(str(part)) for part in issue["loc"])
            message = {"missing": "is required", "extra_forbidden": "is not a known field"}.get(
                issue["type"], issue["msg"]
            )
            errors.append(FieldError(f"{pointer}/{where}", message))
        return None
    if rule.points == 0:
        errors.append(FieldError(f"{pointer}/points", "must not be 0"))
        return None
    return rule


def _rule(
    item: PropertyRuleInput | EventRuleInput | None, pointer: str, operands: Mapping[str, Any], faults: list[FieldError]
) -> Rule | None:
    if item is None:
        return None
    if isinstance(item, EventRuleInput):
        cap = abs(item.points) if item.max_points is None else item.max_points
        return EventRule(item.id, item.points, item.event, item.within_days, cap)
    here = f"{pointer}/conditions"
    try:
        condition = conditions.parse(item.conditions, operands, pointer=here)
    except ValidationFailed as refused:
        faults.extend(refused.errors)
        return None
    reads_changes = [c for c in _comparisons(condition.to_json(), here) if c[1] in ("changed", "changed_to")]
    reads_score = [c for c in _comparisons(condition.to_json(), here) if c[2] == SCORE]
    for where, op, _ in reads_changes:
        faults.append(FieldError(f"{where}/op", f"{op} needs a change event; a score reads the contact as it is"))
    for where, _, _ in reads_score:
        faults.append(FieldError(f"{where}/property", "a scoring rule cannot read the score it makes"))
    return None if reads_changes or reads_score else PropertyRule(item.id, item.points, condition)


def _comparisons(node: Any, pointer: str) -> Iterable[tuple[str, str, str]]:
    """(pointer, op, property) of every comparison of a condition's JSON."""
    if "property" in node:
        yield pointer, node["op"], node["property"]
    elif "not" in node:
        yield from _comparisons(node["not"], f"{pointer}/not")
    else:
        (group, children), *_ = node.items()
        for i, child in enumerate(children):
            yield from _comparisons(child, f"{pointer}/{group}/{i}")


def load(stored: Iterable[Mapping[str, Any]], operands: Mapping[str, Any]) -> tuple[Rule, ...]:
    """Rules as stored (to_json), checked again: they were valid when written."""
    return parse({"rules": list(stored)}, operands)


def to_json(rules: Sequence[Rule]) -> list[dict[str, Any]]:
    return [rule.to_json() for rule in rules]


# --- the score ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    score: int
    breakdown: tuple[dict[str, Any], ...]  # {"rule", "points"} for each rule that added or took points


def event_rules(rules: Iterable[Rule]) -> tuple[EventRule, ...]:
    return tuple(rule for rule in rules if isinstance(rule, EventRule))


def count_events(
    rules: Sequence[EventRule], now: datetime, pages: Iterable[Sequence[tuple[str, datetime]]]
) -> dict[str, int]:
    """Per event rule, how many of its events fall in its window, counting no further than it needs.
    `pages` hold (type, occurred_at) newest first; reading stops once no rule can count more."""
    counts = {rule.id: 0 for rule in rules}
    open_rules = [rule for rule in rules if rule.needed > 0]
    for page in pages:
        for event_type, occurred_at in page:
            for rule in open_rules:
                if rule.event == event_type and occurred_at >= rule.since(now):
                    counts[rule.id] += 1
            open_rules = [
                rule for rule in open_rules if counts[rule.id] < rule.needed and occurred_at >= rule.since(now)
            ]
        if not open_rules:
            break
    return counts


def score(rules: Sequence[Rule], values: Mapping[str, Any], counts: Mapping[str, int]) -> Score:
    """The contact's score: each property rule it matches, each event rule's points per counted event
    (capped at its max_points). `values` are the contact's condition values (contacts.schema)."""
    breakdown: list[dict[str, Any]] = []
    for rule in rules:
        if isinstance(rule, PropertyRule):
            points = rule.points if rule.condition.evaluate(values) else 0
        else:
            earned = rule.points * counts.get(rule.id, 0)
            points = min(earned, rule.max_points) if rule.points > 0 else max(earned, -rule.max_points)
        if points:
            breakdown.append({"rule": rule.id, "points": points})
    return Score(sum(item["points"] for item in breakdown), tuple(breakdown))


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")
