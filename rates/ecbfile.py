"""The ECB's own history file, fetched over HTTP: ``{base}eurofxref-hist.zip``.

The ECB publishes its euro reference rates every TARGET business day at about 16:00 CET, and with
them the whole history as one zipped CSV, the file the bundled snapshot is made from. Getting the
bytes (:func:`fetch_zip`) is apart from reading them (:func:`read_zip`, then
:func:`rates.ecb.parse_history`, the snapshot's own parser), so tests feed bytes directly.

A fetch is one request, bounded as a whole by ``timeout`` seconds (every socket operation gets
what is left of it; no thread is left behind), refuses a redirect to another host or scheme
(naming the target), and never shows a password from the URL in a message. Every failure is one
:class:`~rates.errors.RateSourceError`.
"""

from __future__ import annotations

import io
import os
import time
import zipfile

from . import http
from .errors import RateSourceError
from .urls import shown_url

__all__ = ["DEFAULT_URL", "FILE_NAME", "base_url", "fetch_zip", "read_zip"]

#: Where the ECB publishes the file; ``$SPENDCALC_ECB_URL`` or ``--url`` replace it.
DEFAULT_URL = "https://www.ecb.europa.eu/stats/eurofxref/"
FILE_NAME = "eurofxref-hist.zip"
#: Bounds on what is read: the file is about 0.6 MB zipped and 1.6 MB unzipped today.
MAX_ZIP_BYTES = 32 << 20
MAX_CSV_BYTES = 128 << 20


def base_url(url: str | None = None) -> str:
    """The base URL to fetch from: `url`, else ``$SPENDCALC_ECB_URL``, else the ECB's, ending in '/'."""
    chosen = url or os.environ.get("SPENDCALC_ECB_URL") or DEFAULT_URL
    return chosen if chosen.endswith("/") else chosen + "/"


def fetch_zip(url: str | None = None, *, timeout: float = 30.0) -> bytes:
    """The bytes of ``{base}eurofxref-hist.zip``, in at most `timeout` seconds.

    :raises RateSourceError: on any failure: a URL that is not http(s), no connection, no answer
        in time, an HTTP error, a redirect elsewhere, a body over the size bound
    """
    target = base_url(url) + FILE_NAME
    where = f"The ECB file at {shown_url(target)!r}"
    try:
        return http.get(target, deadline=time.monotonic() + timeout, max_bytes=MAX_ZIP_BYTES)
    except http.HttpFailure as exc:
        says = {
            "bad-url": "is not at an http:// or https:// URL; give one such as "
            "'https://host/path/' with --url or SPENDCALC_ECB_URL.",
            "timeout": f"did not arrive within {timeout:g} s; try again later or work offline.",
            "status": f"answered HTTP {exc.status}.",
            "redirect": f"redirects to {shown_url(exc.target)!r}, another host or scheme; "
            "refused: give that URL with --url if you trust it.",
            "too-large": f"is larger than {MAX_ZIP_BYTES >> 20} MiB; refused.",
            "broken": "broke off before the end; try again later.",
        }.get(
            exc.kind,
            f"could not be fetched ({exc.detail or exc.kind}); check the URL or work offline.",
        )
        raise RateSourceError(f"{where} {says}") from exc


def read_zip(raw: bytes, *, name: str = FILE_NAME) -> str:
    """The CSV text inside an ``eurofxref-hist.zip``: one ``.csv`` member, ASCII, size-bounded.

    :raises RateSourceError: if the bytes are not such a zip
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [info for info in archive.infolist() if info.filename.endswith(".csv")]
            if len(members) != 1:
                raise RateSourceError(
                    f"{name} holds {len(members)} CSV files, not one; it is not the ECB's file."
                )
            (member,) = members
            if member.file_size > MAX_CSV_BYTES:
                raise RateSourceError(
                    f"{name} unzips to more than {MAX_CSV_BYTES >> 20} MiB; refused."
                )
            with archive.open(member) as file:
                data = file.read(MAX_CSV_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise RateSourceError(f"{name} is not a readable zip file ({exc}).") from exc
    if len(data) > MAX_CSV_BYTES:
        raise RateSourceError(f"{name} unzips to more than {MAX_CSV_BYTES >> 20} MiB; refused.")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise RateSourceError(f"{name} holds text that is not ASCII (byte {exc.start}).") from exc
