"""Progress for long commands: a bar on a terminal (tqdm), plain lines otherwise."""

from __future__ import annotations

import datetime as _dt
from typing import Any, TextIO


class Progress:
    """Call :meth:`step` as ``step(item, done, total)``; a bar on a TTY, else a line per step
    (or nothing, with ``quiet_lines``: a ledger streamed to a pipe prints no progress lines).

    Nothing is printed when there is nothing to do.
    """

    def __init__(
        self,
        label: str,
        *,
        stream: TextIO,
        every: int = 1,
        unit: str = "day",
        quiet_lines: bool = False,
    ) -> None:
        self.label = label
        self.stream = stream
        self.every = max(1, every)
        self.unit = unit
        self.quiet_lines = quiet_lines
        self._bar: Any = None  # a tqdm bar, once there is something to show
        self._tty = hasattr(stream, "isatty") and stream.isatty()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()

    def step(self, item: object, done: int, total: int | None) -> None:
        """Report that ``done`` of ``total`` items are through, the last being ``item``."""
        shown = item.isoformat() if isinstance(item, _dt.date) else str(item)
        if self._tty:
            if self._bar is None:
                from tqdm import tqdm  # only a terminal shows a bar (start-up time)

                self._bar = tqdm(total=total, desc=self.label, file=self.stream, unit=self.unit)
            self._bar.set_postfix_str(shown, refresh=False)
            self._bar.update(done - self._bar.n)
        elif not self.quiet_lines and (done % self.every == 0 or done == total):
            of = f"/{total}" if total else ""
            print(f"{self.label} {done}{of}: {shown}", file=self.stream, flush=True)
