from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.company_input_properties import CompanyInputProperties


T = TypeVar("T", bound="CompanyInput")


@_attrs_define
class CompanyInput:
    """A new company: it needs at least one of name, domain.

    Attributes:
        properties (CompanyInputProperties): The properties of a new company; null leaves an optional one unset.
    """

    properties: CompanyInputProperties

    def to_dict(self) -> dict[str, Any]:
        properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "properties": properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.company_input_properties import CompanyInputProperties

        d = dict(src_dict)
        properties = CompanyInputProperties.from_dict(d.pop("properties"))

        company_input = cls(
            properties=properties,
        )

        return company_input
