from enum import StrEnum


class WorkflowVersionReenrollment(StrEnum):
    ALWAYS = "always"
    NEVER = "never"

    def __str__(self) -> str:
        return str(self.value)
