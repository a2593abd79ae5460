from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.search_filter import SearchFilter


T = TypeVar("T", bound="SearchFilterGroup")


@_attrs_define
class SearchFilterGroup:
    """
    Attributes:
        filters (list[SearchFilter]): All must match (AND)
    """

    filters: list[SearchFilter]

    def to_dict(self) -> dict[str, Any]:
        filters = []
        for filters_item_data in self.filters:
            filters_item = filters_item_data.to_dict()
            filters.append(filters_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "filters": filters,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_filter import SearchFilter

        d = dict(src_dict)
        filters = []
        _filters = d.pop("filters")
        for filters_item_data in _filters:
            filters_item = SearchFilter.from_dict(filters_item_data)

            filters.append(filters_item)

        search_filter_group = cls(
            filters=filters,
        )

        return search_filter_group
