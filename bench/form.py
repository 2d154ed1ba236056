"""The bench questionnaire: 150 questions of every type, and plausible answers to it.

The form is built from a fixed seed, so every database generated with the same seed holds the
same questions; answers come from a ``random.Random`` the caller seeds. Integer and decimal
questions carry the generator's hints ``typical`` and ``places``; storing the form drops them
(only spec.py settings are kept).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from app.questionnaires.conditions import holds
from app.questionnaires.validation import format_decimal

SECTIONS = (
    "Общие сведения",
    "Контингент",
    "Кадры",
    "Материально-техническая база",
    "Библиотека",
    "Цифровая среда",
    "Воспитательная работа",
    "Питание и здоровье",
    "Безопасность",
    "Финансы и итоги года",
)
# Besides the ten yes/no questions that open the sections (conditions refer to them).
KINDS = {
    "integer": 46, "decimal": 14, "scale": 8, "single": 20, "yesno": 6, "multiple": 10,
    "date": 8, "text": 12, "textarea": 4, "email": 2, "phone": 2, "file": 2, "matrix": 2,
    "table": 2, "note": 2,
}  # fmt: skip
WIDE = 2.75  # the wide form's questions of every kind ÷ the usual form's
INTEGER_RANGES = (
    ("Число учащихся, чел.", 15, 1400),
    ("Число педагогических работников, чел.", 3, 110),
    ("Число классов-комплектов", 1, 48),
    ("Число компьютеров, шт.", 0, 120),
    ("Число учебных кабинетов", 2, 70),
    ("Число выпускников 9 классов, чел.", 0, 160),
    ("Число выпускников 11 классов, чел.", 0, 120),
    ("Число призёров олимпиад, чел.", 0, 40),
    ("Фонд библиотеки, экз.", 500, 40000),
    ("Число посещений библиотеки за год", 100, 20000),
    ("Число кружков и секций", 0, 35),
    ("Число детей с ОВЗ, чел.", 0, 60),
)
DECIMAL_RANGES = (
    ("Площадь здания, м²", 120, 12000, 1),
    ("Площадь библиотеки, м²", 12, 300, 1),
    ("Ставки педагогов-библиотекарей", 0, 3, 2),
    ("Скорость интернета, Мбит/с", 0.5, 200, 1),
    ("Средний балл ЕГЭ по русскому языку", 35, 95, 2),
    ("Расходы на питание, тыс. руб.", 50, 25000, 2),
    ("Износ здания, %", 0, 95, 1),
)
SCALES = ((1, 5), (1, 10), (0, 4))
OPTION_SETS = (
    ("Городская", "Сельская", "Кочевая", "Малокомплектная"),
    ("Типовое", "Приспособленное", "Арендуемое", "Модульное", "Деревянное"),
    ("Полностью", "Частично", "Не обеспечено"),
    ("Спутниковый", "Оптоволокно", "Мобильный 4G", "ADSL", "Радиорелейный", "Нет"),
    ("Русский", "Якутский", "Эвенкийский", "Эвенский", "Юкагирский", "Долганский"),
    ("Очная", "Очно-заочная", "Дистанционная", "Семейная"),
)
MATRIX_ROWS = ("Кабинет физики", "Кабинет химии", "Спортзал", "Столовая", "Библиотека")
MATRIX_CHOICES = ("Отлично", "Хорошо", "Удовлетворительно", "Неудовлетворительно")
NAMES = (
    "Иванова Сардаана Петровна", "Николаев Айсен Иванович", "Петрова Туйара Семёновна",
    "Васильева Мария Егоровна", "Егорова Нюргуяна Николаевна", "Семёнов Айтал Михайлович",
    "Захарова Алгыстаана Романовна", "Попов Дьулустан Васильевич", "Григорьева Айыына Львовна",
)  # fmt: skip
POSITIONS = ("Учитель", "Педагог-библиотекарь", "Заместитель директора", "Педагог-психолог")
CLUBS = ("Шахматы", "Хомус", "Робототехника", "Национальная борьба", "Хор", "Юный эколог")
PHRASES = (
    "Здание требует капитального ремонта кровли.",
    "В текущем году обновлён фонд учебников.",
    "Не хватает учителей математики и физики.",
    "Подвоз учащихся организован школьным автобусом.",
    "Интернет работает с перебоями в зимний период.",
    "Проведены курсы повышения квалификации для педагогов.",
    "Спортзал используется также для внеурочной деятельности.",
)
FILES = ("приказ.pdf", "паспорт_библиотеки.docx", "отчёт_2024.xlsx", "акт_проверки.pdf")


def bench_definition(seed: int = 150, wide: bool = False, scale: float = 1) -> dict:
    """Ten sections; each opens with a yes/no question that some later questions depend on.
    A ``wide`` form has WIDE times as many questions of every kind: 506 columns in the
    raw export's main sheet instead of 196; ``scale`` 0.4 makes the load test's 60 questions."""
    rng = random.Random(seed)
    scale = WIDE if wide else scale
    kinds = [kind for kind, count in KINDS.items() for _ in range(round(count * scale))]
    rng.shuffle(kinds)
    sections = []
    per_section = len(kinds) // len(SECTIONS)
    for number, title in enumerate(SECTIONS, start=1):
        gate = {
            "key": f"s{number}_gate", "type": "yesno", "required": True,
            "label": f"{title}: сведения имеются?",
        }  # fmt: skip
        chunk = kinds[(number - 1) * per_section : number * per_section]
        questions = [gate] + [
            _question(kind, f"s{number}_q{index}", rng) for index, kind in enumerate(chunk, 1)
        ]
        for question in questions[2::6]:
            if question["type"] != "note":
                question["condition"] = {"key": gate["key"], "op": "eq", "value": "yes"}
                question["required"] = False
        sections.append({"key": f"s{number}", "title": title, "questions": questions})
    tables = [q for s in sections for q in s["questions"] if q["type"] == "table"]
    for index, table in enumerate(tables):
        table.update(label=("Педагогические работники", "Кружки")[index % 2],
                     columns=_columns(first=index % 2 == 0))  # fmt: skip
    sections[8]["condition"] = {"key": "s1_gate", "op": "eq", "value": "yes"}
    return {"title": "Мониторинг общеобразовательных организаций (бенчмарк)",
            "form_id": "bench_monitoring", "sections": sections}  # fmt: skip


def _options(labels) -> list[dict]:
    return [{"code": f"o{index}", "label": label} for index, label in enumerate(labels, 1)]


def _question(kind: str, key: str, rng: random.Random) -> dict:
    question = {"key": key, "type": kind, "required": rng.random() < 0.6, "label": key}
    if kind == "integer":
        label, low, high = rng.choice(INTEGER_RANGES)
        question.update(label=label, min=0, typical=(low, high))
    elif kind == "decimal":
        label, low, high, places = rng.choice(DECIMAL_RANGES)
        question.update(label=label, min=0, typical=(low, high), places=places)
    elif kind == "scale":
        low, high = rng.choice(SCALES)
        question.update(label=f"Оценка по шкале {low}–{high}", min=low, max=high)
    elif kind in ("single", "multiple"):
        question.update(label="Выберите вариант", choices=_options(rng.choice(OPTION_SETS)))
    elif kind == "yesno":
        question["label"] = "Есть ли в организации данное условие?"
    elif kind == "date":
        question.update(label="Дата последней проверки", min="2015-01-01", max="2026-12-31")
    elif kind == "matrix":
        question.update(
            label="Состояние помещений", required=False, rows=_options(MATRIX_ROWS),
            choices=_options(MATRIX_CHOICES),
        )  # fmt: skip
    elif kind == "table":
        question.update(label="Таблица", required=False, min=1, max=10)
    elif kind == "note":
        question.update(label="Пояснение к разделу", required=False)
    elif kind == "file":  # most schools attach nothing (the usual form has none required)
        question.update(label="Скан документа", required=False)
    else:
        question["label"] = {"text": "ФИО ответственного", "textarea": "Комментарий",
                             "email": "Электронная почта", "phone": "Телефон"}[kind]  # fmt: skip
    return question


def _columns(first: bool) -> list[dict]:
    """Staff (four columns) in the first table, clubs (three) in the second."""
    if first:
        return [
            {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
            {"key": "position", "type": "single", "label": "Должность",
             "choices": _options(POSITIONS)},
            {"key": "experience", "type": "integer", "label": "Стаж, лет", "min": 0,
             "max": 50},
            {"key": "rate", "type": "decimal", "label": "Ставка", "min": 0, "max": 2},
        ]  # fmt: skip
    return [
        {"key": "club", "type": "text", "label": "Кружок", "required": True},
        {"key": "members", "type": "integer", "label": "Участников", "min": 0},
        {"key": "started", "type": "date", "label": "Начало работы"},
    ]


# Answers


def _integer(question: dict, rng: random.Random) -> int:
    low, high = question.get("typical") or (0, 100)
    return int(low + (high - low) * rng.random() ** 2)  # many small schools, a few large


def _decimal(question: dict, rng: random.Random) -> str:
    low, high = question.get("typical") or (0, 100)
    value = Decimal(str(round(low + (high - low) * rng.random() ** 1.5, question["places"])))
    return format_decimal(value)


def _date(rng: random.Random, start=date(2015, 1, 1), days=4000) -> str:
    return (start + timedelta(days=rng.randrange(days))).isoformat()


def _text(question: dict, rng: random.Random, school: int):
    kind = question["type"]
    if kind == "text":
        return rng.choice(NAMES)
    if kind == "textarea":
        return " ".join(rng.sample(PHRASES, rng.randint(1, 3)))
    if kind == "email":
        return f"school{school}@edu.sakha.ru"
    code, first, second = rng.randint(30, 69), rng.randint(10, 99), rng.randint(10, 99)
    return f"+7 (411{code}) {rng.randint(2, 4)}-{first}-{second}"


def _table_row(question: dict, rng: random.Random) -> dict:
    if question["columns"][0]["key"] == "full_name":
        return {
            "full_name": rng.choice(NAMES),
            "position": f"o{rng.randint(1, len(POSITIONS))}",
            "experience": rng.randint(0, 45),
            "rate": format_decimal(Decimal(rng.choice(("0.25", "0.5", "0.75", "1", "1.5")))),
        }
    return {"club": rng.choice(CLUBS), "members": rng.randint(3, 40), "started": _date(rng)}


def _value(question: dict, rng: random.Random, school: int):
    kind = question["type"]
    if kind == "integer":
        return _integer(question, rng)
    if kind == "decimal":
        return _decimal(question, rng)
    if kind == "scale":
        return rng.randint(question["min"], question["max"])
    if kind == "yesno":
        return "yes" if rng.random() < 0.8 else "no"
    codes = [option["code"] for option in question.get("choices") or []]
    if kind == "single":
        return rng.choice(codes)
    if kind == "multiple":
        chosen = set(rng.sample(codes, rng.randint(1, min(4, len(codes)))))
        return [code for code in codes if code in chosen]
    if kind == "date":
        return _date(rng)
    if kind == "matrix":
        return {row["code"]: rng.choice(codes) for row in question["rows"]}
    if kind == "table":
        return [_table_row(question, rng) for _ in range(rng.randint(1, 5))]
    if kind == "file":
        attached = rng.random() < 0.4  # most schools attach nothing
        return {"id": rng.randint(1, 10**6), "name": rng.choice(FILES)} if attached else None
    if kind == "note":
        return None
    return _text(question, rng, school)


def fake_answers(definition: dict, rng: random.Random, school: int) -> dict:
    """Answers to the visible questions, in form order so that conditions see earlier ones;
    an optional question is left unanswered now and then."""
    answers = {}
    for section in definition["sections"]:
        if not holds(section.get("condition"), answers):
            continue
        for question in section["questions"]:
            if not holds(question.get("condition"), answers):
                continue
            if not question.get("required") and rng.random() < 0.05:
                if question["type"] == "multiple":  # none ticked, as the app keeps it
                    answers[question["key"]] = []
                continue
            value = _value(question, rng, school)
            if value is not None:
                answers[question["key"]] = value
    return answers
