from enum import StrEnum


class PropertySchemaTypeType1(StrEnum):
    AMOUNTS = "amounts"
    DOMAIN = "domain"
    MOMENTS = "moments"
    REFERENCES = "references"

    def __str__(self) -> str:
        return str(self.value)
