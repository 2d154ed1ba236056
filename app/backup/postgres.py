"""PostgreSQL: ``pg_dump`` (custom format) of an exported snapshot, so the row counts in the
manifest describe the very state dumped, and ``pg_restore`` in one transaction.

The connection comes from the SQLAlchemy URL: every part but the password goes into a libpq
connection string (seen in the process list), the password into ``PGPASSWORD``."""

import os
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL

from app.backup.errors import BackupError

FILE_NAME = "database.pgdump"


def conninfo(url: URL) -> str:
    params = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    return make_conninfo("", **{key: str(value) for key, value in params.items() if value})


def _environment(url: URL) -> dict[str, str]:
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password
    return environment


def _connect(url: URL) -> psycopg.Connection:
    try:
        return psycopg.connect(conninfo(url), password=url.password or None)
    except psycopg.OperationalError as error:
        where = url.render_as_string(hide_password=True)
        raise BackupError(f"Cannot connect to {where}: {str(error).strip()}") from None


def _run(command: list[str], url: URL) -> None:
    try:
        done = subprocess.run(command, env=_environment(url), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools of the server's "
            "major version or newer (Debian: apt install postgresql-client)."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def snapshot(url: URL, destination: Path) -> tuple[dict[str, int], str | None]:
    with _connect(url) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        (exported,) = connection.execute("SELECT pg_export_snapshot()").fetchone()
        counts = {table: _count(connection, table) for table in _tables(connection)}
        revision = None
        if "alembic_version" in counts:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--snapshot={exported}", f"--file={destination}", f"--dbname={conninfo(url)}"],
            url,
        )  # fmt: skip
        connection.rollback()
    return counts, revision


def occupied(url: URL) -> tuple[list[str], list[str]]:
    with _connect(url) as connection:
        tables = _tables(connection)
        filled = [table for table in tables if _has_rows(connection, table)]
    return tables, filled


def row_counts(url: URL) -> dict[str, int]:
    with _connect(url) as connection:
        return {table: _count(connection, table) for table in _tables(connection)}


def load(url: URL, dump_file: Path, replace: bool) -> None:
    """Restores the dump in one transaction; ``replace`` drops the (empty) tables of the same
    names first, inside that transaction."""
    command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
               "--exit-on-error", f"--dbname={conninfo(url)}"]  # fmt: skip
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump_file)], url)


def _tables(connection: psycopg.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in rows]


def _count(connection: psycopg.Connection, table: str) -> int:
    query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
    return connection.execute(query).fetchone()[0]


def _has_rows(connection: psycopg.Connection, table: str) -> bool:
    query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table))
    return connection.execute(query).fetchone()[0]
