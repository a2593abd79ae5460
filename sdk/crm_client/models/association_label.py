from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AssociationLabel")


@_attrs_define
class AssociationLabel:
    """
    Attributes:
        name (str): What associations carry in `label`, e.g. referrer
        label (str):
    """

    name: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        label = d.pop("label")

        association_label = cls(
            name=name,
            label=label,
        )

        return association_label
