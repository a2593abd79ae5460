from enum import StrEnum


class KeyRole(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"
    READ_ONLY = "read_only"

    def __str__(self) -> str:
        return str(self.value)
