"""The `crm` command (placeholder until the CLI lands in this change)."""


def main() -> None:
    raise SystemExit("crm: not built yet")
