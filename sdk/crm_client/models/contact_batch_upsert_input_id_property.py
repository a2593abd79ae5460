from enum import StrEnum


class ContactBatchUpsertInputIdProperty(StrEnum):
    EMAIL = "email"

    def __str__(self) -> str:
        return str(self.value)
