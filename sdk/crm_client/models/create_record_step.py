from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_record_step_properties import CreateRecordStepProperties


T = TypeVar("T", bound="CreateRecordStep")


@_attrs_define
class CreateRecordStep:
    """Create a record of any object type. A string value may hold {{record.<property>}} templates,
    filled from the record the workflow runs on; a value that is exactly one template keeps its type.

        Attributes:
            id (str): 1-64 of a-z, 0-9, _ and -; unique in the workflow
            type_ (Literal['create_record']):
            object_ (str): The object type, e.g. contact
            properties (CreateRecordStepProperties):
            next_ (None | str | Unset):
    """

    id: str
    type_: Literal["create_record"]
    object_: str
    properties: CreateRecordStepProperties
    next_: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_

        object_ = self.object_

        properties = self.properties.to_dict()

        next_: str | Unset | None
        if isinstance(self.next_, Unset):
            next_ = UNSET
        else:
            next_ = self.next_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "type": type_,
                "object": object_,
                "properties": properties,
            }
        )
        if next_ is not UNSET:
            field_dict["next"] = next_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_record_step_properties import CreateRecordStepProperties

        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal["create_record"], d.pop("type"))
        if type_ != "create_record":
            raise ValueError(f"type must match const 'create_record', got '{type_}'")

        object_ = d.pop("object")

        properties = CreateRecordStepProperties.from_dict(d.pop("properties"))

        def _parse_next_(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_ = _parse_next_(d.pop("next", UNSET))

        create_record_step = cls(
            id=id,
            type_=type_,
            object_=object_,
            properties=properties,
            next_=next_,
        )

        return create_record_step
