from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.contact_batch_written_status import ContactBatchWrittenStatus

if TYPE_CHECKING:
    from ..models.contact import Contact


T = TypeVar("T", bound="ContactBatchWritten")


@_attrs_define
class ContactBatchWritten:
    """
    Attributes:
        status (ContactBatchWrittenStatus): 201: created; 200: updated (or already as sent)
        record (Contact): A contact.
    """

    status: ContactBatchWrittenStatus
    record: Contact
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        record = self.record.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "record": record,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact import Contact

        d = dict(src_dict)
        status = ContactBatchWrittenStatus(d.pop("status"))

        record = Contact.from_dict(d.pop("record"))

        contact_batch_written = cls(
            status=status,
            record=record,
        )

        contact_batch_written.additional_properties = d
        return contact_batch_written

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
