"""``flask backup`` and ``flask restore``: a demo district survives the round trip row for row
and file for file; a restore never writes over data, nor from a damaged or foreign archive."""

import io
import json
import sqlite3
import stat

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage

from app.backup import postgres, services
from app.backup.errors import BackupError
from app.core.uploads import store_upload
from app.demo.documents import emblem
from app.demo.services import load_demo
from app.extensions import db
from app.organizations.models import Organization
from tests.backup.contents import backend_of, manifest_of, repack, table_rows, upload_checksums
from tests.factories import make_org


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


SAMPLE_FILES = (
    ("Положение о конкурсе.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" * 50),
    ("фото выставки.jpg", _jpeg()),
    ("герб копия.png", emblem(120)),
)


def _upload_samples() -> None:
    for name, data in SAMPLE_FILES:
        store_upload(FileStorage(stream=io.BytesIO(data), filename=name), "file")


def _invoke(app, *args):
    """Runs a command of ``app``; its context is pushed, or the command would run in the
    context the test already has (the harness's)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _backup(app, archive):
    result = _invoke(app, "backup", "--output", str(archive))
    assert result.exit_code == 0, result.output
    return archive


def _small_source(instance_app, world):
    """The test database holding the world and three uploads, with its own instance folder."""
    source = instance_app("source")
    with source.app_context():
        _upload_samples()
    return source


def _table_names(app) -> list[str]:
    with app.app_context():
        return sa.inspect(db.engine).get_table_names()


def test_round_trip_of_the_demo_keeps_every_row_and_every_upload(
    instance_app, empty_database_url, tmp_path
):
    source = instance_app("source")
    with source.app_context():
        load_demo()
        _upload_samples()
        db.session.commit()
    archive = _backup(source, tmp_path / "demo.tar.gz")

    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)
    result = _invoke(target, "restore", str(archive))

    assert result.exit_code == 0, result.output
    assert "uploads written: 5, already in place: 0" in result.output
    assert "at this code's revision" in result.output
    source_rows, target_rows = table_rows(source), table_rows(target)
    assert sum(len(rows) for rows in source_rows.values()) > 1000  # the whole demo district
    assert len(source_rows["<tables>"]) == len(db.metadata.tables) + 1  # and alembic_version
    assert target_rows == source_rows
    checksums = upload_checksums(source)
    assert len(checksums) == 5  # the emblem, the signature and the three samples
    assert upload_checksums(target) == checksums
    with target.app_context():  # new rows get new keys: sequences came back too
        make_org("Новая СОШ")
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(Organization))
            == len(source_rows["organization"]) + 1
        )


def test_manifest_lists_every_file_with_its_checksum_and_the_schema(
    instance_app, world, database_url, tmp_path
):
    source = _small_source(instance_app, world)
    result = _invoke(source, "backup")
    assert result.exit_code == 0, result.output

    (archive,) = (tmp_path / "source" / "backups").glob("backup-*Z.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds personal data
    assert str(archive) in result.output
    manifest = manifest_of(archive)
    assert manifest["database"] == backend_of(database_url)
    with source.app_context():
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert manifest["alembic_revision"] == revision
    assert manifest["tables"]["organization"] == 6 and manifest["tables"]["user_account"] == 7
    uploads = {
        name: entry for name, entry in manifest["files"].items() if name.startswith("uploads/")
    }
    expected = {f"uploads/{name}": digest for name, digest in upload_checksums(source).items()}
    assert {name: entry["sha256"] for name, entry in uploads.items()} == expected
    assert sorted(entry["size"] for entry in uploads.values()) == sorted(
        len(data) for _name, data in SAMPLE_FILES
    )
    assert manifest["database_file"] in manifest["files"]


def test_restore_into_a_database_holding_rows_is_refused(instance_app, world, tmp_path):
    source = _small_source(instance_app, world)
    archive = _backup(source, tmp_path / "world.tar.gz")
    before = table_rows(source)

    result = _invoke(source, "restore", str(archive))

    assert result.exit_code == 1
    assert "is not empty" in result.output and "organization" in result.output
    assert table_rows(source) == before


def test_restore_into_a_migrated_empty_database_replaces_its_empty_tables(
    instance_app, world, empty_database_url, tmp_path
):
    source = _small_source(instance_app, world)
    archive = _backup(source, tmp_path / "world.tar.gz")
    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with target.app_context():
        upgrade()

    result = _invoke(target, "restore", str(archive))

    assert result.exit_code == 0, result.output
    assert table_rows(target) == table_rows(source)
    assert upload_checksums(target) == upload_checksums(source)


@pytest.mark.parametrize("damaged", ["uploads/", "database."])
def test_damaged_archive_is_refused_and_nothing_is_written(
    instance_app, world, empty_database_url, tmp_path, damaged
):
    source = _small_source(instance_app, world)
    archive = _backup(source, tmp_path / "world.tar.gz")
    victim = next(name for name in manifest_of(archive)["files"] if name.startswith(damaged))

    def flip_a_byte(name, data):
        if name != victim:
            return name, data
        middle = len(data) // 2
        return name, data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    repack(archive, tmp_path / "damaged.tar.gz", flip_a_byte)
    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)

    result = _invoke(target, "restore", str(tmp_path / "damaged.tar.gz"))

    assert result.exit_code == 1
    assert f"checksum mismatch: {victim}" in result.output
    assert upload_checksums(target) == {}
    assert _table_names(target) == []


def test_truncated_archive_is_refused(instance_app, world, empty_database_url, tmp_path):
    archive = _backup(_small_source(instance_app, world), tmp_path / "world.tar.gz")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)

    result = _invoke(target, "restore", str(truncated))

    assert result.exit_code == 1
    assert "is not a readable backup archive" in result.output
    assert _table_names(target) == []


def test_archive_of_the_other_database_kind_is_refused(
    instance_app, world, database_url, empty_database_url, tmp_path
):
    archive = _backup(_small_source(instance_app, world), tmp_path / "world.tar.gz")
    kind = backend_of(database_url)
    other = "sqlite" if kind == "postgresql" else "postgresql"
    other_file = services.KINDS[other].FILE_NAME
    own_file = services.KINDS[kind].FILE_NAME

    def relabel(name, data):
        if name == own_file:
            return other_file, data
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"], manifest["database_file"] = other, other_file
            manifest["files"][other_file] = manifest["files"].pop(own_file)
            return name, json.dumps(manifest).encode()
        return name, data

    repack(archive, tmp_path / "other.tar.gz", relabel)
    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)

    result = _invoke(target, "restore", str(tmp_path / "other.tar.gz"))

    assert result.exit_code == 1
    assert f"holds a {services.NAMES[other]} database but the configured one is " in result.output
    assert upload_checksums(target) == {}
    assert _table_names(target) == []


def test_postgresql_refuses_a_real_sqlite_archive(instance_app, empty_database_url, tmp_path):
    if backend_of(empty_database_url) != "postgresql":
        pytest.skip("needs TEST_DATABASE_URL on PostgreSQL")
    small = tmp_path / "small.db"
    with sqlite3.connect(small) as connection:
        connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO note (text) VALUES ('Маарская СОШ')")
    archive, _manifest = services.create_backup(f"sqlite:///{small}", tmp_path / "small")
    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)

    result = _invoke(target, "restore", str(archive))

    assert result.exit_code == 1
    assert "holds a SQLite database but the configured one is PostgreSQL" in result.output
    assert _table_names(target) == []


def test_pg_tools_get_the_password_from_the_environment_not_the_command_line():
    url = make_url(
        "postgresql+psycopg://library:s3cr%40t%20pw@db.local:6432/library?sslmode=require"
    )

    info = postgres.conninfo(url)

    assert "s3cr" not in info
    assert set(info.split()) == {
        "host=db.local", "port=6432", "user=library", "dbname=library", "sslmode=require",
    }  # fmt: skip
    assert postgres._environment(url)["PGPASSWORD"] == "s3cr@t pw"


def test_uploads_placed_are_taken_back_when_the_database_cannot_be_written(
    instance_app, world, database_url, empty_database_url, tmp_path, monkeypatch
):
    archive = _backup(_small_source(instance_app, world), tmp_path / "world.tar.gz")
    target = instance_app("target", SQLALCHEMY_DATABASE_URI=empty_database_url)
    engine = services.KINDS[backend_of(database_url)]

    def failing_load(url, dump_file, replace):
        assert len(upload_checksums(target)) == 3  # the uploads went first
        raise BackupError("the disk is full")

    monkeypatch.setattr(engine, "load", failing_load)
    result = _invoke(target, "restore", str(archive))

    assert result.exit_code == 1 and "the disk is full" in result.output
    assert upload_checksums(target) == {}
    assert _table_names(target) == []
