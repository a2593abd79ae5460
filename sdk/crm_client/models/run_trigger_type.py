from enum import StrEnum


class RunTriggerType(StrEnum):
    EVENT = "event"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
