from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.contact_input_properties import ContactInputProperties


T = TypeVar("T", bound="ContactInput")


@_attrs_define
class ContactInput:
    """A new contact: it needs at least one of email, first_name, last_name, phone.

    Attributes:
        properties (ContactInputProperties): The properties of a new contact; null leaves an optional one unset.
    """

    properties: ContactInputProperties

    def to_dict(self) -> dict[str, Any]:
        properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "properties": properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_input_properties import ContactInputProperties

        d = dict(src_dict)
        properties = ContactInputProperties.from_dict(d.pop("properties"))

        contact_input = cls(
            properties=properties,
        )

        return contact_input
