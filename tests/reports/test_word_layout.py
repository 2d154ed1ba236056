"""Tables and lists of the Word documents as LibreOffice lays them out."""

import re
import subprocess
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from app.core import word
from tests.office import office_pages

FILLER_PARAGRAPHS = 25  # all but the last lines of an A4 page in python-docx's default style


def _case(document, size: int) -> None:
    """A page filled almost to its foot (the last paragraph in ``size`` pt), then a table."""
    for number in range(FILLER_PARAGRAPHS):
        document.add_paragraph(f"Абзац {number}")
    document.add_paragraph("Последний").runs[0].font.size = Pt(size)
    rows = [[f"Школа {number}", str(number)] for number in range(3)]
    word.table(document, [f"Заголовок{size}", "Показатель"], rows)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _laid_out_text(document, path: Path) -> str:
    document.save(path)
    pdf = office_pages(path, path.stem)[0].parent / f"{path.stem}.pdf"
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_a_header_row_never_sits_alone_at_a_page_foot(tmp_path):
    """Whatever room a page has left, the header row moves with the table's first row."""
    document = Document()
    sizes = range(2, 13)
    for size in sizes:
        _case(document, size)
    text = _laid_out_text(document, tmp_path / "header-rows.docx")
    pages = [page.split() for page in text.split("\f") if page.strip()]
    for size in sizes:
        header = f"Заголовок{size}"
        page = next(words for words in pages if header in words)
        assert "Школа" in page[page.index(header) :], f"{size} pt: the header row alone"


def test_numbers_of_two_digits_keep_a_gap_before_the_item(tmp_path):
    """«10. МБОУ …», not «10.МБОУ …»: the list leaves room for two and three digits."""
    writer = word.Writer()
    writer.numbered([f"МБОУ «Школа № {number}»" for number in range(1, 13)])
    text = _laid_out_text(writer.document, tmp_path / "numbered.docx")
    for number in (1, 9, 10, 12):
        assert re.search(rf"^\s*{number}\.\s+МБОУ «Школа № {number}»", text, re.M), text
