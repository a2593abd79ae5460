from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BatchArchiveItem")


@_attrs_define
class BatchArchiveItem:
    """
    Attributes:
        id (str): The record's id
        version (int | Unset): The version you last saw (its ETag), as If-Match: the input is a 412 if the record moved
            on
    """

    id: str
    version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        version = d.pop("version", UNSET)

        batch_archive_item = cls(
            id=id,
            version=version,
        )

        return batch_archive_item
