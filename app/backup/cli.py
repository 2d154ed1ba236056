"""``flask backup [--output PATH]`` and ``flask restore ARCHIVE``."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from app.backup import services
from app.backup.errors import BackupError
from app.core.uploads import upload_folder
from app.extensions import db

LEFT_OUT = (
    "Not in the archive: instance/exports (made again on request), the export queue, "
    "the secret key and instance/config.py (keep those with the deployment's settings)."
)


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def _database() -> str:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    return url.render_as_string(hide_password=True)


def _describe(manifest) -> list[str]:
    uploads = manifest.uploads()
    upload_bytes = sum(manifest.files[name]["size"] for name in uploads)
    return [
        f"  database: {services.NAMES[manifest.database]}, revision "
        f"{manifest.alembic_revision or 'none'}, {len(manifest.tables)} tables, "
        f"{sum(manifest.tables.values())} rows",
        f"  uploads: {len(uploads)} files, {_size(upload_bytes)}",
        f"  made {manifest.created_at} by version {manifest.app_version or 'unknown'}",
    ]


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive to write (default: instance/backups/backup-<UTC time>Z.tar.gz).",
)
@with_appcontext
def backup(output):
    """Write the database and the uploaded files into one archive."""
    click.echo(f"Backing up {_database()} and {upload_folder()} …")
    try:
        path, manifest = services.create_backup(
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            Path(current_app.instance_path),
            output,
            upload_folder(),
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written: {path} ({_size(path.stat().st_size)})")
    click.echo("\n".join(_describe(manifest)))
    click.echo(LEFT_OUT)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore(archive):
    """Restore ARCHIVE into the configured database, which must be empty, and put its
    uploaded files back. Stop the app first."""
    click.echo(f"Checking {archive}, then restoring into {_database()} …")
    db.engine.dispose()
    try:
        restored = services.restore_backup(
            archive,
            current_app.config["SQLALCHEMY_DATABASE_URI"],
            Path(current_app.instance_path),
            upload_folder(),
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        db.engine.dispose()
    click.echo(f"Restored {archive}:")
    click.echo("\n".join(_describe(restored.manifest)))
    click.echo(f"  uploads written: {restored.placed}, already in place: {restored.kept}")
    migrations = current_app.extensions["migrate"].directory
    click.echo(services.schema_note(restored.manifest.alembic_revision, migrations))
