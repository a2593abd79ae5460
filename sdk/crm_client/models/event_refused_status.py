from enum import IntEnum


class EventRefusedStatus(IntEnum):
    VALUE_404 = 404
    VALUE_422 = 422

    def __str__(self) -> str:
        return str(self.value)
