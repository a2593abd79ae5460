from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.association_label import AssociationLabel


T = TypeVar("T", bound="AssociationLabels")


@_attrs_define
class AssociationLabels:
    """The labels associations between two object types may carry (either direction).

    Attributes:
        labels (list[AssociationLabel]): Names must differ
    """

    labels: list[AssociationLabel]

    def to_dict(self) -> dict[str, Any]:
        labels = []
        for labels_item_data in self.labels:
            labels_item = labels_item_data.to_dict()
            labels.append(labels_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "labels": labels,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.association_label import AssociationLabel

        d = dict(src_dict)
        labels = []
        _labels = d.pop("labels")
        for labels_item_data in _labels:
            labels_item = AssociationLabel.from_dict(labels_item_data)

            labels.append(labels_item)

        association_labels = cls(
            labels=labels,
        )

        return association_labels
