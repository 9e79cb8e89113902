"""Untrusted text made safe to print for people: the one place that does it.

Text from files, caches and other programs may hold control characters (an escape sequence can
set a terminal's title, clear the screen or plant a hidden link) or bidi overrides (which reverse
what follows). :func:`for_terminal` shows each such character escaped instead, as ``\\x1b`` or
``\\u202e``, and leaves every other character as it is.

>>> for_terminal("Acme\\x1b]0;pwned\\x07 \\u202eevil")
'Acme\\\\x1b]0;pwned\\\\x07 \\\\u202eevil'
"""

from __future__ import annotations

import re

__all__ = ["for_terminal"]

#: C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")


def for_terminal(text: str) -> str:
    """`text` with every control and bidi character shown as an escape (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
