from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_input_properties import EventInputProperties


T = TypeVar("T", bound="EventInput")


@_attrs_define
class EventInput:
    """
    Attributes:
        contact (Any): The contact the event is about: by id, or by email (an existing contact: none is created).
        type_ (str): One of page_view, email_open, email_click, purchase, subscription_changed, or a name of your own
            (a-z, 0-9, _). A purchase needs properties.amount (a number, at least 0) and properties.currency (ISO 4217);
            subscription_changed needs properties.status (subscribed or unsubscribed)
        occurred_at (str | Unset): When it happened (default: now): YYYY-MM-DDTHH:MM[:SS[.ffffff]] with Z or an offset,
            or a date; at most 5 minutes in the future
        properties (EventInputProperties | Unset): Anything about the event, at most 4 KB as JSON
    """

    contact: Any
    type_: str
    occurred_at: str | Unset = UNSET
    properties: EventInputProperties | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        contact: Any
        contact = self.contact

        type_ = self.type_

        occurred_at = self.occurred_at

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "contact": contact,
                "type": type_,
            }
        )
        if occurred_at is not UNSET:
            field_dict["occurred_at"] = occurred_at
        if properties is not UNSET:
            field_dict["properties"] = properties

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_input_properties import EventInputProperties

        d = dict(src_dict)

        def _parse_contact(data: object) -> Any:
            return cast(Any, data)

        contact = _parse_contact(d.pop("contact"))

        type_ = d.pop("type")

        occurred_at = d.pop("occurred_at", UNSET)

        _properties = d.pop("properties", UNSET)
        properties: EventInputProperties | Unset
        if isinstance(_properties, Unset):
            properties = UNSET
        else:
            properties = EventInputProperties.from_dict(_properties)

        event_input = cls(
            contact=contact,
            type_=type_,
            occurred_at=occurred_at,
            properties=properties,
        )

        return event_input
