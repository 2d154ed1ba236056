"""Nobody on the jury sees the others' scores first, and blind judging holds until the results
are published: the results page, the protocol and the certificates as the chair of the jury gets
them; the protocol names who did not score which entry and why; figures keep their two places."""

import io
import re

import openpyxl
from docx import Document

from app.contests import assignment, documents, scoring, services, standings
from app.contests.documents.protocol_docx import write_protocol_docx
from app.contests.documents.protocol_xlsx import write_protocol_xlsx
from app.contests.models import Phase
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import Judged, make_contest, staff_entry, submit_entry

TITLES = ("Библиотека будущего", "Книжный дозор", "Тропа к книге")
SCHOOLS = ("Нюрбинская СОШ №1", "Маарская СОШ", "Кюндядинская СОШ")  # of the entries above
ON_PAGES = (*TITLES, "НСОШ1", *SCHOOLS[1:])  # pages print a school's short name
OWN = "работа организации, в которой работает член жюри"


def _judging(world, **changes) -> tuple[Judged, dict]:
    """Entries of schools A1, A2 and A3 in the first nomination; the jury of three at work (the
    juror of school A1 is never assigned its entry)."""
    judged = make_contest(world, **changes)
    entries = {
        "a1": submit_entry(world.school_user_a1, judged, judged.first, TITLES[0]),
        "a2": submit_entry(judged.school_user_a2, judged, judged.first, TITLES[1]),
        "a3": staff_entry(world, judged, judged.school_a3, judged.first, TITLES[2]),
    }
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    return judged, entries


def _complete(judged: Judged, user, entry, content: str = "4", design: str = "9") -> None:
    sheet = next(
        a for a in scoring.juror_assignments(user, judged.contest) if a.entry_id == entry.id
    )
    first, second = judged.criteria
    marks = {first.id: scoring.Mark(content), second.id: scoring.Mark(design)}
    scoring.save_scores(user, sheet, marks, "", complete=True)
    db.session.commit()


def _complete_all(judged: Judged, *users) -> None:
    for user in users or judged.users:
        for sheet in scoring.juror_assignments(user, judged.contest):
            if not sheet.is_completed:
                _complete(judged, user, sheet.entry)


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _finalize_all(world, judged: Judged) -> None:
    for nomination in judged.contest.nominations:
        standings.finalize(world.admin_a, judged.contest, nomination)
    db.session.commit()


def _publish(world, judged: Judged) -> None:
    services.move_phase(world.admin_a, judged.contest, Phase.RESULTS)
    services.move_phase(world.admin_a, judged.contest, Phase.PUBLISHED)
    db.session.commit()


def _docx_text(user, judged: Judged) -> str:
    buffer = io.BytesIO()
    write_protocol_docx(documents.protocol(user, judged.contest), buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _workbook(user, judged: Judged) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_protocol_xlsx(documents.protocol(user, judged.contest), buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def _xlsx_text(user, judged: Judged) -> str:
    workbook = _workbook(user, judged)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return "\n".join([*workbook.sheetnames, *cells])


# 4. The chair is a juror too


def test_chair_with_own_sheets_open_sees_the_jury_progress_not_the_scores(world, as_user):
    judged, entries = _judging(world)
    _complete_all(judged, judged.users[2])  # 4 + 2 × 9 = 22 on each entry
    client = as_user(world.jury_a)
    url = f"/contests/{judged.contest.id}/results"
    page = client.get(url).get_data(as_text=True)
    assert "data-entry=" not in page and "22,00" not in page
    assert "Ход оценивания" in page and "Вы оценили работ: 0 из 3" in page
    assert "protocol.docx" not in page and "protocol.xlsx" not in page
    _complete(judged, world.jury_a, entries["a2"])
    assert "data-entry=" not in client.get(url).get_data(as_text=True)
    _complete_all(judged, world.jury_a)
    page = client.get(url).get_data(as_text=True)
    assert "data-entry=" in page and "22,00" in page and "protocol.docx" in page


def test_chair_gets_no_certificates_while_a_sheet_of_their_own_is_open(app, world):
    judged, entries = _judging(world)
    services.move_phase(world.admin_a, judged.contest, Phase.ACCEPTING)
    staff_entry(world, judged, world.school_a2, judged.second, "Книжный марафон")
    services.move_phase(world.admin_a, judged.contest, Phase.JUDGING)
    db.session.commit()
    for user in judged.users:
        for sheet in scoring.juror_assignments(user, judged.contest):
            if sheet.entry.nomination_id == judged.first.id:
                _complete(judged, user, sheet.entry)
    standings.finalize(world.admin_a, judged.contest, judged.first)
    db.session.commit()
    url = f"/contests/{judged.contest.id}/certificates.docx"
    assert _client(app, world.admin_a).get(url).status_code == 200
    assert _client(app, world.jury_a).get(url).status_code == 409
    assert scoring.scores_withheld(world.jury_a, judged.contest)
    assert not scoring.scores_withheld(world.admin_a, judged.contest)


# 5. Blind judging holds in every document until the results are published


def test_blind_protocol_for_the_chair_names_no_title_school_or_juror_organization_until_published(
    world,
):
    judged, entries = _judging(world, blind=True)
    _complete_all(judged)
    _finalize_all(world, judged)
    for text in (_docx_text(world.jury_a, judged), _xlsx_text(world.jury_a, judged)):
        for name in (*TITLES, *SCHOOLS):
            assert name not in text
        # The juror of school A1 sat out its entry; «their own school» beside the juror's name
        # would say which school it is.
        assert "конфликт интересов" in text and OWN not in text
    assert f"№ {entries['a1'].number}" in _docx_text(world.jury_a, judged)
    staff = _docx_text(world.admin_a, judged)
    assert all(name in staff for name in (*TITLES, *SCHOOLS))
    _publish(world, judged)
    for text in (_docx_text(world.jury_a, judged), _xlsx_text(world.jury_a, judged)):
        assert all(name in text for name in (*TITLES, *SCHOOLS))
        assert OWN in text


def test_blind_results_page_names_nobody_to_the_chair_after_finalizing_until_published(
    world, as_user
):
    judged, _entries = _judging(world, blind=True)
    _complete_all(judged)
    _finalize_all(world, judged)
    client = as_user(world.jury_a)
    url = f"/contests/{judged.contest.id}/results"
    page = client.get(url).get_data(as_text=True)
    assert "data-entry=" in page
    assert not [name for name in ON_PAGES if name in page]
    _publish(world, judged)
    page = client.get(url).get_data(as_text=True)
    assert [name for name in ON_PAGES if name not in page] == []


def test_blind_contest_certificates_reach_the_chair_only_after_publication(app, world):
    judged, _entries = _judging(world, blind=True)
    _complete_all(judged)
    _finalize_all(world, judged)
    url = f"/contests/{judged.contest.id}/certificates.docx"
    assert _client(app, world.admin_a).get(url).status_code == 200
    chair = _client(app, world.jury_a)
    assert chair.get(url).status_code == 409
    assert "certificates.docx" not in chair.get(url.replace("certificates.docx", "results")).text
    _publish(world, judged)
    assert chair.get(url).status_code == 200


# 6. Who did not score which entry, and why


def test_protocol_lists_the_juror_who_sat_out_their_own_schools_entry(world):
    judged, entries = _judging(world)
    _complete_all(judged)
    text = _docx_text(world.admin_a, judged)
    assert "Заявлений о конфликте интересов не поступало" not in text
    row = "\n".join([judged.users[1].full_name, f"№ {entries['a1'].number} «{TITLES[0]}», "])
    assert row in text and OWN in text
    sheet = _workbook(world.admin_a, judged)["Конфликты интересов"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[1] == entries["a1"].number]
    juror = judged.users[1].full_name
    assert rows == [(judged.first.title, entries["a1"].number, juror, OWN, None)]


def test_protocol_lists_declared_conflicts_with_their_reason_without_naming_a_blind_school(world):
    judged, entries = _judging(world, blind=True)
    sheet = next(
        a
        for a in scoring.juror_assignments(judged.users[2], judged.contest)
        if a.entry_id == entries["a3"].id
    )
    assignment.declare_conflict(judged.users[2], sheet, "Сестра работает в этой школе")
    db.session.commit()
    _complete_all(judged)
    reason = "заявлен конфликт интересов: Сестра работает в этой школе"
    staff = _docx_text(world.admin_a, judged)
    assert reason in staff and OWN in staff
    chair = _docx_text(world.jury_a, judged)
    assert "Заявлений о конфликте интересов не поступало" not in chair
    # The juror's words or «their own school» would name the school: the chair's copy says less.
    assert f"{judged.users[2].full_name}\n№ {entries['a3'].number}\nконфликт интересов\n" in chair
    assert "Сестра" not in chair and OWN not in chair
    assert not [name for name in (*TITLES, *SCHOOLS) if name in chair]
    workbook = _workbook(world.jury_a, judged)
    rows = list(workbook["Конфликты интересов"].iter_rows(values_only=True))
    assert (judged.first.title, entries["a3"].number, judged.users[2].full_name) in {
        row[:3] for row in rows
    }


# 7. Figures with their precision, the same words everywhere


def test_school_page_shows_the_total_and_means_with_two_places(world, as_user):
    judged, _entries = _judging(world)
    _complete_all(judged)
    _finalize_all(world, judged)
    _publish(world, judged)
    page = as_user(judged.school_user_a2).get("/my/contests").get_data(as_text=True)
    assert re.search(r"<span data-total>22,00</span>\s*из 25,00", page)
    means = re.findall(r'<span data-mean="\d+">([^<]*)</span>', page)
    assert means == ["4,00", "9,00"]


def test_results_page_heads_the_title_column_as_the_workbook_does(world, as_user):
    judged, _entries = _judging(world)
    _complete_all(judged)
    page = as_user(world.admin_a).get(f"/contests/{judged.contest.id}/results").text
    assert '<th scope="col">Звание</th>' in page
    header = next(
        row
        for row in _workbook(world.admin_a, judged)["Итоги"].iter_rows(values_only=True)
        if row[0] == "Номинация"
    )
    assert "Звание" in header


def test_protocol_says_the_sd_is_a_sample_one_and_the_total_comes_from_unrounded_means(world):
    judged, _entries = _judging(world)
    _complete_all(judged)
    for text in (_docx_text(world.admin_a, judged), _xlsx_text(world.admin_a, judged)):
        assert "«Ст. откл.» — выборочное стандартное отклонение" in text
        assert "вычисленная по неокруглённым средним" in text
