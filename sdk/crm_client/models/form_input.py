from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.form_field import FormField
    from ..models.form_input_set_properties import FormInputSetProperties


T = TypeVar("T", bound="FormInput")


@_attrs_define
class FormInput:
    """
    Attributes:
        name (str):
        fields (list[FormField]): One field must set email and be required: a submission creates or updates its contact
        set_properties (FormInputSetProperties | Unset): Contact properties every submission sets too (not the email,
            which each submission brings; none a field sets). A lifecycle stage only moves an existing contact forward.
        honeypot (None | str | Unset): An input hidden from people: a submission with it filled is answered as accepted
            and dropped (null: none) Default: 'website'.
        redirect_url (None | str | Unset):
    """

    name: str
    fields: list[FormField]
    set_properties: FormInputSetProperties | Unset = UNSET
    honeypot: str | Unset | None = "website"
    redirect_url: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        set_properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.set_properties, Unset):
            set_properties = self.set_properties.to_dict()

        honeypot: str | Unset | None
        if isinstance(self.honeypot, Unset):
            honeypot = UNSET
        else:
            honeypot = self.honeypot

        redirect_url: str | Unset | None
        if isinstance(self.redirect_url, Unset):
            redirect_url = UNSET
        else:
            redirect_url = self.redirect_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "fields": fields,
            }
        )
        if set_properties is not UNSET:
            field_dict["set_properties"] = set_properties
        if honeypot is not UNSET:
            field_dict["honeypot"] = honeypot
        if redirect_url is not UNSET:
            field_dict["redirect_url"] = redirect_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.form_field import FormField
        from ..models.form_input_set_properties import FormInputSetProperties

        d = dict(src_dict)
        name = d.pop("name")

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FormField.from_dict(fields_item_data)

            fields.append(fields_item)

        _set_properties = d.pop("set_properties", UNSET)
        set_properties: FormInputSetProperties | Unset
        if isinstance(_set_properties, Unset):
            set_properties = UNSET
        else:
            set_properties = FormInputSetProperties.from_dict(_set_properties)

        def _parse_honeypot(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        honeypot = _parse_honeypot(d.pop("honeypot", UNSET))

        def _parse_redirect_url(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_url = _parse_redirect_url(d.pop("redirect_url", UNSET))

        form_input = cls(
            name=name,
            fields=fields,
            set_properties=set_properties,
            honeypot=honeypot,
            redirect_url=redirect_url,
        )

        return form_input
