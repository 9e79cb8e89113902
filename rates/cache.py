"""The user cache: one SQLite file holding the days fetched live after the bundled snapshot.

Each day is written in one transaction, so a day is either wholly there or not at all. The file
uses WAL and a busy timeout so several processes can read and update it at once; ``INSERT OR
IGNORE`` on the (day, currency) key means a day written twice is stored once. A file that is not
a spendcalc cache (random bytes, a truncated file, another schema) is renamed aside with a warning
and a new one is made; a directory that cannot be written leaves every lookup working from the
snapshot, with a warning. Nothing from :mod:`sqlite3` escapes: failures become
:class:`~rates.errors.CacheError`.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal

from .errors import CacheError, RateWarning

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from typing import TypeVar

    _T = TypeVar("_T")

SCHEMA_ID = "spendcalc-rate-cache"
SCHEMA_VERSION = "1"
#: The longest spendcalc waits for another process's lock on the cache, in all; then one error
#: line names the file. SQLite's own busy wait takes part of it at each step.
LOCK_WAIT_S = 8.0
BUSY_TIMEOUT_S = 2.0

# One transaction: another process sees both tables or neither (never meta without fixings,
# which would look like someone else's file and be set aside).
_SCHEMA = f"""
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema', '{SCHEMA_ID}'), ('version', '{SCHEMA_VERSION}');
CREATE TABLE IF NOT EXISTS fixings (
    day TEXT NOT NULL,
    currency TEXT NOT NULL,
    per_eur TEXT NOT NULL,
    source TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (day, currency)
) WITHOUT ROWID;
COMMIT;
"""


class _EmptyCache(Exception):
    """A cache file with nothing in it yet: read as no days."""


class _NotACache(sqlite3.DatabaseError):
    """A SQLite database that is not a spendcalc cache (other tables, another schema): another
    program's file, which spendcalc never renames or changes."""


class RateCacheWarning(RateWarning):
    """The cache could not be used as asked; spendcalc went on without it (or with a new one)."""


def default_cache_path() -> str:
    """The cache file: ``$SPENDCALC_CACHE`` if set, else ``rates.sqlite3`` in the user cache dir."""
    override = os.environ.get("SPENDCALC_CACHE")
    if override:
        return os.path.expanduser(override)
    import platformdirs  # only when the default is needed: it is not free to import

    return os.path.join(platformdirs.user_cache_dir("spendcalc", appauthor=False), "rates.sqlite3")


class RateCache:
    """The SQLite store of fixings fetched after the bundled snapshot.

    Nothing is created on disk until the first write; reading a cache that does not exist
    gives no days.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._checked = False
        self._warned: set[str] = set()

    def __repr__(self) -> str:
        return f"RateCache({self.path!r})"

    # -- connections ----------------------------------------------------------------------

    def _connect(self, *, write: bool) -> sqlite3.Connection:
        try:
            return self._connect_to(self.path, write=write)
        except sqlite3.OperationalError as exc:
            if write or "unable to open" not in str(exc):
                raise
        # A WAL file in a directory we cannot write: read it as it stands on disk.
        from urllib.parse import quote

        uri = "file:" + quote(os.path.abspath(self.path)) + "?immutable=1"
        return self._connect_to(uri, write=False, uri=True)

    def _connect_to(self, target: str, *, write: bool, uri: bool = False) -> sqlite3.Connection:
        connection = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, uri=uri)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if tables and not {"meta", "fixings"} <= tables:
                raise _NotACache(f"not a {SCHEMA_ID} file (tables {sorted(tables)})")
            if tables:
                schema = dict(connection.execute("SELECT key, value FROM meta").fetchall())
                columns = [row[1] for row in connection.execute("PRAGMA table_info(fixings)")]
                if schema.get("schema") != SCHEMA_ID or columns[:3] != [
                    "day",
                    "currency",
                    "per_eur",
                ]:
                    raise _NotACache(f"not a {SCHEMA_ID} file (schema {schema.get('schema')!r})")
            if write:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    _retry_locked(lambda: connection.execute("PRAGMA journal_mode=WAL"))
                connection.execute("PRAGMA synchronous = NORMAL")
                if not tables:
                    _retry_locked(lambda: _create_schema(connection))
            elif not tables:
                raise _EmptyCache
        except BaseException:
            connection.close()
            raise
        return connection

    @contextmanager
    def _open(self, *, write: bool) -> Iterator[sqlite3.Connection | None]:
        """A connection, or None when there is no cache to read (and ``write`` is False)."""
        if not write and not os.path.exists(self.path):
            yield None
            return
        if write:
            directory = os.path.dirname(os.path.abspath(self.path))
            try:
                os.makedirs(directory, exist_ok=True)
            except OSError as exc:
                raise CacheError(
                    f"Cannot create the cache directory {directory!r} ({exc.strerror}); "
                    "set SPENDCALC_CACHE or --cache to a writable path."
                ) from exc
        try:
            connection = self._connect(write=write)
        except _EmptyCache:
            yield None
            return
        except _NotACache as exc:
            raise CacheError(
                f"{self.path!r} is an SQLite database but not a spendcalc cache ({exc}); "
                "spendcalc leaves it as it is: set SPENDCALC_CACHE or --cache to another file."
            ) from exc
        except sqlite3.DatabaseError as exc:
            if _is_locked(exc):
                raise self._locked(exc) from exc
            if not _is_corrupt(exc):
                raise self._error(exc) from exc
            connection = self._rebuild(exc, write=write)
        try:
            yield connection
        finally:
            connection.close()

    def _rebuild(self, cause: sqlite3.DatabaseError, *, write: bool) -> sqlite3.Connection:
        """Set a corrupt file aside (renamed, never deleted) and start a new cache."""
        if not os.path.isfile(self.path):  # a device or a pipe is never renamed (root could)
            raise CacheError(
                f"The cache {self.path!r} is not a regular file ({cause}); set SPENDCALC_CACHE "
                "or --cache to a file."
            )
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = f"{self.path}.corrupt-{stamp}-{os.getpid()}"
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(self.path + suffix):
                    os.replace(self.path + suffix, aside + suffix)
        except OSError as exc:
            raise CacheError(
                f"The cache {self.path!r} is corrupt ({cause}) and cannot be set aside "
                f"({exc.strerror}); delete it or point SPENDCALC_CACHE elsewhere."
            ) from exc
        warnings.warn(
            f"The cache {self.path!r} was not a readable spendcalc cache ({cause}); "
            f"it was moved to {aside!r} and a new one was started.",
            RateCacheWarning,
            stacklevel=4,
        )
        try:
            return self._connect(write=True)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _locked(self, exc: BaseException) -> CacheError:
        return CacheError(
            f"The cache {self.path!r} is locked by another process (waited {LOCK_WAIT_S:g} s): "
            f"{exc}; try again when it is done, or set SPENDCALC_CACHE or --cache to another file."
        )

    def _error(self, exc: BaseException) -> CacheError:
        return CacheError(f"The cache {self.path!r} cannot be used: {exc}; {_fix(exc, self.path)}.")

    # -- reading ----------------------------------------------------------------------------

    def days(self) -> dict[str, tuple[dict[str, str], str]]:
        """Every cached day: ``{'2026-11-02': ({'USD': '1.1172', ...}, source), ...}``.

        A cache that cannot be read gives no days and a warning; lookups go on from the snapshot.
        """
        try:
            with self._open(write=False) as connection:
                if connection is None:
                    return {}
                rows = connection.execute(
                    "SELECT day, currency, per_eur, source FROM fixings ORDER BY day"
                ).fetchall()
        except (CacheError, sqlite3.Error, OSError) as exc:
            reason = exc.__cause__ if isinstance(exc, CacheError) and exc.__cause__ else exc
            message = f"The rate cache {self.path!r} cannot be read ({reason}); using the bundled rates only."
            if message not in self._warned:  # a book reads its cache more than once per command
                self._warned.add(message)
                warnings.warn(message, RateCacheWarning, stacklevel=3)
            return {}
        result: dict[str, tuple[dict[str, str], str]] = {}
        for day, currency, per_eur, source in rows:
            result.setdefault(day, ({}, source))[0][currency] = per_eur
        return result

    def last_day(self) -> _dt.date | None:
        """The last cached fixing date, or None."""
        days = self.days()
        return _dt.date.fromisoformat(max(days)) if days else None

    # -- writing ----------------------------------------------------------------------------

    def remove_days(self, days: list[str]) -> int:
        """Delete every row of `days` (``YYYY-MM-DD`` as stored) in one transaction; return how
        many rows went.

        :raises CacheError: if the cache cannot be written
        """
        try:
            return self._changes("DELETE FROM fixings WHERE day = ?", [(day,) for day in days])
        except sqlite3.Error as exc:
            raise (self._locked(exc) if _is_locked(exc) else self._error(exc)) from exc

    def _changes(self, statement: str, rows: Sequence[tuple[str, ...]]) -> int:
        """Run `statement` for each of `rows` in one transaction; return the rows it changed."""
        with self._open(write=True) as connection:
            assert connection is not None

            def run() -> int:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    before = connection.total_changes
                    connection.executemany(statement, rows)
                    changed = connection.total_changes - before
                    connection.execute("COMMIT")
                except BaseException:
                    # SQLite may have rolled back already (a full disk does): keep the cause.
                    if connection.in_transaction:
                        with suppress(sqlite3.Error):
                            connection.execute("ROLLBACK")
                    raise
                return changed

            return _retry_locked(run)

    def open_for_writing(self) -> None:
        """Make sure the cache can be written (made if there is none), before any fetching.

        :raises CacheError: if it cannot: another program's file, a locked or unwritable one
        """
        try:
            with self._open(write=True):
                pass
        except sqlite3.Error as exc:
            raise (self._locked(exc) if _is_locked(exc) else self._error(exc)) from exc

    def store_day(self, day: _dt.date, per_eur: Mapping[str, Decimal], source: str) -> bool:
        """Store one day's fixings in one transaction; False if the day was already there.

        :raises CacheError: if the cache cannot be written
        """
        fetched_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        rows = [
            (day.isoformat(), c, str(v), source, fetched_at) for c, v in sorted(per_eur.items())
        ]
        try:
            return self._changes("INSERT OR IGNORE INTO fixings VALUES (?, ?, ?, ?, ?)", rows) > 0
        except sqlite3.Error as exc:
            if _is_locked(exc):
                raise self._locked(exc) from exc
            raise CacheError(
                f"Cannot write {day.isoformat()} to the cache {self.path!r}: {exc}; {_fix(exc, self.path)}."
            ) from exc


def _fix(exc: BaseException, path: str) -> str:
    """What the user can do about a cache that cannot be written."""
    if "full" in str(exc) or _no_room(path):
        return "free some space, or set SPENDCALC_CACHE or --cache to a file on another disk"
    return "set SPENDCALC_CACHE or --cache to a file you can write"


def _no_room(path: str) -> bool:
    """Whether the disk holding ``path`` is (all but) full: SQLite then says 'disk I/O error'."""
    try:
        import shutil  # only on this error path

        return shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < 65536
    except OSError:
        return False


def _create_schema(connection: sqlite3.Connection) -> None:
    try:
        connection.executescript(_SCHEMA)
    except BaseException:
        if connection.in_transaction:
            connection.rollback()
        raise


def _is_locked(exc: BaseException) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _is_corrupt(exc: BaseException) -> bool:
    """Whether ``exc`` says the file is not a readable spendcalc cache (ours, or SQLite's words)."""
    text = str(exc)
    return (
        "not a database" in text
        or "malformed" in text
        or "no such table" in text
        or "no such column" in text
        or "file is encrypted" in text
    )


def _retry_locked(action: Callable[[], _T]) -> _T:
    """Run ``action``, retrying while another process holds a lock the busy timeout did not
    cover, for at most :data:`LOCK_WAIT_S` seconds in all."""
    deadline = time.monotonic() + LOCK_WAIT_S
    delay = 0.01
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
