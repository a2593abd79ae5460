from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.form_field_property import FormFieldProperty
from ..types import UNSET, Unset

T = TypeVar("T", bound="FormField")


@_attrs_define
class FormField:
    """
    Attributes:
        name (str): The input's name in your HTML form (the key of a JSON submission)
        property_ (FormFieldProperty): The contact property it sets
        required (bool | Unset): A submission without it is refused (422) Default: False.
    """

    name: str
    property_: FormFieldProperty
    required: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        property_ = self.property_.value

        required = self.required

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "property": property_,
            }
        )
        if required is not UNSET:
            field_dict["required"] = required

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        property_ = FormFieldProperty(d.pop("property"))

        required = d.pop("required", UNSET)

        form_field = cls(
            name=name,
            property_=property_,
            required=required,
        )

        return form_field
