"""The rules for free text, the same for every text value the API stores (record properties, names,
descriptions; custom text properties later).

- Unicode is normalised to NFC, so "é" typed two ways is one value (for uniqueness, search and export).
- Line breaks are kept as LF: CRLF and lone CR become LF. Tab and LF are the only control characters
  allowed: every other C0 control (NUL included), DEL and the C1 controls break CSV exports, terminals
  and downstream systems, and are refused, as are Unicode noncharacters (U+FFFE, U+FDD0...).
- Leading and trailing white space is dropped; an empty result is refused.
- Length is counted in characters after normalisation."""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab and LF, DEL, C1 controls, and the 66 Unicode noncharacters (U+FDD0-U+FDEF and
# the last two code points of every plane).
_NONCHARACTERS = "".join(chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF))
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef" + re.escape(_NONCHARACTERS) + "]")


class InvalidText(ValueError):
    """The text breaks one of the rules above; the message says which, for the client."""


def clean_text(value: object, *, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidText("must be a string")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    refused = _REFUSED.search(text)
    if refused:
        raise InvalidText(
            f"must not contain the control or non-character U+{ord(refused.group()):04X} (only tab and line breaks)"
        )
    if not text:
        raise InvalidText("must not be empty")
    if len(text) > max_length:
        raise InvalidText(f"must be at most {max_length} characters")
    return text


def text_field(max_length: int) -> object:
    """The type of a free-text field of a request model, held to the rules above (pydantic edge)."""
    from functools import partial
    from typing import Annotated

    from pydantic import AfterValidator, Field

    return Annotated[str, Field(min_length=1, max_length=max_length), AfterValidator(partial(_field, max_length))]


def _field(max_length: int, value: str) -> str:
    return clean_text(value, max_length=max_length)
