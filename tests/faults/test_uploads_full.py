"""The uploads disk full (a 1 MB tmpfs over gunicorn's uploads folder, filled up): the school
is told beside the file field (507, in Russian), nothing of the file stays on the disk and no
row points to a missing file; once space is freed the same upload works."""

import contextlib
import errno
import subprocess

import pytest

from tests.faults.browser import Browser
from tests.monitoring import one_section, question

DEFINITION = one_section("faults-files", question("scan", "file", "Скан положения о библиотеке"))
NO_SPACE = (
    "На сервере закончилось место для файлов. Файл не сохранён; повторите позже или сообщите в"
    " управление образования."
)
DOCUMENT = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"
FILLER = "filler"


@pytest.fixture
def small_disk(stack):
    """A 1 MB tmpfs mounted over the uploads folder for the test (root only)."""
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(stack.uploads)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield stack.uploads
    finally:
        if subprocess.run(["umount", str(stack.uploads)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(stack.uploads)], check=False)


def _fill(folder, leave: int) -> int:
    """Writes a file until the disk is full, then frees ``leave`` bytes; returns its size."""
    path = folder / FILLER
    with open(path, "wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.truncate(size - leave)
    return size - leave


def _files_of(stack, response_id: int) -> list[tuple[str, int]]:
    with stack.connect() as connection:
        return connection.execute(
            "SELECT stored_name, size FROM response_file WHERE response_id = %s",
            (response_id,),
        ).fetchall()


def _upload(school: Browser, response_id: int):
    return school.post(
        f"/responses/{response_id}/files",
        {"key": "scan"},
        files={"file": ("Положение о библиотеке.pdf", DOCUMENT, "application/pdf")},
    )


def test_full_uploads_disk_then_space_freed(stack, seed, small_disk):
    seeded = seed(DEFINITION)
    school = Browser(stack.server.url)
    assert school.log_in(seeded.school_login).status_code == 302
    assert school.get(f"/responses/{seeded.response_id}").status_code == 200
    filler = _fill(small_disk, leave=100_000)
    with pytest.raises(OSError) as full:
        (small_disk / "probe").write_bytes(b"\0" * 200_000)
    assert full.value.errno == errno.ENOSPC
    (small_disk / "probe").unlink()

    refused = _upload(school, seeded.response_id)
    assert refused.status_code == 507
    assert refused.json() == {"error": NO_SPACE}
    assert sorted(path.name for path in small_disk.iterdir()) == [FILLER]  # no partial file
    assert _files_of(stack, seeded.response_id) == []

    (small_disk / FILLER).unlink()
    accepted = _upload(school, seeded.response_id)
    assert accepted.status_code == 200
    [(stored_name, size)] = _files_of(stack, seeded.response_id)
    assert size == len(DOCUMENT)
    assert (small_disk / stored_name).read_bytes() == DOCUMENT
    download = school.get(f"/files/{accepted.json()['id']}")
    assert download.status_code == 200 and download.content == DOCUMENT
    print(
        f"\n[uploads full] tmpfs of 1 MB, a filler of {filler} bytes: uploading"
        f" {len(DOCUMENT)} bytes answered {refused.status_code} «{NO_SPACE}»; the folder held"
        f" only the filler, the database no file row; after freeing space the upload answered"
        f" 200 and the file downloads whole"
    )
