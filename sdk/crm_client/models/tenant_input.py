from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.region import Region
from ..models.tier import Tier
from ..types import UNSET, Unset

T = TypeVar("T", bound="TenantInput")


@_attrs_define
class TenantInput:
    """
    Attributes:
        name (str):
        tier (Tier | Unset):  Default: Tier.BASIC.
        default_region (Region | Unset): Region for phone numbers Default: Region.US.
    """

    name: str
    tier: Tier | Unset = Tier.BASIC
    default_region: Region | Unset = Region.US

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        tier: str | Unset = UNSET
        if not isinstance(self.tier, Unset):
            tier = self.tier.value

        default_region: str | Unset = UNSET
        if not isinstance(self.default_region, Unset):
            default_region = self.default_region.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if tier is not UNSET:
            field_dict["tier"] = tier
        if default_region is not UNSET:
            field_dict["default_region"] = default_region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        _tier = d.pop("tier", UNSET)
        tier: Tier | Unset
        if isinstance(_tier, Unset):
            tier = UNSET
        else:
            tier = Tier(_tier)

        _default_region = d.pop("default_region", UNSET)
        default_region: Region | Unset
        if isinstance(_default_region, Unset):
            default_region = UNSET
        else:
            default_region = Region(_default_region)

        tenant_input = cls(
            name=name,
            tier=tier,
            default_region=default_region,
        )

        return tenant_input
