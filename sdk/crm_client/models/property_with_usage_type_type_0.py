from enum import StrEnum


class PropertyWithUsageTypeType0(StrEnum):
    BOOLEAN = "boolean"
    CURRENCY = "currency"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    ENUM = "enum"
    MULTI_ENUM = "multi_enum"
    NUMBER = "number"
    PHONE = "phone"
    REFERENCE = "reference"
    STRING = "string"
    TEXT = "text"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
