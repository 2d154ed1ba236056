"""What a database, an uploads folder and an archive hold, read for comparison."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.extensions import db


def table_rows(app) -> dict[str, list[tuple]]:
    """Every row of every table (the models' and Alembic's), all columns, by primary key."""
    with app.app_context():
        names = set(sa.inspect(db.engine).get_table_names())
        rows = {"<tables>": sorted((name,) for name in names)}
        for table in db.metadata.sorted_tables:
            statement = sa.select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in db.session.execute(statement)]
        if "alembic_version" in names:
            version = sa.table("alembic_version", sa.column("version_num"))
            rows["alembic_version"] = [tuple(row) for row in db.session.execute(sa.select(version))]
        db.session.rollback()
    return rows


def upload_checksums(app) -> dict[str, str]:
    folder = Path(app.instance_path) / "uploads"
    if not folder.is_dir():
        return {}
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.iterdir()
        if path.is_file()
    }


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


def repack(archive: Path, output: Path, edit) -> None:
    """Copies the archive, passing each member's (name, bytes) through ``edit``, which returns
    the (name, bytes) to write."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(output, "w:gz") as target:
        for member in source.getmembers():
            name, data = edit(member.name, source.extractfile(member).read())
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), member.mode
            target.addfile(info, io.BytesIO(data))


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.loads(tar.extractfile("manifest.json").read())
