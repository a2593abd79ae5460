from enum import StrEnum


class PropertyWithUsageTypeType1(StrEnum):
    AMOUNTS = "amounts"
    DOMAIN = "domain"
    MOMENTS = "moments"
    REFERENCES = "references"

    def __str__(self) -> str:
        return str(self.value)
