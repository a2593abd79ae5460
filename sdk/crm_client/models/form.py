from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.form_field import FormField
    from ..models.form_set_properties import FormSetProperties


T = TypeVar("T", bound="Form")


@_attrs_define
class Form:
    """
    Attributes:
        id (str): Unguessable: it alone lets anyone submit the form
        name (str):
        fields (list[FormField]):
        set_properties (FormSetProperties):
        honeypot (None | str):
        redirect_url (None | str):
        submit_url (str): Where websites post submissions (no API key): /v1/forms/{id}/submissions
        version (int): Also the ETag
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    name: str
    fields: list[FormField]
    set_properties: FormSetProperties
    honeypot: str | None
    redirect_url: str | None
    submit_url: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        set_properties = self.set_properties.to_dict()

        honeypot: str | None
        honeypot = self.honeypot

        redirect_url: str | None
        redirect_url = self.redirect_url

        submit_url = self.submit_url

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "fields": fields,
                "set_properties": set_properties,
                "honeypot": honeypot,
                "redirect_url": redirect_url,
                "submit_url": submit_url,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.form_field import FormField
        from ..models.form_set_properties import FormSetProperties

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FormField.from_dict(fields_item_data)

            fields.append(fields_item)

        set_properties = FormSetProperties.from_dict(d.pop("set_properties"))

        def _parse_honeypot(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        honeypot = _parse_honeypot(d.pop("honeypot"))

        def _parse_redirect_url(data: object) -> str | None:
            if data is None:
                return data
            return cast(None | str, data)

        redirect_url = _parse_redirect_url(d.pop("redirect_url"))

        submit_url = d.pop("submit_url")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        form = cls(
            id=id,
            name=name,
            fields=fields,
            set_properties=set_properties,
            honeypot=honeypot,
            redirect_url=redirect_url,
            submit_url=submit_url,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        form.additional_properties = d
        return form

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
