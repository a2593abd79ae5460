from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.search_sort_direction import SearchSortDirection
from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchSort")


@_attrs_define
class SearchSort:
    """
    Attributes:
        property_ (str): created_at, updated_at or an indexed property (records without it come last ascending, first
            descending)
        direction (SearchSortDirection | Unset):  Default: SearchSortDirection.ASC.
    """

    property_: str
    direction: SearchSortDirection | Unset = SearchSortDirection.ASC

    def to_dict(self) -> dict[str, Any]:
        property_ = self.property_

        direction: str | Unset = UNSET
        if not isinstance(self.direction, Unset):
            direction = self.direction.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "property": property_,
            }
        )
        if direction is not UNSET:
            field_dict["direction"] = direction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        property_ = d.pop("property")

        _direction = d.pop("direction", UNSET)
        direction: SearchSortDirection | Unset
        if isinstance(_direction, Unset):
            direction = UNSET
        else:
            direction = SearchSortDirection(_direction)

        search_sort = cls(
            property_=property_,
            direction=direction,
        )

        return search_sort
