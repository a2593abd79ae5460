from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SubmissionAccepted")


@_attrs_define
class SubmissionAccepted:
    """
    Attributes:
        contact_id (str): The contact created or updated
        created (bool): True when the submission created the contact
        ignored (list[str]): Inputs the form has no field for, by name: not stored
    """

    contact_id: str
    created: bool
    ignored: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contact_id = self.contact_id

        created = self.created

        ignored = self.ignored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contact_id": contact_id,
                "created": created,
                "ignored": ignored,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact_id = d.pop("contact_id")

        created = d.pop("created")

        ignored = cast(list[str], d.pop("ignored"))

        submission_accepted = cls(
            contact_id=contact_id,
            created=created,
            ignored=ignored,
        )

        submission_accepted.additional_properties = d
        return submission_accepted

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
