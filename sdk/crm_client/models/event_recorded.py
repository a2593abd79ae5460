from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.activity_event import ActivityEvent


T = TypeVar("T", bound="EventRecorded")


@_attrs_define
class EventRecorded:
    """
    Attributes:
        status (Literal[202]):
        event (ActivityEvent):
    """

    status: Literal[202]
    event: ActivityEvent
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        event = self.event.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "event": event,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.activity_event import ActivityEvent

        d = dict(src_dict)
        status = cast(Literal[202], d.pop("status"))
        if status != 202:
            raise ValueError(f"status must match const 202, got '{status}'")

        event = ActivityEvent.from_dict(d.pop("event"))

        event_recorded = cls(
            status=status,
            event=event,
        )

        event_recorded.additional_properties = d
        return event_recorded

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
