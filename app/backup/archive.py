"""The archive: one ``.tar.gz`` holding the database snapshot, the uploaded files under
``uploads/`` and ``manifest.json``, which lists every other file with its SHA-256 and size."""

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from app.backup.errors import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
CHUNK = 1024 * 1024


@dataclass
class Manifest:
    database: str  # "sqlite" or "postgresql"
    database_file: str
    alembic_revision: str | None
    created_at: str
    app_version: str | None
    tables: dict[str, int]  # rows of each table in the snapshot
    files: dict[str, dict] = field(default_factory=dict)  # name → {"sha256", "size"}
    format: int = FORMAT

    def uploads(self) -> list[str]:
        return sorted(name for name in self.files if name.startswith(UPLOADS + "/"))

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise BackupError(f"Unknown archive format {data.get('format')!r}.")
            return cls(**data)
        except (ValueError, TypeError, AttributeError) as error:
            raise BackupError(f"The archive's manifest cannot be read ({error}).") from None


class _Hashing:
    """A file read by ``tarfile`` and hashed on the way, so each file is read once."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(output: Path, database_file: Path, uploads: Path, manifest: Manifest) -> None:
    """Writes the archive beside ``output`` (mode 0600: it holds personal data) and renames it
    into place once complete, so a file under the final name is always a whole archive."""
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add(tar, database_file, manifest.database_file, manifest)
            for path in _files_under(uploads):
                _add(tar, path, f"{UPLOADS}/{path.relative_to(uploads).as_posix()}", manifest)
            text = json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(text), 0o600, time.time()
            tar.addfile(info, io.BytesIO(text))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, output)


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _add(tar: tarfile.TarFile, path: Path, name: str, manifest: Manifest) -> None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:  # an upload deleted since the folder was listed
        return
    with handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = stat.st_size, stat.st_mode & 0o777, stat.st_mtime
        reader = _Hashing(handle)
        tar.addfile(info, reader)
    manifest.files[name] = {"sha256": reader.digest.hexdigest(), "size": stat.st_size}


def extract_archive(archive: Path, folder: Path) -> Manifest:
    """Unpacks the archive into ``folder`` and checks every file against the manifest:
    nothing listed missing, nothing unlisted, every size and SHA-256 equal."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                _check_member(member)
            tar.extractall(folder, members=members, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{archive} is not a readable backup archive ({error}).") from None
    names = {member.name for member in members}
    if MANIFEST not in names:
        raise BackupError(f"{archive} holds no {MANIFEST}: it is not a backup of this app.")
    manifest = Manifest.from_json((folder / MANIFEST).read_text(encoding="utf-8"))
    _check_files(manifest, names - {MANIFEST}, folder)
    return manifest


def _check_member(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"The archive holds an unexpected entry {member.name!r}.")


def _check_files(manifest: Manifest, present: set[str], folder: Path) -> None:
    listed = set(manifest.files)
    problems = [f"missing: {name}" for name in sorted(listed - present)]
    problems += [f"not in the manifest: {name}" for name in sorted(present - listed)]
    if manifest.database_file not in listed:
        problems.append(f"no database file {manifest.database_file}")
    for name in sorted(listed & present):
        expected, path = manifest.files[name], folder / name
        if path.stat().st_size != expected["size"] or sha256(path) != expected["sha256"]:
            problems.append(f"checksum mismatch: {name}")
    if problems:
        shown = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
        raise BackupError(f"The archive is damaged, nothing was restored ({shown}).")
