from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.property_schema import PropertySchema


T = TypeVar("T", bound="ObjectSchema")


@_attrs_define
class ObjectSchema:
    """
    Attributes:
        name (str): Singular, as in event types: contact -> contact.created
        collection (str): The URL segment: /v1/objects/<collection>
        label (str):
        custom (bool):
        identifying (list[str]): A new record needs at least one of these
        properties (list[PropertySchema]): Built-ins first, then custom ones, archived too
        schema_version (int): The tenant's schema version; every schema change raises it
    """

    name: str
    collection: str
    label: str
    custom: bool
    identifying: list[str]
    properties: list[PropertySchema]
    schema_version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        collection = self.collection

        label = self.label

        custom = self.custom

        identifying = self.identifying

        properties = []
        for properties_item_data in self.properties:
            properties_item = properties_item_data.to_dict()
            properties.append(properties_item)

        schema_version = self.schema_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "collection": collection,
                "label": label,
                "custom": custom,
                "identifying": identifying,
                "properties": properties,
                "schema_version": schema_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.property_schema import PropertySchema

        d = dict(src_dict)
        name = d.pop("name")

        collection = d.pop("collection")

        label = d.pop("label")

        custom = d.pop("custom")

        identifying = cast(list[str], d.pop("identifying"))

        properties = []
        _properties = d.pop("properties")
        for properties_item_data in _properties:
            properties_item = PropertySchema.from_dict(properties_item_data)

            properties.append(properties_item)

        schema_version = d.pop("schema_version")

        object_schema = cls(
            name=name,
            collection=collection,
            label=label,
            custom=custom,
            identifying=identifying,
            properties=properties,
            schema_version=schema_version,
        )

        object_schema.additional_properties = d
        return object_schema

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
