"""SQLite: a consistent snapshot and a restore, both through the online backup API, which
copies the pages under one read lock (or one write transaction) while the app may run."""

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy.engine import URL

from app.backup.errors import BackupError

FILE_NAME = "database.sqlite3"
BUSY_SECONDS = 30


def database_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("Only a SQLite database stored in a file can be backed up or restored.")
    return Path(url.database)


def snapshot(url: URL, destination: Path) -> tuple[dict[str, int], str | None]:
    """Copies the database into ``destination``; returns its rows per table and revision."""
    path = database_path(url)
    if not path.is_file():
        raise BackupError(f"There is no SQLite database at {path}.")
    try:
        with (
            closing(sqlite3.connect(path, timeout=BUSY_SECONDS)) as source,
            closing(sqlite3.connect(destination)) as target,
        ):
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {path} ({error}).") from None
    return contents(destination)


def contents(path: Path) -> tuple[dict[str, int], str | None]:
    """Rows per table and the Alembic revision of a snapshot, after SQLite's integrity check."""
    with _opened(path, read_only=True) as connection:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"The database snapshot fails SQLite's integrity check: {verdict}")
        counts = {table: _count(connection, table) for table in _tables(connection)}
        revision = None
        if "alembic_version" in counts:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return counts, revision


def occupied(url: URL) -> tuple[list[str], list[str]]:
    """The tables of the database and those of them holding rows; none if there is no file."""
    path = database_path(url)
    if not path.exists():
        return [], []
    with _opened(path) as connection:
        tables = _tables(connection)
        filled = [table for table in tables if _has_rows(connection, table)]
    return tables, filled


def row_counts(url: URL) -> dict[str, int]:
    with _opened(database_path(url)) as connection:
        return {table: _count(connection, table) for table in _tables(connection)}


def load(url: URL, snapshot_file: Path, replace: bool) -> None:
    """Writes the snapshot over the configured database in one transaction of the backup API
    (``replace`` needs nothing more here: the copy replaces every page)."""
    path = database_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(snapshot_file)) as source,
            closing(sqlite3.connect(path, timeout=BUSY_SECONDS)) as target,
        ):
            source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not write {path} ({error}); stop the app first.") from None


@contextmanager
def _opened(path: Path, read_only: bool = False):
    name = path.resolve().as_uri() + "?mode=ro" if read_only else str(path)
    try:
        with closing(sqlite3.connect(name, uri=read_only, timeout=BUSY_SECONDS)) as connection:
            yield connection
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a SQLite database ({error}).") from None


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in rows]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count(connection: sqlite3.Connection, table: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0]


def _has_rows(connection: sqlite3.Connection, table: str) -> bool:
    return connection.execute(f"SELECT EXISTS (SELECT 1 FROM {_quoted(table)})").fetchone()[0] == 1
