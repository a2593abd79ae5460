from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EventRuleInput")


@_attrs_define
class EventRuleInput:
    """Points for each behavioural event of a type within the last `within_days` days, up to `max_points`.

    Attributes:
        id (str): Unique among the rules: 1-64 of a-z, 0-9, _ and -
        event (str): A behavioural event type, e.g. email_open
        within_days (int): Only events this recent count
        points (int): Not 0
        max_points (int | Unset): The most the rule adds (or, for negative points, takes away); default: one event's
            points (once)
    """

    id: str
    event: str
    within_days: int
    points: int
    max_points: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        event = self.event

        within_days = self.within_days

        points = self.points

        max_points = self.max_points

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "event": event,
                "within_days": within_days,
                "points": points,
            }
        )
        if max_points is not UNSET:
            field_dict["max_points"] = max_points

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        event = d.pop("event")

        within_days = d.pop("within_days")

        points = d.pop("points")

        max_points = d.pop("max_points", UNSET)

        event_rule_input = cls(
            id=id,
            event=event,
            within_days=within_days,
            points=points,
            max_points=max_points,
        )

        return event_rule_input
