from enum import StrEnum


class WorkflowInputReenrollment(StrEnum):
    ALWAYS = "always"
    NEVER = "never"

    def __str__(self) -> str:
        return str(self.value)
