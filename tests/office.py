"""Exported documents opened by LibreOffice, the stand-in for Word and Excel: each file is
converted to PDF (``soffice --headless --convert-to pdf``) and its pages to PNGs (``pdftoppm``),
kept under the test artifacts for whoever reads the run. Skipped where LibreOffice is missing
(``scripts/install-debian-packages.sh`` installs it when it may)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS

CONVERSION_SECONDS = 180


def office_pages(document: Path, name: str) -> list[Path]:
    """The PNG pages of ``document`` as LibreOffice lays it out, under artifacts/office/``name``.

    Fails the test when the conversion reports an error or yields no page or an empty one."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        pytest.skip("LibreOffice or poppler is not installed (scripts/install-debian-packages.sh)")
    folder = ARTIFACTS / "office" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as profile:
        # A profile of its own: two conversions at once must not share LibreOffice's lock.
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(document),
            ],
            capture_output=True,
            text=True,
            timeout=CONVERSION_SECONDS,
            check=False,
        )
    pdf = folder / (document.stem + ".pdf")
    assert done.returncode == 0 and pdf.exists(), done.stdout + done.stderr
    assert "Error" not in done.stderr, done.stderr
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page-*.png"))
    assert pages, f"{pdf} has no pages"
    assert all(page.stat().st_size > 1000 for page in pages), "an empty page"
    return pages
