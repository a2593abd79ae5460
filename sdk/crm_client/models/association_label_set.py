from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.association_label import AssociationLabel


T = TypeVar("T", bound="AssociationLabelSet")


@_attrs_define
class AssociationLabelSet:
    """
    Attributes:
        object_ (str):
        to_object (str):
        labels (list[AssociationLabel]):
    """

    object_: str
    to_object: str
    labels: list[AssociationLabel]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        to_object = self.to_object

        labels = []
        for labels_item_data in self.labels:
            labels_item = labels_item_data.to_dict()
            labels.append(labels_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "object": object_,
                "to_object": to_object,
                "labels": labels,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.association_label import AssociationLabel

        d = dict(src_dict)
        object_ = d.pop("object")

        to_object = d.pop("to_object")

        labels = []
        _labels = d.pop("labels")
        for labels_item_data in _labels:
            labels_item = AssociationLabel.from_dict(labels_item_data)

            labels.append(labels_item)

        association_label_set = cls(
            object_=object_,
            to_object=to_object,
            labels=labels,
        )

        association_label_set.additional_properties = d
        return association_label_set

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
