"""How typed answers look on a terminal: rich tables of the generated models' fields."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from crm_client.types import Unset


def shown(value: Any) -> str:
    """A field as a cell: absent and null are blank, times in UTC, enumerations by value."""
    if value is None or isinstance(value, Unset):
        return ""
    if isinstance(value, datetime.datetime):  # to the second, in UTC: short enough for a column
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    return str(value)


def table(console: Console, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str | None = None) -> None:
    grid = Table(title=title, header_style="bold", title_justify="left")
    for index, column in enumerate(columns):
        # Ids are copied and pasted: never cut one short; other cells fold onto more lines.
        grid.add_column(column, no_wrap=index == 0, min_width=26 if column == "id" else None, overflow="fold")
    for row in rows:
        # Text, not markup: values are user data ("[b]" in a name is a name).
        grid.add_row(*(Text(shown(cell)) for cell in row))
    if grid.row_count:
        console.print(grid)
    else:
        console.print(Text("(none)", style="dim"))


def fields(console: Console, pairs: Iterable[tuple[str, Any]], *, title: str | None = None) -> None:
    grid = Table("field", "value", title=title, show_header=False, title_justify="left")
    for name, value in pairs:
        grid.add_row(Text(name, style="bold"), Text(shown(value)))
    console.print(grid)


def next_page(console: Console, cursor: Any) -> None:
    if isinstance(cursor, str) and cursor:
        console.print(Text(f"More: --cursor {cursor}", style="dim"), highlight=False)


def secret(console: Console, label: str, value: Any, note: Any = None) -> None:
    """A secret the API shows once (null when a replayed answer leaves it out, with a note saying so)."""
    if isinstance(value, str):
        console.print(Text(f"{label} (shown once, store it now):", style="bold yellow"))
        console.print(Text(value), highlight=False, soft_wrap=True)
    else:
        console.print(Text(f"{label}: not shown ({shown(note) or 'a replayed answer'})", style="yellow"))
