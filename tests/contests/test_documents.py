"""The jury protocol (.docx, .xlsx) and the certificates: the figures of a fixed example computed
by hand appear in both files, read back; texts typed by users stay inert in the workbook; only
staff, observers and the chair of the jury download them."""

import io
import re
from dataclasses import dataclass

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from app.contests import assignment, documents, scoring, services, standings
from app.contests.documents.certificates import write_certificates
from app.contests.documents.protocol_docx import write_protocol_docx
from app.contests.documents.protocol_xlsx import sheet_title, write_protocol_xlsx
from app.contests.models import Entry, Phase
from app.core.errors import Conflict
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import Judged, make_contest, staff_entry, submit_entry
from tests.factories import make_org

FORMULA = '=HYPERLINK("http://x","y")'
INCOMPLETE = "Эксперт заболел и не завершил оценку"

# Scores of the fixed example: entry -> juror index (0 chair, 1 of school A1, 2 of district A)
# -> (content 0–5, weight 1, tie priority 1; design 0–10, weight 2).
SCORES = {
    "e1": {0: (5, 7), 2: (5, 8)},  # of school A1: its juror is never assigned
    "e2": {0: (1, 6), 1: (3, 7), 2: (5, 10)},
    "e3": {0: (3, 8), 1: (4, 7), 2: (5, 9)},
    "e5": {0: (1, 5), 1: (2, 5), 2: (3, 5)},
    "e4": {0: (4, 9)},  # the second nomination: juror 1 never completes, juror 2 declines
}
# Worked by hand (a mean over the jurors who scored; total = content + 2 × design, from the
# unrounded means; SD of the jurors' own totals, sample):
# e1: content (5+5)/2 = 5.00, design (7+8)/2 = 7.50, total 5 + 15 = 20.00;
#     jurors' totals 19 and 21: SD √((1+1)/1) = 1.41.
# e3: content (3+4+5)/3 = 4.00, design (8+7+9)/3 = 8.00, total 4 + 16 = 20.00 — tied with e1,
#     content 4.00 < 5.00 puts it second; jurors' totals 19, 18, 23: SD √((1+4+9)/2) = 2.65.
# e2: content (1+3+5)/3 = 3.00, design (6+7+10)/3 = 7.67, total 3 + 2 × 23/3 = 18.33 (not
#     3 + 2 × 7.67 = 18.34); jurors' totals 13, 17, 25: SD √((224/3) / 2) = 6.11; 25 is 8 from
#     the median 17, more than 30 % of the maximum 5 + 2 × 10 = 25: flagged for discussion.
# Kendall's W over e2, e3, e5 (e1 lacks juror 1): rank sums 5, 4, 9 against a mean of 6,
#     S = 1 + 4 + 9 = 14, W = 12 × 14 / (3² × (3³ − 3)) = 168 / 216 = 0.78: good.
# e5: content 2.00, design 5.00, total 12.00: fourth, the one laureate; totals 11, 12, 13: SD 1.00.
# e4: alone in its nomination (not held): content 4.00, design 9.00, total 22.00, 1 of 2.
EXPECTED = {
    "e1": ("5.00", "7.50", "20.00", 1, "1.41"),
    "e3": ("4.00", "8.00", "20.00", 2, "2.65"),
    "e2": ("3.00", "7.67", "18.33", 3, "6.11"),
    "e5": ("2.00", "5.00", "12.00", 4, "1.00"),
}
NAMES = ["Сидорова Анна Ивановна", "Кузьмин Олег Петрович", "Николаева Ольга Семёновна"]


@dataclass
class Example:
    judged: Judged
    entries: dict[str, Entry]


def _score(judged: Judged, user, entry: Entry, values: tuple[int, int], comment: str = ""):
    sheet = next(
        a for a in scoring.juror_assignments(user, judged.contest) if a.entry_id == entry.id
    )
    content, design = judged.criteria
    marks = {content.id: scoring.Mark(str(values[0])), design.id: scoring.Mark(str(values[1]))}
    marks[design.id].comment = comment
    scoring.save_scores(user, sheet, marks, comment, complete=True)


def judged_example(world, **settings) -> Example:
    judged = make_contest(world, laureates=1, **settings)
    for user, name in zip(judged.users, NAMES, strict=True):
        user.full_name = name
    first, second = judged.first, judged.second
    school_a4 = make_org("Тойбохойская СОШ", parent=world.district_a)
    entries = {
        "e1": submit_entry(world.school_user_a1, judged, first, "Библиотека будущего"),
        "e2": submit_entry(judged.school_user_a2, judged, first, FORMULA),
        "e3": staff_entry(world, judged, judged.school_a3, first, "Читающая семья"),
        "e4": staff_entry(world, judged, world.school_a2, second, "Книжный марафон"),
        "e5": staff_entry(world, judged, school_a4, first, "Тропа к книге"),
    }
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    declined = next(
        a
        for a in scoring.juror_assignments(judged.users[2], judged.contest)
        if a.entry_id == entries["e4"].id
    )
    assignment.declare_conflict(judged.users[2], declined, "Родственник работает в этой школе")
    for key, by_juror in SCORES.items():
        for index, values in by_juror.items():
            comment = FORMULA if (key, index) == ("e2", 1) else ""
            _score(judged, judged.users[index], entries[key], values, comment)
    db.session.commit()
    return Example(judged, entries)


def finalize_all(example: Example) -> None:
    judged = example.judged
    for nomination in judged.contest.nominations:
        standings.finalize(judged.users[0], judged.contest, nomination, reason=INCOMPLETE)
    db.session.commit()


def _docx(write, *args) -> Document:
    buffer = io.BytesIO()
    write(*args, buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def _text(document: Document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _xlsx(protocol) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_protocol_xlsx(protocol, buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def _rows_under(sheet, first_title: str) -> tuple[list[str], list[tuple]]:
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == first_title)
    return list(rows[top]), [row for row in rows[top + 1 :] if any(v is not None for v in row)]


@pytest.fixture
def example(world) -> Example:
    return judged_example(world)


# The protocol as a Word document


def test_docx_protocol_prints_the_hand_computed_figures(world, example):
    document = _docx(write_protocol_docx, documents.protocol(world.admin_a, example.judged.contest))
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Место", "Работа", "К1", "К2", "Итог", "Оценили", "Ст. откл."]
    legend = "Критерии: К1 — Содержание; К2 — Оформление (×2)."
    assert legend in [p.text for p in document.paragraphs]
    rows = {row.cells[1].text.split()[1]: [c.text for c in row.cells] for row in table.rows[1:]}
    for key, (content, design, total, place, sd) in EXPECTED.items():
        entry = example.entries[key]
        row = rows[str(entry.number)]
        comma = [value.replace(".", ",") for value in (content, design, total)]
        assert row[0] == str(place)
        assert row[2:5] == comma
        assert row[6] == sd.replace(".", ",")
        assert entry.organization.name in row[1]
    assert rows[str(example.entries["e1"].number)][5] == "2 из 2"


def test_results_page_shows_the_same_hand_computed_figures(world, as_user, example):
    client = as_user(world.admin_a)
    page = client.get(f"/contests/{example.judged.contest.id}/results").get_data(as_text=True)
    section = page[page.index(f'id="nomination-{example.judged.first.id}"') :]
    rows = re.findall(r'<tr data-entry="(\d+)">(.*?)</tr>', section, re.S)
    cells = {number: re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for number, row in rows}
    for key, (content, design, total, place, sd) in EXPECTED.items():
        row = cells[str(example.entries[key].number)]
        assert row[0].strip() == str(place)
        assert [c.strip() for c in row[2:5]] == [
            v.replace(".", ",") for v in (content, design, total)
        ]
        assert row[6].strip() == sd.replace(".", ",")


def test_docx_protocol_names_the_jury_awards_ties_and_conflicts(world, example):
    document = _docx(write_protocol_docx, documents.protocol(world.admin_a, example.judged.contest))
    text = _text(document)
    entries = example.entries
    assert text.startswith("ПРОЕКТ")
    assert "Протокол заседания жюри" in text
    assert "конкурса «Образовательная экспедиция»" in text
    assert "Место проведения: г. Нюрба, МКУ «УОНР»" in text
    assert f"{NAMES[0]} (МКУ «УОНР») — председатель жюри" in text
    assert f"{NAMES[1]} (Нюрбинская СОШ №1) — член жюри" in text
    assert f"№ {entries['e1'].number} «Библиотека будущего», Нюрбинская СОШ №1 — I место" in text
    laureate = f"№ {entries['e5'].number} «Тропа к книге», Тойбохойская СОШ — 4 место"
    assert f"{laureate}, итоговый балл 12,00" in text
    assert "Призёры:" in text and "Лауреаты:" in text
    tie = f"Работы № {entries['e1'].number} и № {entries['e3'].number} набрали равный итоговый балл"
    assert f"{tie} 20,00." in text
    assert (
        "Места распределены по приоритетному критерию «Содержание» (средние баллы: "
        f"№ {entries['e1'].number} — 5,00, № {entries['e3'].number} — 4,00)."
    ) in text
    assert "Для справки — итоги, нормированные по каждому члену жюри" in text
    assert "W = 0,78 — хорошая согласованность (членов жюри: 3, работ: 3)" in text
    assert (
        f"Работа № {entries['e2'].number}: итоговая оценка 25,00 ({NAMES[2]}) существенно "
        "отличается от оценок других членов жюри — вынесено на обсуждение."
    ) in text
    # the second nomination: one entry, not held, scored by one juror of two
    assert "Номинация не состоялась" in text
    assert "Подано работ: 1; необходимо не менее 2." in text
    assert f"Работа № {entries['e4'].number}: оценили 1 из 2 членов жюри" in text
    own, declared = (
        [[c.text for c in row.cells] for row in document.tables[i].rows] for i in (2, 3)
    )
    assert own[1:] == [
        [
            NAMES[1],
            f"№ {entries['e1'].number} «Библиотека будущего», Нюрбинская СОШ №1",
            "работа организации, в которой работает член жюри",
            "—",
        ]
    ]
    assert declared[1][:3] == [
        NAMES[2],
        f"№ {entries['e4'].number} «Книжный марафон», Маарская СОШ",
        "заявлен конфликт интересов: Родственник работает в этой школе",
    ]
    assert f"Председатель жюри: {NAMES[0]}    ____________ / подпись" in text
    assert f"Член жюри: {NAMES[2]}    ____________ / подпись" in text


def test_docx_protocol_is_no_draft_once_every_nomination_is_finalized(world, example):
    finalize_all(example)
    document = _docx(write_protocol_docx, documents.protocol(world.admin_a, example.judged.contest))
    text = _text(document)
    assert "ПРОЕКТ" not in text
    assert "Итоги утверждены" in text


def test_shared_place_is_noted_when_the_priority_criterion_is_equal_too(world):
    judged = make_contest(world)
    first = staff_entry(world, judged, world.school_a2, judged.second, "Первая")
    second = staff_entry(world, judged, judged.school_a3, judged.second, "Вторая")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    for entry in (first, second):
        for user in judged.users:
            _score(judged, user, entry, (4, 8))
    db.session.commit()
    text = _text(_docx(write_protocol_docx, documents.protocol(world.admin_a, judged.contest)))
    assert f"Работы № {first.number} и № {second.number} равны и по приоритетным критериям" in text
    assert "разделили 1 место" in text


# The protocol as a workbook


def test_xlsx_summary_has_the_same_figures_as_numbers(world, example):
    workbook = _xlsx(documents.protocol(world.admin_a, example.judged.contest))
    assert workbook.sheetnames[:2] == ["Итоги", "Рейтинг"]
    header, rows = _rows_under(workbook["Итоги"], "Номинация")
    column = {title: index for index, title in enumerate(header)}
    by_number = {row[column["№"]]: row for row in rows}
    for key, (content, design, total, place, sd) in EXPECTED.items():
        row = by_number[example.entries[key].number]
        assert row[column["Содержание"]] == pytest.approx(float(content))
        assert row[column["Оформление (×2)"]] == pytest.approx(float(design))
        assert row[column["Итог"]] == pytest.approx(float(total))
        assert row[column["Место"]] == place
        assert row[column["Ст. откл."]] == pytest.approx(float(sd))
    e1 = by_number[example.entries["e1"].number]
    assert e1[column["Звание"]] == "Победитель"
    assert e1[column["Оценили"]] == 2
    e4 = by_number[example.entries["e4"].number]
    assert e4[column["Место"]] is None and e4[column["Назначено"]] == 2
    cells = next(row for row in workbook["Итоги"].iter_rows() if row[1].value == 1)
    assert {cells[column[name]].number_format for name in ("Содержание", "Итог")} == {"0.00"}


def test_xlsx_ranking_and_juror_sheets(world, example):
    workbook = _xlsx(documents.protocol(world.admin_a, example.judged.contest))
    ranking = [row[0] for row in workbook["Рейтинг"].iter_rows(values_only=True)]
    second = ranking.index("Номинация «Лучшая презентация»")
    assert ranking[second + 1] == "Номинация не состоялась"
    assert ranking[ranking.index("Номинация «Лучший проект»") + 1] == "итоги не утверждены"
    ranking = list(workbook["Рейтинг"].iter_rows(values_only=True))
    agreement = [row for row in ranking if row[0] == "Согласованность (W Кендалла)"]
    assert agreement[0][1:3] == (pytest.approx(0.78), "хорошая согласованность")
    assert workbook.sheetnames[2:] == ["Конфликты интересов", *NAMES[:1], *sorted(NAMES[1:])]
    header, rows = _rows_under(workbook[NAMES[0]], "Номинация")
    assert len(rows) == 5  # the chair scored every entry
    e2 = next(row for row in rows if row[1] == example.entries["e2"].number)
    assert e2[3:6] == (1, 6, 13)  # content, design and the chair's total 1 + 2 × 6
    _header, rows = _rows_under(workbook[NAMES[1]], "Номинация")
    assert {row[1] for row in rows} == {example.entries[k].number for k in ("e2", "e3", "e5")}


def test_xlsx_texts_typed_by_users_are_inert(world, example):
    workbook = _xlsx(documents.protocol(world.admin_a, example.judged.contest))
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    sheets = {cell.parent.title for cell in cells}
    assert {"Итоги", "Рейтинг", NAMES[1]} <= sheets
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == FORMULA
    juror = workbook[NAMES[1]]
    header, rows = _rows_under(juror, "Номинация")
    e2 = next(row for row in rows if row[1] == example.entries["e2"].number)
    assert e2[header.index("Общий комментарий")] == FORMULA
    assert e2[header.index("Комментарий: Оформление")] == FORMULA


def test_sakha_letters_are_kept_and_control_characters_dropped(world, example):
    entry = example.entries["e3"]
    entry.title = "Өбүгэ һаҥата\x07 ҕ"
    db.session.commit()
    protocol = documents.protocol(world.admin_a, example.judged.contest)
    assert "«Өбүгэ һаҥата ҕ»" in _text(_docx(write_protocol_docx, protocol))
    _header, rows = _rows_under(_xlsx(protocol)["Итоги"], "Номинация")
    assert "Өбүгэ һаҥата ҕ" in {row[2] for row in rows}


def test_sheet_titles_are_safe_and_unique():
    taken: set[str] = set()
    first = sheet_title("Иванова [эксперт]: a/b*c?\\d — очень длинное имя члена жюри", taken)
    second = sheet_title("Иванова [эксперт]: a/b*c?\\d — очень длинное имя члена жюри", taken)
    assert len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first + second)
    assert first != second and second.endswith("(2)")
    assert sheet_title("'", taken) == "Лист"


# Certificates


def test_certificates_one_page_per_award_none_for_a_nomination_not_held(world, example):
    contest = example.judged.contest
    with pytest.raises(Conflict):
        documents.awards(world.admin_a, contest)
    finalize_all(example)
    document = _docx(write_certificates, contest, documents.awards(world.admin_a, contest))
    lines = [line for p in document.paragraphs for line in p.text.split("\n")]
    assert lines.count("награждается") == 4  # winner, two prize-winners, one laureate
    starts = document.element.body.findall(".//" + qn("w:pageBreakBefore"))
    assert len(starts) == 3
    assert lines.count("ДИПЛОМ") == 4
    assert [line for line in lines if line.endswith("степени") or line == "лауреата"] == [
        "I степени",
        "II степени",
        "III степени",
        "лауреата",
    ]
    assert "Нюрбинская СОШ №1" in lines  # the form names no authors: the school is awarded
    assert "за работу «Библиотека будущего»" in lines
    assert "Победитель (I место)" in lines
    assert "в номинации «Лучший проект»" in lines
    assert "в номинации «Лучшая презентация»" not in lines
    signature = [cell.text for cell in document.tables[0].rows[0].cells]
    assert signature == ["Председатель жюри", "", "А. И. Сидорова"]  # NAMES[0]


# Who downloads


DOCUMENTS = ("protocol.docx", "protocol.xlsx")


def _get(app, user, url: str):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client.get(url)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_staff_observers_and_the_chair_download_the_protocol(app, world, example, name):
    contest_id = example.judged.contest.id
    for user in (world.admin_a, world.viewer_a, world.jury_a):
        response = _get(app, user, f"/contests/{contest_id}/{name}")
        assert response.status_code == 200, user.username
        disposition = response.headers["Content-Disposition"]
        assert f"protocol-{contest_id}.{name.split('.')[1]}" in disposition


@pytest.mark.parametrize("name", [*DOCUMENTS, "certificates.docx"])
def test_others_do_not_find_the_documents(app, world, example, name):
    finalize_all(example)
    url = f"/contests/{example.judged.contest.id}/{name}"
    for user in (example.judged.users[1], world.school_user_a1, world.admin_b):
        assert _get(app, user, url).status_code == 404, user.username
    assert app.test_client().get(url).status_code == 302  # to the login page


def test_certificates_route_needs_a_finalized_nomination(world, as_user, example):
    contest_id = example.judged.contest.id
    client = as_user(world.admin_a)
    assert client.get(f"/contests/{contest_id}/certificates.docx").status_code == 409
    finalize_all(example)
    response = client.get(f"/contests/{contest_id}/certificates.docx")
    assert response.status_code == 200
    assert f"certificates-{contest_id}.docx" in response.headers["Content-Disposition"]


def test_the_chair_downloads_after_completing_their_own_sheets(world, as_user):
    judged = make_contest(world)
    entry = staff_entry(world, judged, world.school_a2, judged.first, "Работа")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    client = as_user(world.jury_a)
    url = f"/contests/{judged.contest.id}/protocol.docx"
    assert client.get(url).status_code == 409
    _score(judged, world.jury_a, entry, (3, 5))
    db.session.commit()
    assert client.get(url).status_code == 200


def test_protocol_nests_the_quotes_of_a_quoted_title(world):
    example = judged_example(world, title="Конкурс «Библиотека 5.0»")
    contest = example.judged.contest
    text = _text(_docx(write_protocol_docx, documents.protocol(world.admin_a, contest)))
    assert "конкурса «Конкурс „Библиотека 5.0“»" in text
    assert "«Конкурс «" not in text
