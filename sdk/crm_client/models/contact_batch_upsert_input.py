from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.contact_batch_upsert_input_id_property import ContactBatchUpsertInputIdProperty

if TYPE_CHECKING:
    from ..models.contact_input import ContactInput


T = TypeVar("T", bound="ContactBatchUpsertInput")


@_attrs_define
class ContactBatchUpsertInput:
    """
    Attributes:
        id_property (ContactBatchUpsertInputIdProperty): The unique property that finds each input's record, e.g. email
        inputs (list[ContactInput]): 1-100 records, each with a value of id_property: the active record holding it is
            updated (null removes a property), else one is created (null leaves it unset). In this order: an input sees what
            the ones before it wrote
    """

    id_property: ContactBatchUpsertInputIdProperty
    inputs: list[ContactInput]

    def to_dict(self) -> dict[str, Any]:
        id_property = self.id_property.value

        inputs = []
        for inputs_item_data in self.inputs:
            inputs_item = inputs_item_data.to_dict()
            inputs.append(inputs_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id_property": id_property,
                "inputs": inputs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_input import ContactInput

        d = dict(src_dict)
        id_property = ContactBatchUpsertInputIdProperty(d.pop("id_property"))

        inputs = []
        _inputs = d.pop("inputs")
        for inputs_item_data in _inputs:
            inputs_item = ContactInput.from_dict(inputs_item_data)

            inputs.append(inputs_item)

        contact_batch_upsert_input = cls(
            id_property=id_property,
            inputs=inputs,
        )

        return contact_batch_upsert_input
