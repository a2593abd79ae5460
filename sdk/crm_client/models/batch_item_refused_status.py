from enum import IntEnum


class BatchItemRefusedStatus(IntEnum):
    VALUE_404 = 404
    VALUE_409 = 409
    VALUE_412 = 412
    VALUE_422 = 422
    VALUE_500 = 500
    VALUE_503 = 503

    def __str__(self) -> str:
        return str(self.value)
