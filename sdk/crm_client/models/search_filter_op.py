from enum import StrEnum


class SearchFilterOp(StrEnum):
    CONTAINS = "contains"
    ENDS_WITH = "ends_with"
    EQ = "eq"
    GT = "gt"
    GTE = "gte"
    IN = "in"
    IS_NOT_SET = "is_not_set"
    IS_SET = "is_set"
    LT = "lt"
    LTE = "lte"
    NEQ = "neq"
    NOT_IN = "not_in"
    STARTS_WITH = "starts_with"

    def __str__(self) -> str:
        return str(self.value)
