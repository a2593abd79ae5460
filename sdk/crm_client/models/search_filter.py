from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.search_filter_op import SearchFilterOp
from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchFilter")


@_attrs_define
class SearchFilter:
    """
    Attributes:
        property_ (str): A property or record field (id, created_at, updated_at); `<association>.<property>` reaches an
            associated record's, e.g. company.industry on contacts (through company_id)
        op (SearchFilterOp): Text comparisons ignore case; eq, in and their negations are exact
        value (Any | Unset): Normalised as a write would normalise it; a list for in and not_in; none for is_set,
            is_not_set
    """

    property_: str
    op: SearchFilterOp
    value: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        property_ = self.property_

        op = self.op.value

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "property": property_,
                "op": op,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        property_ = d.pop("property")

        op = SearchFilterOp(d.pop("op"))

        value = d.pop("value", UNSET)

        search_filter = cls(
            property_=property_,
            op=op,
            value=value,
        )

        return search_filter
