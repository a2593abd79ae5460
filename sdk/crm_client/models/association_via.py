from enum import StrEnum


class AssociationVia(StrEnum):
    ASSOCIATION = "association"
    PROPERTY = "property"

    def __str__(self) -> str:
        return str(self.value)
