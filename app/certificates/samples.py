"""Sample pages of each kind, for a district to see its settings and templates at work."""

from app.certificates.documents import DIPLOMA, LETTER, Page
from app.certificates.pages import participation_certificate, thank_you_letter
from app.core.text import quoted
from app.core.timefmt import local_today

SCHOOL = "МБОУ «Средняя общеобразовательная школа №1»"


def sample_pages(kind: str) -> list[Page]:
    today = local_today()
    if kind == DIPLOMA:
        body = ["за работу «Читающая семья»", "Победитель (I место)", "в номинации «Лучший проект»",
                f"конкурса {quoted('Библиотека 5.0')}"]  # fmt: skip
        return [
            Page(DIPLOMA, ["Иванова Анна Петровна", "Петров Олег Семёнович"], SCHOOL, body,
                 "I степени", "награждаются", today),
        ]  # fmt: skip
    if kind == LETTER:
        reason = ["за работу в составе жюри", f"конкурса {quoted('Библиотека 5.0')}"]
        return [thank_you_letter("Иванова Анна Петровна", SCHOOL, reason, today)]
    return [
        participation_certificate("Иванова Анна Петровна", SCHOOL, "Школьная библиотека", today)
    ]
