from enum import StrEnum


class FormFieldProperty(StrEnum):
    EMAIL = "email"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    LIFECYCLE_STAGE = "lifecycle_stage"
    OWNER = "owner"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
