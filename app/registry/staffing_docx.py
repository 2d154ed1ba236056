"""The staffing справка (кадровое обеспечение школьных библиотек): the figures of staffing.py
in the words, tables and charts of the monitoring справка, in the district's template."""

from app.core.word import Writer
from app.organizations.models import Organization
from app.registry.staffing import Staffing
from app.reports.exports import charts
from app.reports.exports.letterhead import write_document
from app.reports.exports.wording import percent_text, plural
from app.reports.rounding import figure_text

TITLE = "Аналитическая справка о кадровом обеспечении школьных библиотек"
PEOPLE_AXIS = "Число сотрудников"


def write_staffing(
    organization: Organization,
    figures: Staffing,
    target,
    *,
    executor: str,
    template: bytes | None = None,
) -> None:
    write_document(
        organization, TITLE, executor, target, lambda writer: _body(writer, figures), template
    )


def _people(n: int) -> str:
    return f"{n} {plural(n, 'сотрудник', 'сотрудника', 'сотрудников')}"


def _body(writer: Writer, figures: Staffing) -> None:
    writer.heading("Общие сведения")
    writer.text(
        f"По данным базы педагогов-библиотекарей в библиотеках {figures.schools_staffed} из "
        f"{figures.schools} школ работают {_people(figures.people)} на "
        f"{figure_text(figures.rate, 2)} ставки."
    )
    if not figures.people:
        writer.text("Школы ещё не внесли сведения о сотрудниках библиотек.")
    else:
        writer.text(
            f"Библиотечное образование имеют {_people(figures.library_education)} "
            f"({percent_text(figures.share(figures.library_education))}), педагогическое — "
            f"{_people(figures.pedagogical_education)} "
            f"({percent_text(figures.share(figures.pedagogical_education))}). Курсы повышения "
            f"квалификации за последние три года не проходили {_people(figures.due)} "
            f"({percent_text(figures.share(figures.due))}): их нужно направить на курсы."
        )
        for breakdown in figures.breakdowns:
            _breakdown(writer, breakdown)
    if figures.vacancies:
        writer.heading("Вакансии")
        writer.text(
            f"О вакансиях сообщили {len(figures.vacancies)} "
            f"{plural(len(figures.vacancies), 'школа', 'школы', 'школ')}: всего "
            f"{figure_text(figures.vacant_rate, 2)} ставки."
        )
        rows = [[school, figure_text(rate, 2), note] for school, rate, note in figures.vacancies]
        writer.table("Вакансии", ["Школа", "Ставок", "Должности"], rows)
    if figures.unstaffed:
        writer.heading("Школы, не внёсшие сведения о сотрудниках библиотек")
        writer.numbered(figures.unstaffed)


def _breakdown(writer: Writer, breakdown) -> None:
    writer.heading(breakdown.title, 2)
    rows = [[label, count, percent_text(percent)] for label, count, percent in breakdown.rows]
    writer.table(breakdown.title, ["Показатель", "Сотрудников", "%"], rows)
    label, count, percent = max(breakdown.rows, key=lambda row: row[1])
    most = f"{label.lower()}, {_people(count)} ({percent_text(percent)})"
    writer.text(f"{breakdown.title}: чаще всего — {most}.")
    writer.picture(charts.choice_bars(breakdown.rows, PEOPLE_AXIS), breakdown.title)
