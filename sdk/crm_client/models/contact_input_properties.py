from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.contact_lifecycle_stage import ContactLifecycleStage
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContactInputProperties")


@_attrs_define
class ContactInputProperties:
    """The properties of a new contact; null leaves an optional one unset.

    Attributes:
        email (None | str | Unset):
        first_name (None | str | Unset):
        last_name (None | str | Unset):
        phone (None | str | Unset):
        lifecycle_stage (ContactLifecycleStage | None | Unset):
        owner (None | str | Unset):
        company_id (None | str | Unset):
    """

    email: str | Unset | None = UNSET
    first_name: str | Unset | None = UNSET
    last_name: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    lifecycle_stage: ContactLifecycleStage | Unset | None = UNSET
    owner: str | Unset | None = UNSET
    company_id: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        email: str | Unset | None
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        first_name: str | Unset | None
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: str | Unset | None
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        phone: str | Unset | None
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        lifecycle_stage: str | Unset | None
        if isinstance(self.lifecycle_stage, Unset):
            lifecycle_stage = UNSET
        elif isinstance(self.lifecycle_stage, ContactLifecycleStage):
            lifecycle_stage = self.lifecycle_stage.value
        else:
            lifecycle_stage = self.lifecycle_stage

        owner: str | Unset | None
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        company_id: str | Unset | None
        if isinstance(self.company_id, Unset):
            company_id = UNSET
        else:
            company_id = self.company_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if last_name is not UNSET:
            field_dict["last_name"] = last_name
        if phone is not UNSET:
            field_dict["phone"] = phone
        if lifecycle_stage is not UNSET:
            field_dict["lifecycle_stage"] = lifecycle_stage
        if owner is not UNSET:
            field_dict["owner"] = owner
        if company_id is not UNSET:
            field_dict["company_id"] = company_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_email(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_first_name(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("first_name", UNSET))

        def _parse_last_name(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("last_name", UNSET))

        def _parse_phone(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_lifecycle_stage(data: object) -> ContactLifecycleStage | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lifecycle_stage_type_0 = ContactLifecycleStage(data)

                return lifecycle_stage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ContactLifecycleStage | None | Unset, data)

        lifecycle_stage = _parse_lifecycle_stage(d.pop("lifecycle_stage", UNSET))

        def _parse_owner(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        def _parse_company_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_id = _parse_company_id(d.pop("company_id", UNSET))

        contact_input_properties = cls(
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            lifecycle_stage=lifecycle_stage,
            owner=owner,
            company_id=company_id,
        )

        return contact_input_properties
