from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.activity_event_properties import ActivityEventProperties


T = TypeVar("T", bound="ActivityEvent")


@_attrs_define
class ActivityEvent:
    """
    Attributes:
        id (str): Derived from the event itself: the same event sent again is recorded once
        contact_id (str):
        type_ (str):
        occurred_at (datetime.datetime):
        properties (ActivityEventProperties):
        recorded_at (datetime.datetime):
    """

    id: str
    contact_id: str
    type_: str
    occurred_at: datetime.datetime
    properties: ActivityEventProperties
    recorded_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        contact_id = self.contact_id

        type_ = self.type_

        occurred_at = self.occurred_at.isoformat()

        properties = self.properties.to_dict()

        recorded_at = self.recorded_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "contact_id": contact_id,
                "type": type_,
                "occurred_at": occurred_at,
                "properties": properties,
                "recorded_at": recorded_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.activity_event_properties import ActivityEventProperties

        d = dict(src_dict)
        id = d.pop("id")

        contact_id = d.pop("contact_id")

        type_ = d.pop("type")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        properties = ActivityEventProperties.from_dict(d.pop("properties"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        activity_event = cls(
            id=id,
            contact_id=contact_id,
            type_=type_,
            occurred_at=occurred_at,
            properties=properties,
            recorded_at=recorded_at,
        )

        activity_event.additional_properties = d
        return activity_event

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
