"""The report of the roadmap's execution (отчёт о выполнении дорожной карты) for the ministry:
as a справка in the district's template, and as a spreadsheet."""

from datetime import date

from app.core.text import quoted
from app.core.timefmt import date_filter
from app.core.word import Writer
from app.reports.exports.letterhead import write_document
from app.reports.exports.wording import percent_of, percent_text, plural
from app.reports.exports.xlsx import DAY, Book
from app.roadmap.models import Activity, Evidence, EvidenceKind, Roadmap, Status
from app.roadmap.services import progress

HEADER = ["№", "Мероприятие", "Сроки", "Вид документа", "Выполнение", "Результат, подтверждение"]


def title(roadmap: Roadmap) -> str:
    return f"Отчёт о выполнении дорожной карты: {roadmap.title}"


def execution(activity: Activity, today: date) -> str:
    if activity.status == Status.DONE:
        return f"выполнено {date_filter(activity.done_on)}" if activity.done_on else "выполнено"
    if activity.overdue(today):
        return "не выполнено в срок"
    return "выполняется" if activity.status == Status.IN_PROGRESS else "запланировано"


def evidence_text(evidence: Evidence) -> str:
    if evidence.kind == EvidenceKind.CAMPAIGN and evidence.campaign:
        named = f"мониторинг «{evidence.campaign.title}»"
    elif evidence.kind == EvidenceKind.CONTEST and evidence.contest:
        named = f"конкурс «{evidence.contest.title}»"
    elif evidence.kind == EvidenceKind.COMPENDIUM:
        found = evidence.compendium
        named = f"сборник {quoted(found.title)} ({found.year})" if found else "сборник удалён"
    elif evidence.kind == EvidenceKind.URL:
        named = evidence.url
    else:
        named = evidence.original_name
    return f"{named} ({evidence.note})" if evidence.note else named


def result_text(activity: Activity) -> str:
    parts = [activity.result_note] + [evidence_text(e) for e in activity.evidence]
    return "; ".join(part for part in parts if part) or "—"


def _row(activity: Activity, today: date) -> list:
    return [activity.number, activity.title, activity.period, activity.document_type or "—",
            execution(activity, today), result_text(activity)]  # fmt: skip


def write_docx(roadmap: Roadmap, today: date, target, *, executor: str, template=None) -> None:
    write_document(
        roadmap.organization,
        title(roadmap),
        executor,
        target,
        lambda writer: _body(writer, roadmap, today),
        template,
    )


def _activities(n: int) -> str:
    return f"{n} {plural(n, 'мероприятие', 'мероприятия', 'мероприятий')}"


def _body(writer: Writer, roadmap: Roadmap, today: date) -> None:
    overall, sections = progress(roadmap, today)
    writer.heading("Общие сведения")
    in_progress = sum(item.status == Status.IN_PROGRESS for item in roadmap.items)
    writer.text(
        f"Дорожная карта на {roadmap.year_label} учебный год включает "
        f"{_activities(overall.total)}. На {date_filter(today)} выполнено "
        f"{overall.done} ({percent_text(percent_of(overall.done, overall.total))}), "
        f"выполняется {in_progress}, не выполнено в срок {overall.overdue}."
    )
    overdue = [item for item in roadmap.items if item.overdue(today)]
    if overdue:
        numbers = ", ".join(str(item.number) for item in overdue)
        writer.text(f"Не выполнены в срок мероприятия № {numbers}.")
    for section in roadmap.sections:
        if not section.items:
            continue
        writer.heading(section.title, 2)
        rows = [_row(item, today) for item in section.items]
        writer.table(section.title, HEADER, rows, left=len(HEADER))
    loose = [item for item in roadmap.items if item.section is None]
    if loose:
        writer.heading("Другие мероприятия", 2)
        rows = [_row(item, today) for item in loose]
        writer.table("Другие мероприятия", HEADER, rows, left=len(HEADER))


WIDTHS = (6, 60, 22, 30, 22, 60)


def write_xlsx(roadmap: Roadmap, today: date, target) -> None:
    book = Book(target)
    sheet = book.sheet("Выполнение")
    bold = book.format(bold=True, text_wrap=True, valign="top")
    wrap = book.format(text_wrap=True, valign="top")
    day = book.format(num_format=DAY, valign="top")
    headers = ["Раздел", *HEADER, "Срок окончания"]
    for column, (header, width) in enumerate(zip(headers, (30, *WIDTHS, 14), strict=True)):
        sheet.write(0, column, header, bold)
        sheet.set_column(column, column, width)
    for row, item in enumerate(roadmap.items, 1):
        values = [item.section.title if item.section else "", *_row(item, today)]
        for column, value in enumerate(values):
            sheet.write(row, column, value, wrap)
        sheet.write_datetime(row, len(values), item.ends_on, day)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(roadmap.items), 1), len(headers) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    book.close()
