from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RunInput")


@_attrs_define
class RunInput:
    """
    Attributes:
        record_id (str): The record (of the workflow's object type) to run on
    """

    record_id: str

    def to_dict(self) -> dict[str, Any]:
        record_id = self.record_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "record_id": record_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        record_id = d.pop("record_id")

        run_input = cls(
            record_id=record_id,
        )

        return run_input
