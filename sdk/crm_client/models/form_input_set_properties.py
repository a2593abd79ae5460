from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.form_input_set_properties_lifecycle_stage import FormInputSetPropertiesLifecycleStage
from ..types import UNSET, Unset

T = TypeVar("T", bound="FormInputSetProperties")


@_attrs_define
class FormInputSetProperties:
    """Contact properties every submission sets too (not the email, which each submission brings; none a field sets). A
    lifecycle stage only moves an existing contact forward.

        Attributes:
            first_name (str | Unset): First name. 1-200 characters, trimmed
            last_name (str | Unset): Last name. 1-200 characters, trimmed
            phone (str | Unset): Phone. A valid phone number: E.164, or national (read in the tenant's region)
            lifecycle_stage (FormInputSetPropertiesLifecycleStage | Unset): Lifecycle stage
            owner (str | Unset): Owner. 1-256 characters, trimmed
    """

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    phone: str | Unset = UNSET
    lifecycle_stage: FormInputSetPropertiesLifecycleStage | Unset = UNSET
    owner: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        first_name = self.first_name

        last_name = self.last_name

        phone = self.phone

        lifecycle_stage: str | Unset = UNSET
        if not isinstance(self.lifecycle_stage, Unset):
            lifecycle_stage = self.lifecycle_stage.value

        owner = self.owner

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        first_name = d.pop("first_name", UNSET)

        last_name = d.pop("last_name", UNSET)

        phone = d.pop("phone", UNSET)

        _lifecycle_stage = d.pop("lifecycle_stage", UNSET)
        lifecycle_stage: FormInputSetPropertiesLifecycleStage | Unset
        if isinstance(_lifecycle_stage, Unset):
            lifecycle_stage = UNSET
        else:
            lifecycle_stage = FormInputSetPropertiesLifecycleStage(_lifecycle_stage)

        owner = d.pop("owner", UNSET)

        form_input_set_properties = cls(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            lifecycle_stage=lifecycle_stage,
            owner=owner,
        )

        return form_input_set_properties
