"""Fetching the ECB's history file over real HTTP on 127.0.0.1: bounded, no foreign redirects,
no credentials in messages; reading it with the snapshot's own parser."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rates.ecb import bundled_history, parse_history
from rates.ecbfile import FILE_NAME, fetch_zip, read_zip
from rates.errors import RateSourceError
from tests.conftest import ROOT
from tests.ratesserver import LOADED_SLACK

SHARED_ZIP = ROOT.parent / "shared" / "data" / "ecb" / "eurofxref-hist.zip"


class FileServer:
    """Serves ``routes[path] = (status, headers, body)`` on 127.0.0.1; body "hang" never answers."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes | str]] = {}
        self.release = threading.Event()
        routes, release = self.routes, self.release

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, headers, body = routes.get(self.path, (404, {}, b"no"))
                if body == "hang":
                    release.wait(60)
                    return
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)  # type: ignore[arg-type]

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/stats/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[FileServer]:
    s = FileServer()
    yield s
    s.close()


def zipped(text: str, name: str = "eurofxref-hist.csv") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return out.getvalue()


def test_the_shared_file_reads_as_the_bundled_snapshot(server):
    raw = SHARED_ZIP.read_bytes()
    server.routes[f"/stats/{FILE_NAME}"] = (200, {}, raw)
    fetched = parse_history(read_zip(fetch_zip(server.url, timeout=5)))
    bundled = bundled_history()
    assert (fetched.first_date, fetched.last_date) == (bundled.first_date, bundled.last_date)
    last = len(bundled) - 1
    for currency in ("USD", "JPY", "GBP"):
        assert fetched.value(currency, last) == bundled.value(currency, last)


def test_a_redirect_on_the_same_host_is_followed(server):
    server.routes["/stats/eurofxref-hist.zip"] = (
        302,
        {"Location": "/moved/eurofxref-hist.zip"},
        b"",
    )
    server.routes["/moved/eurofxref-hist.zip"] = (200, {}, b"PK...")
    assert fetch_zip(server.url, timeout=5) == b"PK..."


@pytest.mark.parametrize(
    "location", ["http://198.51.100.7/eurofxref-hist.zip", "https://127.0.0.1/eurofxref-hist.zip"]
)
def test_a_redirect_to_another_host_or_scheme_is_refused_naming_it(server, location):
    server.routes["/stats/eurofxref-hist.zip"] = (301, {"Location": location}, b"")
    with pytest.raises(
        RateSourceError, match=rf"redirects to '{location}', another host or scheme; refused"
    ):
        fetch_zip(server.url, timeout=5)


def test_credentials_in_the_url_never_show(server):
    url = server.url.replace("http://", "http://analyst:hunter2@")
    with pytest.raises(RateSourceError) as caught:
        fetch_zip(url, timeout=5)
    assert "hunter2" not in str(caught.value) and "analyst" not in str(caught.value)
    assert "answered HTTP 404" in str(caught.value)


def test_a_silent_server_is_given_up_on_at_the_timeout(server):
    server.routes["/stats/eurofxref-hist.zip"] = (200, {}, "hang")
    ours = {t.ident for t in threading.enumerate()}
    started = time.monotonic()
    with pytest.raises(RateSourceError, match=r"did not arrive within 1 s; try again later"):
        fetch_zip(server.url, timeout=1)
    assert time.monotonic() - started < 1 + LOADED_SLACK
    # No thread is left behind but the test server's own handler, still holding its answer.
    left = [t for t in threading.enumerate() if t.ident not in ours]
    assert all("process_request" in t.name for t in left), left


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://example.org/", r"is not at an http:// or https:// URL"),
        ("http://127.0.0.1:9/", r"could not be fetched \(.*\); check the URL or work offline"),
    ],
)
def test_bad_urls_are_one_error(url, says):
    with pytest.raises(RateSourceError, match=says):
        fetch_zip(url, timeout=2)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"not a zip", r"is not a readable zip file"),
        (zipped("Date,USD\n", name="notes.txt"), r"holds 0 CSV files, not one"),
        (zipped("Date,USD\n2026-11-02,1.1\u00e9\n"), r"holds text that is not ASCII"),
    ],
)
def test_a_file_that_is_not_the_ecbs_is_one_error(raw, says):
    with pytest.raises(RateSourceError, match=says):
        read_zip(raw)


def test_read_zip_gives_the_csv_text():
    assert read_zip(zipped("Date,USD,\n2026-11-02,1.1190,\n")) == "Date,USD,\n2026-11-02,1.1190,\n"


def test_the_default_url_comes_from_the_environment(monkeypatch, server):
    monkeypatch.setenv("SPENDCALC_ECB_URL", server.url)
    server.routes["/stats/eurofxref-hist.zip"] = (200, {}, b"zip bytes")
    assert fetch_zip(timeout=5) == b"zip bytes"


def test_shared_zip_exists():
    assert Path(SHARED_ZIP).is_file()
