from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompanyProperties")


@_attrs_define
class CompanyProperties:
    """The properties of a company.

    Attributes:
        name (str | Unset): Name. 1-500 characters, trimmed
        domain (str | Unset): Domain. e.g. example.com (IDNA: xn--...)
        industry (str | Unset): Industry. 1-200 characters, trimmed
    """

    name: str | Unset = UNSET
    domain: str | Unset = UNSET
    industry: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        domain = self.domain

        industry = self.industry

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if domain is not UNSET:
            field_dict["domain"] = domain
        if industry is not UNSET:
            field_dict["industry"] = industry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        domain = d.pop("domain", UNSET)

        industry = d.pop("industry", UNSET)

        company_properties = cls(
            name=name,
            domain=domain,
            industry=industry,
        )

        return company_properties
