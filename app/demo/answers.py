"""Plausible answers of a village or town school library, for the demo monitorings."""

import random
from datetime import date, timedelta

from app.questionnaires.conditions import holds

# Typical ranges of a school library in the Nyurba district (see shared/DOMAIN.md).
TYPICAL = {
    "area": (40, 120),
    "reading_seats": (6, 30),
    "computers_readers": (0, 10),
    "computers_librarian": (1, 2),
    "internet_speed": (2, 50),
    "computers_online": (0, 8),
    "fund_total": (6000, 20000),
    "fund_main": (3000, 12000),
    "fund_textbooks": (2500, 8000),
    "pupils": (60, 700),
    "acquisitions": (100, 900),
    "readers_total": (80, 600),
    "readers_pupils": (70, 540),
    "readers_teachers": (8, 45),
    "visits": (1500, 9000),
    "loans": (2500, 16000),
    "staff_count": (1, 2),
    "staff_rates": (0.5, 1.5),
    "experience": (1, 30),
    "rate": (0.25, 1.0),
    "last_course_year": (2016, 2025),
}
NAMES = [
    "Иванова Сардаана Петровна",
    "Николаева Айталина Ивановна",
    "Петрова Туйара Семёновна",
    "Васильева Мария Егоровна",
    "Егорова Нюргуяна Николаевна",
    "Семёнова Анна Михайловна",
]


def _number(question: dict, rng: random.Random, decimal: bool):
    low, high = TYPICAL.get(question["key"], (question.get("min") or 0, question.get("max") or 100))
    low = max(float(low), float(question.get("min") or low))
    high = min(float(high), float(question.get("max") or high))
    if decimal:
        return f"{rng.uniform(low, high):.1f}"
    return rng.randint(int(low), int(high))


def _value(question: dict, rng: random.Random):
    kind = question["type"]
    if kind == "integer":
        return _number(question, rng, decimal=False)
    if kind == "decimal":
        return _number(question, rng, decimal=True)
    if kind == "scale":
        return rng.randint(int(question.get("min") or 1), int(question.get("max") or 5))
    if kind == "yesno":
        return rng.choice(["yes", "yes", "no"])
    if kind == "single":
        return rng.choice(question["choices"])["code"]
    if kind == "multiple":
        codes = [choice["code"] for choice in question["choices"] if choice["code"] != "other"]
        count = rng.randint(1, min(len(codes), int(question.get("max") or len(codes))))
        chosen = set(rng.sample(codes, count))
        return [code for code in codes if code in chosen]
    if kind == "date":
        low = date.fromisoformat(question.get("min") or "2020-01-01")
        high = min(date.fromisoformat(question.get("max") or "2026-12-31"), date(2026, 6, 30))
        return (low + timedelta(days=rng.randint(0, (high - low).days))).isoformat()
    if kind == "matrix":
        return {row["code"]: rng.choice(question["choices"])["code"] for row in question["rows"]}
    if kind == "table":
        count = rng.randint(max(1, int(question.get("min") or 1)), 2)
        return [
            {column["key"]: _value(column, rng) for column in question["columns"]}
            for _ in range(count)
        ]
    if kind == "text":
        return (
            rng.choice(NAMES)
            if "name" in question["key"] or "respondent" in question["key"]
            else "—"
        )
    if kind == "phone":
        return f"+7 (41134) 2-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
    if kind == "email":
        return "library@example.ru"
    return None


def fake_answers(definition: dict, rng: random.Random) -> dict:
    """Answers to every visible question, in form order so that conditions see earlier ones."""
    answers = {}
    for section in definition["sections"]:
        if not holds(section.get("condition"), answers):
            continue
        for question in section["questions"]:
            if question["type"] in ("note", "file", "textarea"):
                continue
            if holds(question.get("condition"), answers):
                value = _value(question, rng)
                if value is not None:
                    answers[question["key"]] = value
    return answers
