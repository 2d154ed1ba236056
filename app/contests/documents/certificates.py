"""Дипломы for the winners, prize-winners and laureates of the finalized nominations: one page
each, centred, the organizer at the top, a large «ДИПЛОМ», the degree, «награждается» and the
participant, the work, the nomination and the contest, the date of the results and the chair's
signature line. The text is plain, so that the office can put it on its own letterhead."""

from docx.shared import Cm, Pt

from app.contests.documents import ROMAN, TITLE_WORDS, Award
from app.contests.models import Contest
from app.core.timefmt import date_filter
from app.core.word import clean, new_document, paragraph

SIGNATURE = "____________"


def degree(award: Award) -> str:
    """«I степени» for the winner, «II/III степени» for the prize-winners, «лауреата»."""
    if award.result.title == "laureate":
        return "лауреата"
    return f"{ROMAN[award.result.place]} степени"


def standing_words(award: Award) -> str:
    """«Победитель (I место)», «Призёр (III место)», «Лауреат»."""
    title = TITLE_WORDS[award.result.title]
    if award.result.title == "laureate":
        return title
    return f"{title} ({ROMAN[award.result.place]} место)"


def write_certificates(contest: Contest, awards: list[Award], target) -> None:
    """Writes one page per award to ``target`` (a path or a binary file object)."""
    document = new_document()
    document.core_properties.title = clean(f"Дипломы: {contest.title}")
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    for index, award in enumerate(awards):
        if index:
            document.add_page_break()
        _page(document, contest, award)
    document.save(target)


def _page(document, contest: Contest, award: Award) -> None:
    paragraph(document, contest.organization.name, size=14, center=True)
    _space(document, 48)
    paragraph(document, "ДИПЛОМ", bold=True, size=40, center=True)
    paragraph(document, degree(award), bold=True, size=24, center=True)
    _space(document, 36)
    paragraph(document, "награждается", size=16, center=True).runs[0].italic = True
    _space(document, 12)
    paragraph(document, award.entry.organization.name, bold=True, size=20, center=True)
    paragraph(document, f"за работу «{award.entry.title}»", size=16, center=True)
    _space(document, 12)
    paragraph(document, standing_words(award), bold=True, size=16, center=True)
    paragraph(document, f"в номинации «{award.nomination.title}»", size=16, center=True)
    paragraph(document, f"конкурса «{contest.title}»", size=16, center=True)
    _space(document, 72)
    chair = contest.chair.user.full_name if contest.chair else SIGNATURE
    paragraph(document, f"Председатель жюри {SIGNATURE} / {chair}", size=14)
    _space(document, 12)
    when = date_filter(award.nomination.finalized_at)
    locality = contest.organization.locality
    paragraph(document, f"{locality}, {when}" if locality else when, size=14)


def _space(document, points: int) -> None:
    paragraph(document).paragraph_format.space_after = Pt(points)
