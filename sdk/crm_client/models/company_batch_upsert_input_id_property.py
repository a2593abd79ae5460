from enum import StrEnum


class CompanyBatchUpsertInputIdProperty(StrEnum):
    DOMAIN = "domain"

    def __str__(self) -> str:
        return str(self.value)
