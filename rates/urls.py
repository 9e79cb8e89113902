"""URLs as messages show them, and the one redirect rule both sources follow."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

__all__ = ["redirect_target", "shown_url"]


def shown_url(url: str) -> str:
    """`url` as a message may show it: without a user name or password.

    >>> shown_url("https://me:secret@example.org/rates/")
    'https://example.org/rates/'
    """
    try:
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
    except ValueError:  # not even a URL ('http://[' ...): drop whatever stands before an '@'
        import re

        return re.sub(r"//[^/]*@", "//", url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()


def redirect_target(url: str, location: str) -> str | None:
    """Where a redirect from `url` to `location` leads, if it stays on the same scheme, host and
    port; None if it goes anywhere else (such a redirect is refused, never followed).

    >>> redirect_target("http://127.0.0.1:8000/a/f.zip", "/b/f.zip")
    'http://127.0.0.1:8000/b/f.zip'
    >>> redirect_target("https://example.org/f.zip", "http://example.org/f.zip") is None
    True
    """
    try:
        target = urljoin(url, location)
        before, after = urlsplit(url), urlsplit(target)
        after.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return None
    same = (before.scheme, before.hostname, before.port) == (
        after.scheme,
        after.hostname,
        after.port,
    )
    return target if same else None
