"""One bounded HTTP GET, shared by the live source and the ECB file.

:func:`get` follows a redirect only to the same scheme, host and port, reads at most
``max_bytes``, and gives every socket operation what is left of one deadline, so a call never
outlives it and leaves no thread or socket behind. Every failure is one :class:`HttpFailure`
whose ``kind`` says what happened; callers turn it into their own one-sentence message.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode, urljoin, urlsplit

from .urls import redirect_target

__all__ = ["HttpFailure", "get"]

MAX_REDIRECTS = 5


class HttpFailure(Exception):
    """What went wrong with a GET.

    ``kind`` is one of ``bad-url``, ``timeout``, ``refused``, ``unreachable``, ``broken`` (the
    connection closed part-way, or the answer was not HTTP), ``status`` (``status`` holds it),
    ``redirect`` (``target`` holds where to), ``too-many-redirects``, ``too-large``.
    """

    def __init__(self, kind: str, detail: str = "", *, status: int = 0, target: str = "") -> None:
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail
        self.status = status
        self.target = target


def get(
    url: str, *, params: dict[str, str] | None = None, deadline: float, max_bytes: int
) -> bytes:
    """The body of a 200 answer to ``GET url?params``, by ``deadline`` (a time.monotonic() value).

    :raises HttpFailure: for anything but a 200 answer within the bounds
    """
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get_once(url, deadline, max_bytes)
        if status in (301, 302, 303, 307, 308) and location is not None:
            target = redirect_target(url, location)
            if target is None:
                raise HttpFailure("redirect", target=urljoin(url, location))
            url = target
            continue
        if status != 200:
            raise HttpFailure("status", f"HTTP {status}", status=status)
        return body
    raise HttpFailure("too-many-redirects", f"more than {MAX_REDIRECTS} redirects")


def _get_once(url: str, deadline: float, max_bytes: int) -> tuple[int, str | None, bytes]:
    import http.client

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise HttpFailure("bad-url", str(exc)) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpFailure("bad-url", url)

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise HttpFailure("timeout")
        return remaining

    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=left())
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"User-Agent": "spendcalc"})
        response = connection.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location"), b""
        body = bytearray()
        while True:
            if connection.sock is not None:
                connection.sock.settimeout(left())
            chunk = response.read1(65536)
            if not chunk:
                if response.length:  # the connection closed before the length it announced
                    raise HttpFailure("broken", "the connection closed part-way")
                break
            body += chunk
            if len(body) > max_bytes:
                raise HttpFailure("too-large", f"more than {max_bytes} bytes")
        return 200, None, bytes(body)
    except HttpFailure:
        raise
    except http.client.IncompleteRead as exc:
        raise HttpFailure("broken", "the connection closed part-way") from exc
    except TimeoutError as exc:
        raise HttpFailure("timeout") from exc
    except ConnectionRefusedError as exc:
        raise HttpFailure("refused", str(exc)) from exc
    except (ConnectionResetError, http.client.HTTPException) as exc:
        raise HttpFailure("broken", type(exc).__name__) from exc
    except OSError as exc:
        raise HttpFailure("unreachable", exc.strerror or str(exc)) from exc
    finally:
        connection.close()
