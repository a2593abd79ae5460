from enum import StrEnum


class WorkflowPatchReenrollment(StrEnum):
    ALWAYS = "always"
    NEVER = "never"

    def __str__(self) -> str:
        return str(self.value)
