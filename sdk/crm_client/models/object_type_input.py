from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.property_input import PropertyInput


T = TypeVar("T", bound="ObjectTypeInput")


@_attrs_define
class ObjectTypeInput:
    """A custom object type, as `POST /v1/schemas` takes it.

    Attributes:
        name (str): Singular, used in event types: partner -> partner.created
        collection (str): Plural, the URL segment: /v1/objects/partners
        label (str):
        properties (list[PropertyInput]):
        identifying (list[str]): A new record needs at least one of these properties
    """

    name: str
    collection: str
    label: str
    properties: list[PropertyInput]
    identifying: list[str]

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        collection = self.collection

        label = self.label

        properties = []
        for properties_item_data in self.properties:
            properties_item = properties_item_data.to_dict()
            properties.append(properties_item)

        identifying = self.identifying

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "collection": collection,
                "label": label,
                "properties": properties,
                "identifying": identifying,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.property_input import PropertyInput

        d = dict(src_dict)
        name = d.pop("name")

        collection = d.pop("collection")

        label = d.pop("label")

        properties = []
        _properties = d.pop("properties")
        for properties_item_data in _properties:
            properties_item = PropertyInput.from_dict(properties_item_data)

            properties.append(properties_item)

        identifying = cast(list[str], d.pop("identifying"))

        object_type_input = cls(
            name=name,
            collection=collection,
            label=label,
            properties=properties,
            identifying=identifying,
        )

        return object_type_input
