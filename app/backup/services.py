"""Backup and restore: one archive holding a consistent snapshot of the database and the
uploaded files (``instance/uploads``, the district's emblems and signatures among them).

Left out on purpose: ``instance/exports`` (generated again on request), ``instance/huey.db``
(the export queue's passing state), the secret key and ``instance/config.py`` (secrets belong
in the deployment's configuration, not in every copy of the data)."""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy.engine import URL, make_url

from app.backup import postgres, sqlite
from app.backup.archive import UPLOADS, Manifest, extract_archive, sha256, write_archive
from app.backup.errors import BackupError

ROOT = Path(__file__).resolve().parent.parent.parent
KINDS = {"sqlite": sqlite, "postgresql": postgres}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# A database made by ``flask db upgrade`` and nothing else holds only its revision.
NOT_DATA = {"alembic_version"}


@dataclass
class Restored:
    manifest: Manifest
    placed: int  # uploads written
    kept: int  # uploads found already in place, identical


def database_kind(uri: str) -> tuple[str, URL]:
    url = make_url(uri)
    kind = url.get_backend_name()
    if kind not in KINDS:
        raise BackupError(f"Backups work with SQLite and PostgreSQL, not {kind}.")
    return kind, url


def default_output(instance: Path, now: datetime) -> Path:
    return instance / "backups" / f"backup-{now:%Y%m%d-%H%M%S}Z.tar.gz"


def create_backup(
    database_uri: str, instance: Path, output: Path | None = None, uploads: Path | None = None
) -> tuple[Path, Manifest]:
    """Writes the archive (by default ``instance/backups/backup-<UTC time>Z.tar.gz``) and
    returns its path and manifest; ``uploads`` is the uploads folder when not
    ``instance/uploads`` (``UPLOAD_FOLDER``)."""
    kind, url = database_kind(database_uri)
    now = datetime.now(UTC)
    output = Path(output) if output else default_output(instance, now)
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name.")
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = KINDS[kind]
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=output.parent) as work:
        snapshot = Path(work) / engine.FILE_NAME
        tables, revision = engine.snapshot(url, snapshot)
        manifest = Manifest(
            database=kind,
            database_file=engine.FILE_NAME,
            alembic_revision=revision,
            created_at=now.isoformat(timespec="seconds"),
            app_version=app_version(),
            tables=tables,
        )
        write_archive(output, snapshot, uploads or instance / UPLOADS, manifest)
    return output, manifest


def restore_backup(
    archive: Path, database_uri: str, instance: Path, uploads: Path | None = None
) -> Restored:
    """Restores the archive into the configured database, which must hold no rows, and puts
    the uploads back. Everything is checked before anything is written; the database is
    written in one transaction, and the uploads placed are removed again if that fails."""
    kind, url = database_kind(database_uri)
    engine = KINDS[kind]
    instance.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=instance) as folder:
        work = Path(folder)
        manifest = extract_archive(archive, work)
        _check_kind(manifest, kind)
        tables = _check_target(kind, url, manifest)
        if kind == "sqlite":
            _check_counts(sqlite.contents(work / manifest.database_file)[0], manifest)
        uploads = uploads or instance / UPLOADS
        new, kept = _plan_uploads(manifest, uploads)
        placed = []
        try:
            for relative in new:
                placed.append(_place(work / UPLOADS / relative, uploads / relative))
            engine.load(url, work / manifest.database_file, replace=bool(tables))
        except BaseException:
            for path in placed:
                path.unlink(missing_ok=True)
            raise
    _check_counts(engine.row_counts(url), manifest, restored=True)
    return Restored(manifest, len(placed), kept)


def _check_kind(manifest: Manifest, kind: str) -> None:
    if manifest.database != kind:
        held = NAMES.get(manifest.database, manifest.database)
        raise BackupError(
            f"The archive holds a {held} database but the configured one is {NAMES[kind]}: "
            f"restore it into a {held} database."
        )


def _check_target(kind: str, url: URL, manifest: Manifest) -> list[str]:
    tables, filled = KINDS[kind].occupied(url)
    filled = [table for table in filled if table not in NOT_DATA]
    where = url.render_as_string(hide_password=True)
    if filled:
        raise BackupError(
            f"The database {where} is not empty: {len(filled)} tables hold rows "
            f"({_shown(filled)}). A backup is restored only into an empty database: create a "
            "new one (createdb, or a new SQLite file), point DATABASE_URL at it, run restore again."
        )
    # pg_restore replaces only the tables the dump holds; SQLite's copy replaces the whole file.
    unknown = sorted(set(tables) - set(manifest.tables))
    if kind == "postgresql" and unknown:
        raise BackupError(
            f"The database {where} has tables the backup does not hold ({_shown(unknown)}): "
            "restore into a newly created database."
        )
    return tables


def _check_counts(counts: dict[str, int], manifest: Manifest, restored: bool = False) -> None:
    differing = sorted(
        table for table in set(counts) | set(manifest.tables)
        if counts.get(table) != manifest.tables.get(table)
    )  # fmt: skip
    if not differing:
        return
    if restored:
        raise BackupError(
            f"The database was restored but its rows differ from the manifest in "
            f"{_shown(differing)}: check it before use."
        )
    raise BackupError(f"The snapshot's rows differ from the manifest in {_shown(differing)}.")


def _plan_uploads(manifest: Manifest, uploads: Path) -> tuple[list[str], int]:
    """The uploads to write, and how many are in place already; refuses different files
    under the same names."""
    new, kept, conflicts = [], 0, []
    for name in manifest.uploads():
        relative = name.removeprefix(UPLOADS + "/")
        destination = uploads / relative
        if not destination.exists():
            new.append(relative)
        elif sha256(destination) == manifest.files[name]["sha256"]:
            kept += 1
        else:
            conflicts.append(relative)
    if conflicts:
        raise BackupError(
            f"{uploads} holds other files under the names of the backup's uploads "
            f"({_shown(conflicts)}): move them away first."
        )
    return new, kept


def _place(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, destination)
    except OSError:  # another file system: copy beside, then rename into place
        partial = destination.with_name(destination.name + ".partial")
        shutil.copyfile(source, partial)
        shutil.copymode(source, partial)
        os.replace(partial, destination)
    return destination


def _shown(names: list[str], limit: int = 5) -> str:
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" and {more} more" if more > 0 else "")


def app_version() -> str | None:
    """The code's git commit, when the app runs from a git checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def schema_note(revision: str | None, migrations: str) -> str:
    """What to do about the restored schema's revision against this code's migrations."""
    script = ScriptDirectory(migrations)
    heads = script.get_heads()
    if revision is None:
        return "The backup holds no schema revision: run `flask --app wsgi db upgrade`."
    if revision in heads:
        return f"The schema is at this code's revision {revision}."
    try:
        script.get_revision(revision)
    except (CommandError, RevisionError):
        return (
            f"WARNING: revision {revision} is unknown to this code: the backup was made by a "
            "newer version. Update the code before starting the app."
        )
    return (
        f"The schema is at revision {revision}: run `flask --app wsgi db upgrade` to bring it "
        f"to {', '.join(heads)}."
    )
