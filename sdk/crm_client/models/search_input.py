from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.search_filter_group import SearchFilterGroup
    from ..models.search_sort import SearchSort


T = TypeVar("T", bound="SearchInput")


@_attrs_define
class SearchInput:
    """
    Attributes:
        filter_groups (list[SearchFilterGroup] | Unset): Any group may match (OR); none: every record
        sorts (list[SearchSort] | Unset): At most one; none: newest first
        query (str | Unset): Matches the start of the record's identifying text, ignoring case: a name or a word of it,
            an email or its domain, a domain (contacts: first_name, last_name, email; companies: name, domain; deals: name)
        limit (int | Unset):  Default: 25.
        after (str | Unset): next_cursor of the previous page, with the same search
    """

    filter_groups: list[SearchFilterGroup] | Unset = UNSET
    sorts: list[SearchSort] | Unset = UNSET
    query: str | Unset = UNSET
    limit: int | Unset = 25
    after: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        filter_groups: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.filter_groups, Unset):
            filter_groups = []
            for filter_groups_item_data in self.filter_groups:
                filter_groups_item = filter_groups_item_data.to_dict()
                filter_groups.append(filter_groups_item)

        sorts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sorts, Unset):
            sorts = []
            for sorts_item_data in self.sorts:
                sorts_item = sorts_item_data.to_dict()
                sorts.append(sorts_item)

        query = self.query

        limit = self.limit

        after = self.after

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if filter_groups is not UNSET:
            field_dict["filter_groups"] = filter_groups
        if sorts is not UNSET:
            field_dict["sorts"] = sorts
        if query is not UNSET:
            field_dict["query"] = query
        if limit is not UNSET:
            field_dict["limit"] = limit
        if after is not UNSET:
            field_dict["after"] = after

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_filter_group import SearchFilterGroup
        from ..models.search_sort import SearchSort

        d = dict(src_dict)
        _filter_groups = d.pop("filter_groups", UNSET)
        filter_groups: list[SearchFilterGroup] | Unset = UNSET
        if _filter_groups is not UNSET:
            filter_groups = []
            for filter_groups_item_data in _filter_groups:
                filter_groups_item = SearchFilterGroup.from_dict(filter_groups_item_data)

                filter_groups.append(filter_groups_item)

        _sorts = d.pop("sorts", UNSET)
        sorts: list[SearchSort] | Unset = UNSET
        if _sorts is not UNSET:
            sorts = []
            for sorts_item_data in _sorts:
                sorts_item = SearchSort.from_dict(sorts_item_data)

                sorts.append(sorts_item)

        query = d.pop("query", UNSET)

        limit = d.pop("limit", UNSET)

        after = d.pop("after", UNSET)

        search_input = cls(
            filter_groups=filter_groups,
            sorts=sorts,
            query=query,
            limit=limit,
            after=after,
        )

        return search_input
