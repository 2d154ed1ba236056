"""The demo contest: roadmap item 17, the educational expedition of teacher-librarians, judged
by three jurors: its entries scored, the first nomination finalized, the second waiting for the
chair, so that a new user sees a judged contest and can finish it."""

import random
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import User
from app.contests import entries, jury, scoring, services, standings
from app.contests.models import Contest, Phase
from app.db import utcnow
from app.extensions import db
from app.questionnaires import services as questionnaires
from app.questionnaires.models import Form

TITLE = "Образовательная экспедиция педагогов-библиотекарей «Книжными тропами Нюрбинского улуса»"
RULES = """1. Общие положения
1.1. Настоящее Положение определяет порядок проведения образовательной экспедиции
педагогов-библиотекарей общеобразовательных организаций Нюрбинского района (далее — Экспедиция).
1.2. Организатор — МКУ «Управление образования Нюрбинского района».
2. Цели и задачи: изучение и популяризация краеведческих ресурсов школьных библиотек, обмен
опытом, развитие информационно-библиотечных центров.
3. Участники: педагоги-библиотекари (команды школьных библиотек) общеобразовательных организаций.
4. Номинации: «Лучший маршрут экспедиции», «Лучшая презентация опыта».
5. Конкурсные материалы: описание маршрута, фото- и видеоматериалы, презентация (до 15 слайдов).
6. Критерии оценки конкурсных материалов — приложение 1. Каждый член жюри оценивает материалы
самостоятельно; итоговый балл — среднее арифметическое оценок членов жюри с учётом весов.
7. При равенстве баллов приоритет имеет критерий «Соответствие теме и целям экспедиции».
8. Номинация считается состоявшейся при наличии не менее двух заявок."""

APPLICATION = {
    "title": "Заявка на участие в образовательной экспедиции",
    "description": "Заполняется командой школьной библиотеки.",
    "form_id": "expedition_application",
    "version": "1",
    "sections": [
        {
            "key": "team",
            "title": "Участники",
            "description": "",
            "condition": None,
            "questions": [
                {"key": "leader", "type": "text", "label": "ФИО руководителя команды",
                 "help": "", "required": True, "condition": None},
                {"key": "position", "type": "text", "label": "Должность", "help": "",
                 "required": True, "condition": None},
                {"key": "team_size", "type": "integer", "label": "Число участников команды",
                 "help": "", "required": True, "condition": None, "min": 1, "max": 30},
                {"key": "authors", "type": "textarea", "label": "Авторы работы",
                 "help": "ФИО полностью, по одному в строке: их назовут дипломы",
                 "required": True, "condition": None, "authors": True},
            ],
        },
        {
            "key": "work",
            "title": "Конкурсная работа",
            "description": "",
            "condition": None,
            "questions": [
                {"key": "route", "type": "text", "label": "Маршрут экспедиции", "help": "",
                 "required": True, "condition": None},
                {"key": "summary", "type": "textarea", "label": "Краткое описание",
                 "help": "Цели, ход экспедиции, собранные материалы (до 2000 знаков)",
                 "required": True, "condition": None},
                {"key": "link", "type": "text", "label": "Ссылка на фото- и видеоматериалы",
                 "help": "", "required": False, "condition": None},
                {"key": "presentation", "type": "file", "label": "Презентация (PDF)",
                 "help": "", "required": False, "condition": None},
            ],
        },
    ],
}  # fmt: skip

NOMINATIONS = ("Лучший маршрут экспедиции", "Лучшая презентация опыта")
# (name, what earns the points, max, step, tie-break priority)
CRITERIA = [
    ("Соответствие теме и целям экспедиции", "Маршрут и материалы раскрывают тему «Книжными "
     "тропами»; цели достигнуты", 5, "1", 1),
    ("Краеведческая ценность материалов", "Собраны новые сведения о писателях, книжных "
     "памятниках, истории библиотек наслегов", 10, "1", 2),
    ("Творческий подход и оригинальность", "Необычная форма, вовлечение читателей", 5, "1",
     None),
    ("Качество оформления", "Фото, видео, презентация: грамотность, наглядность, не более "
     "15 слайдов", 5, "0.5", None),
]  # fmt: skip
# (school login, nomination index, title, route)
ENTRIES = [
    ("nyurba-sosh1", 0, "По следам нюрбинских просветителей", "Нюрба — Маар — Кюндядя"),
    ("nyurba-sosh2", 0, "Книжная тропа Маара", "Нюрба — Маар"),
    ("maar", 0, "Библиотеки наслегов: вчера и сегодня", "Маар — Кюндядя — Антоновка"),
    ("kyundyadya", 0, "Земля олонхосутов", "Кюндядя — Хорула"),
    ("malykay", 0, "Читающий Малыкай", "Малыкай — Нюрба"),
    ("markha", 1, "Как мы открыли краеведческий уголок", "Марха"),
    ("tokko", 1, "Экспедиция глазами читателей", "Токко — Чаппанда"),
    ("khatyn", 1, "Фотолетопись экспедиции", "Хатын"),
]
JURORS = ("jury-ivanova", "jury-nikolaev", "jury-sivtseva")
# The authors each entry names, in the order of ENTRIES.
AUTHORS = [
    "Афанасьева Сардаана Петровна\nИльина Мария Егоровна",
    "Васильева Айыына Николаевна",
    "Степанова Кюннэй Ивановна\nПавлов Эрчим Алексеевич\nГригорьева Нюргуяна Семёновна",
    "Михайлова Туяра Васильевна",
    "Прокопьева Саргылана Дмитриевна\nДанилов Айаал Михайлович",
    "Егорова Надежда Иннокентьевна",
    "Петрова Уйгулаана Афанасьевна",
    "Тимофеева Лена Гаврильевна",
]


def load_contest(owner: User) -> Contest:
    existing = db.session.scalar(sa.select(Contest).where(Contest.title == TITLE))
    if existing is not None:
        return existing
    contest = _set_up(owner)
    services.move_phase(owner, contest, Phase.ACCEPTING)
    _enter(contest)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    settings = _settings(contest.form_version_id, now - timedelta(days=5))
    services.update_contest(owner, contest, settings)
    services.move_phase(owner, contest, Phase.JUDGING)
    _judge(contest)
    services.move_phase(owner, contest, Phase.RESULTS)
    chair = next(juror.user for juror in contest.jurors if juror.is_chair)
    reason = "Эксперт не завершил оценку до конца срока; жюри решило утвердить итоги без неё."
    standings.finalize(chair, contest, contest.nominations[0], reason=reason)
    return contest


def _settings(version_id: int, entries_close_at) -> services.ContestSettings:
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    return services.ContestSettings(
        title=TITLE,
        description="Экспедиция по библиотекам наслегов района: маршрут, собранные материалы "
        "и презентация опыта. Мероприятие 17 дорожной карты развития школьных библиотек.",
        rules_text=RULES,
        form_version_id=version_id,
        entries_open_at=now - timedelta(days=40),
        entries_close_at=entries_close_at,
        judging_close_at=now + timedelta(days=5),
        results_at=now + timedelta(days=10),
        blind=True,
        hidden_keys=["leader", "position"],
        laureates=1,
    )


def _set_up(owner: User) -> Contest:
    form = db.session.scalar(sa.select(Form).where(Form.slug == APPLICATION["form_id"]))
    if form is None:
        form = questionnaires.create_form(owner, APPLICATION)
        questionnaires.publish(owner, form)
    settings = _settings(form.published.id, utcnow() + timedelta(hours=1))
    contest = services.create_contest(owner, settings)
    for title in NOMINATIONS:
        services.add_nomination(owner, contest, title)
    for name, description, high, step, priority in CRITERIA:
        services.add_criterion(
            owner,
            contest,
            services.CriterionSettings(
                name, Decimal(high), step=Decimal(step), description=description,
                tie_priority=priority,
            ),
        )  # fmt: skip
    for number, username in enumerate(JURORS):
        user = db.session.scalar(sa.select(User).where(User.username == username))
        jury.add_juror(owner, contest, user, [], is_chair=number == 0)
    return contest


def _enter(contest: Contest) -> None:
    for (login, nomination, title, route), authors in zip(ENTRIES, AUTHORS, strict=True):
        user = db.session.scalar(sa.select(User).where(User.username == login))
        entry = entries.create_entry(user, contest, contest.nominations[nomination].id, title)
        answers = {
            "leader": user.full_name,
            "position": "педагог-библиотекарь",
            "team_size": 3 + len(title) % 5,
            "authors": authors,
            "route": route,
            "summary": f"Команда библиотеки прошла маршрут «{route}» и собрала материалы "
            "о книжной культуре наслегов: воспоминания читателей, фотографии, редкие издания.",
            "link": "https://disk.example.ru/expedition",
        }
        entries.save_draft(user, entry, answers, entry.revision)
        entries.submit(user, entry, entry.revision)


def _judge(contest: Contest) -> None:
    """Every juror scores every entry: a common quality per entry and a juror's own bias."""
    rng = random.Random(17)
    quality = {number: rng.uniform(0.45, 0.95) for number in range(1, len(ENTRIES) + 1)}
    for juror in contest.jurors:
        bias = rng.uniform(-0.08, 0.08)
        for assignment in scoring.juror_assignments(juror.user, contest):
            marks = {}
            for criterion in scoring.criteria_for(assignment):
                noise = rng.gauss(0, 0.07)
                share = min(max(quality[assignment.entry.number] + bias + noise, 0), 1)
                steps = (criterion.max_score - criterion.min_score) / criterion.step
                value = criterion.min_score + criterion.step * round(Decimal(share) * steps)
                marks[criterion.id] = scoring.Mark(str(value))
            good = quality[assignment.entry.number] > 0.7
            comment = "Материалы собраны добросовестно." if good else ""
            scoring.save_scores(juror.user, assignment, marks, comment, complete=True)
