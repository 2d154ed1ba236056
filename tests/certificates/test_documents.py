"""Diplomas, thank-you letters and participation certificates as their readers see them:
LibreOffice turns them into PDF and PNG pages, and the text, the pictures and the pages are
read back."""

import copy
import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.certificates import services
from app.certificates.documents import DIPLOMA, KINDS, Page, default_template
from app.certificates.pages import participation_certificate, thank_you_letter
from app.certificates.samples import sample_pages
from app.contests import documents
from app.contests.documents.certificates import write_certificates, write_juror_letters
from app.core.text import quoted
from app.core.timefmt import local_today
from app.extensions import db
from tests.certificates.images import emblem_png, signature_png
from tests.contests.factory import APPLICATION
from tests.contests.test_documents import NAMES, finalize_all, judged_example
from tests.office import office_pages

TITLE = "Конкурс «Библиотека 5.0»"
AUTHORS = ["Иванова Мария Петровна", "Смирнова Ольга Ивановна"]


def _application_with_authors() -> dict:
    application = copy.deepcopy(APPLICATION)
    application["sections"][0]["questions"][0]["authors"] = True
    return application


def _upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _set_up_district(world, *, head_signs: bool) -> None:
    services.save_image(world.admin_a, "emblem", _upload(emblem_png(), "герб.png"))
    services.save_image(world.admin_a, "signature", _upload(signature_png(), "подпись.png"))
    signer = "head" if head_signs else "chair"
    services.save_signatory(world.admin_a, "Е. В. Семёнова", "Начальник МКУ «УОНР»", signer)
    db.session.commit()


def _pdf(pages) -> str:
    return str(next(pages[0].parent.glob("*.pdf")))


def _pdf_text(pdf: str) -> str:
    done = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True)
    return " ".join(done.stdout.split())


def _images_per_page(pdf: str) -> dict[int, int]:
    """Page number → pictures on it, from ``pdfimages -list`` (soft masks not counted)."""
    listing = subprocess.run(["pdfimages", "-list", pdf], capture_output=True, text=True).stdout
    counts: dict[int, int] = {}
    for line in listing.splitlines()[2:]:
        fields = line.split()
        if fields and fields[2] != "smask":
            counts[int(fields[0])] = counts.get(int(fields[0]), 0) + 1
    return counts


def _dark_share(png, box) -> float:
    """The share of pixels in ``box`` (fractions of the page) darker than light grey."""
    with Image.open(png) as image:
        width, height = image.size
        left, top, right, bottom = box
        crop = image.convert("L").crop(
            (int(left * width), int(top * height), int(right * width), int(bottom * height))
        )
        pixels = list(crop.get_flattened_data())
    return sum(value < 200 for value in pixels) / len(pixels)


def _today() -> str:
    return local_today().strftime("%d.%m.%Y")


def _write(path, write, *args):
    with open(path, "wb") as target:
        write(*args, target)
    return path


@pytest.fixture
def authors_example(world):
    example = judged_example(world, application=_application_with_authors(), title=TITLE)
    first = example.entries["e1"]
    first.data = {**first.data, "author": "; ".join(AUTHORS)}
    db.session.commit()
    finalize_all(example)
    return example


def test_diploma_names_the_authors_the_school_the_emblem_and_nested_quotes(
    world, authors_example, tmp_path
):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler is not installed")
    _set_up_district(world, head_signs=True)
    contest = authors_example.judged.contest
    awards = documents.awards(world.admin_a, contest)
    docx = _write(tmp_path / "diplomas.docx", write_certificates, contest, awards)
    pages = office_pages(docx, "certificates-diplomas")
    assert len(pages) == len(awards) == 4  # one page each, nothing spilling over
    text = _pdf_text(_pdf(pages))
    first_page = text.split("ДИПЛОМ")[1]
    for name in AUTHORS:
        assert name in first_page
    assert "награждаются" in first_page
    assert "Нюрбинская СОШ №1" in first_page  # the school, below its authors
    assert "конкурса «Конкурс „Библиотека 5.0“»" in text
    assert "«Конкурс «" not in text
    assert "Начальник МКУ «УОНР»" in text and "Е. В. Семёнова" in text
    assert _images_per_page(_pdf(pages)) == {1: 2, 2: 2, 3: 2, 4: 2}  # emblem and signature
    assert _dark_share(pages[0], (0.45, 0.07, 0.55, 0.13)) > 0.5  # the emblem at the top centre
    assert text.count(f"г. Нюрба, {_today()}") == 4  # each page to its foot


def test_diploma_of_an_entry_without_authors_awards_its_school_signed_by_the_chair(
    world, authors_example, tmp_path
):
    _set_up_district(world, head_signs=False)
    contest = authors_example.judged.contest
    awards = documents.awards(world.admin_a, contest)
    buffer = io.BytesIO()
    write_certificates(contest, awards, buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    texts = [p.text for p in document.paragraphs]
    assert "Петров Пётр" in "\n".join(texts)  # a staff entry names its author too
    signature = [cell.text for cell in document.tables[0].rows[0].cells]
    assert signature == ["Председатель жюри", "", "А. И. Сидорова"]  # NAMES[0] as signed
    assert len(document.inline_shapes) == 4  # the emblem only: the chair signs by hand


def test_entry_with_the_authors_question_left_empty_awards_the_school(world, authors_example):
    first = authors_example.entries["e1"]
    first.data = {**first.data, "author": " ; "}
    db.session.commit()
    contest = authors_example.judged.contest
    buffer = io.BytesIO()
    write_certificates(contest, documents.awards(world.admin_a, contest), buffer)
    lines = [
        line
        for p in Document(io.BytesIO(buffer.getvalue())).paragraphs
        for line in p.text.split("\n")
    ]
    top = lines.index("ДИПЛОМ")
    assert lines[top + 2 : top + 4] == ["награждается", "Нюрбинская СОШ №1"]


def test_thank_you_letters_one_page_per_juror_signed_by_the_head(world, authors_example, tmp_path):
    _set_up_district(world, head_signs=False)
    contest = authors_example.judged.contest
    docx = _write(tmp_path / "letters.docx", write_juror_letters, contest)
    pages = office_pages(docx, "certificates-letters")
    assert len(pages) == 3
    text = _pdf_text(_pdf(pages))
    assert text.count("БЛАГОДАРСТВЕННОЕ ПИСЬМО") == 3
    assert "за работу в составе жюри конкурса «Конкурс „Библиотека 5.0“»" in text
    for name in NAMES:
        assert name in text
    assert text.index(NAMES[0]) < text.index(NAMES[1])  # the chair first
    assert "Начальник МКУ «УОНР»" in text
    assert _images_per_page(_pdf(pages)) == {1: 2, 2: 2, 3: 2}


def test_participation_certificate_on_one_page(world, tmp_path):
    _set_up_district(world, head_signs=False)
    pages = [
        participation_certificate(
            "Алексеева Туйаара Николаевна",
            "МБОУ «Маарская СОШ»",
            'Семинар "Школьная библиотека как ИБЦ"',
            date(2026, 11, 25),
        ),
        thank_you_letter(
            "Николаев Айсен Петрович",
            "МБОУ «Маарская СОШ»",
            ["за выступление на семинаре", "«Школьная библиотека как ИБЦ»"],
            date(2026, 11, 25),
        ),
    ]
    docx = tmp_path / "certificate.docx"
    with open(docx, "wb") as target:
        services.write_document(world.school_a2, pages[:1], target)
    shown = office_pages(docx, "certificates-participation")
    assert len(shown) == 1
    text = _pdf_text(_pdf(shown))
    assert "СЕРТИФИКАТ участника" in text
    assert "«Семинар „Школьная библиотека как ИБЦ“»" in text
    assert "25.11.2026" in text and "г. Нюрба" in text  # the district's locality


def test_district_template_replaces_the_standard_one(world, tmp_path):
    template = Document(io.BytesIO(default_template("letter")))
    template.add_paragraph("Своя строка шаблона: {{ recipients }}")
    buffer = io.BytesIO()
    template.save(buffer)
    services.save_template(world.admin_a, "letter", _upload(buffer.getvalue(), "письмо.docx"))
    db.session.commit()
    written = io.BytesIO()
    services.write_document(world.school_a1, sample_pages("letter"), written)
    texts = [p.text for p in Document(io.BytesIO(written.getvalue())).paragraphs]
    assert "Своя строка шаблона: Иванова Анна Петровна" in texts
    other = io.BytesIO()
    services.write_document(world.district_b, sample_pages("letter"), other)
    assert not any("Своя строка" in p.text for p in Document(other).paragraphs)


@pytest.mark.parametrize("kind", KINDS)
def test_samples_of_every_kind_fit_one_page(world, kind, tmp_path):
    _set_up_district(world, head_signs=True)
    docx = tmp_path / f"sample-{kind}.docx"
    with open(docx, "wb") as target:
        services.write_document(world.district_a, sample_pages(kind), target)
    assert len(office_pages(docx, f"certificates-sample-{kind}")) == 1


def test_four_authors_and_long_titles_still_fit_one_page(world, tmp_path):
    _set_up_district(world, head_signs=True)
    long_title = (
        "Школьная библиотека — информационно-библиотечный центр образовательной организации"
    )
    page = Page(
        DIPLOMA,
        ["Иванова Мария Петровна", "Смирнова Ольга Ивановна", "Николаев Айсен Петрович",
         "Алексеева Туйаара Николаевна"],
        "МБОУ «Нюрбинская средняя общеобразовательная школа №1 им. Степана Васильева»",
        [f"за работу {quoted(long_title)}", "Призёр (II место)",
         f"в номинации {quoted(long_title)}", f"конкурса {quoted(TITLE)}"],
        "II степени",
        "награждаются",
        date(2026, 11, 25),
    )  # fmt: skip
    docx = tmp_path / "crowded.docx"
    with open(docx, "wb") as target:
        services.write_document(world.district_a, [page, page], target)
    assert len(office_pages(docx, "certificates-crowded")) == 2
