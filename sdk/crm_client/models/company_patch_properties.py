from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CompanyPatchProperties")


@_attrs_define
class CompanyPatchProperties:
    """The properties to change; null removes one.

    Attributes:
        name (None | str | Unset):
        domain (None | str | Unset):
        industry (None | str | Unset):
    """

    name: str | Unset | None = UNSET
    domain: str | Unset | None = UNSET
    industry: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        name: str | Unset | None
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        domain: str | Unset | None
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        industry: str | Unset | None
        if isinstance(self.industry, Unset):
            industry = UNSET
        else:
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

        def _parse_name(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_domain(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        def _parse_industry(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        industry = _parse_industry(d.pop("industry", UNSET))

        company_patch_properties = cls(
            name=name,
            domain=domain,
            industry=industry,
        )

        return company_patch_properties
