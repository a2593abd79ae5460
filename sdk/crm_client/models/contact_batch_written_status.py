from enum import IntEnum


class ContactBatchWrittenStatus(IntEnum):
    VALUE_200 = 200
    VALUE_201 = 201

    def __str__(self) -> str:
        return str(self.value)
