from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_problem import FieldProblem
    from ..models.shared_value import SharedValue


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An RFC 9457 problem (application/problem+json), the body of every error. Members beyond these are
    extensions of one kind of problem, e.g. `existing_id` on a duplicate.

        Attributes:
            type_ (str): A URI naming the kind of problem, e.g. https://crm.invalid/problems/not-found (about:blank when the
                gateway answers)
            title (str):
            status (int):
            detail (str): What went wrong with this request, in words a user can act on
            errors (list[FieldProblem] | Unset): Each field at fault, where a request has fields at fault
            existing_id (None | str | Unset): On a duplicate (409): the record holding the value
            records (int | None | Unset): On a schema change refused (409): how many records hold values it would strand
                (or, making a property unique, values another record shares)
            duplicates (list[SharedValue] | None | Unset): Making a property unique refused (409): values two or more
                records share
    """

    type_: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | Unset = UNSET
    existing_id: str | Unset | None = UNSET
    records: int | Unset | None = UNSET
    duplicates: list[SharedValue] | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        existing_id: str | Unset | None
        if isinstance(self.existing_id, Unset):
            existing_id = UNSET
        else:
            existing_id = self.existing_id

        records: int | Unset | None
        if isinstance(self.records, Unset):
            records = UNSET
        else:
            records = self.records

        duplicates: list[dict[str, Any]] | Unset | None
        if isinstance(self.duplicates, Unset):
            duplicates = UNSET
        elif isinstance(self.duplicates, list):
            duplicates = []
            for duplicates_type_0_item_data in self.duplicates:
                duplicates_type_0_item = duplicates_type_0_item_data.to_dict()
                duplicates.append(duplicates_type_0_item)

        else:
            duplicates = self.duplicates

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "detail": detail,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if existing_id is not UNSET:
            field_dict["existing_id"] = existing_id
        if records is not UNSET:
            field_dict["records"] = records
        if duplicates is not UNSET:
            field_dict["duplicates"] = duplicates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_problem import FieldProblem
        from ..models.shared_value import SharedValue

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        _errors = d.pop("errors", UNSET)
        errors: list[FieldProblem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldProblem.from_dict(errors_item_data)

                errors.append(errors_item)

        def _parse_existing_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        existing_id = _parse_existing_id(d.pop("existing_id", UNSET))

        def _parse_records(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records = _parse_records(d.pop("records", UNSET))

        def _parse_duplicates(data: object) -> list[SharedValue] | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                duplicates_type_0 = []
                _duplicates_type_0 = data
                for duplicates_type_0_item_data in _duplicates_type_0:
                    duplicates_type_0_item = SharedValue.from_dict(duplicates_type_0_item_data)

                    duplicates_type_0.append(duplicates_type_0_item)

                return duplicates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SharedValue] | None | Unset, data)

        duplicates = _parse_duplicates(d.pop("duplicates", UNSET))

        problem = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            errors=errors,
            existing_id=existing_id,
            records=records,
            duplicates=duplicates,
        )

        problem.additional_properties = d
        return problem

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
