"""Demo questionnaires (the roadmap's templates) and monitorings with answers."""

import random
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from app.accounts.models import User
from app.campaigns import responses as filling
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign, Response
from app.db import utcnow
from app.demo.answers import fake_answers
from app.extensions import db
from app.questionnaires import services as questionnaires
from app.questionnaires.files import read_definition_file
from app.questionnaires.models import Form
from app.reports import indicators

FORMS = Path(__file__).parent / "forms"
TEMPLATES = ("ibc_readiness", "staffing", "local_regulations", "book_provision")

# Of the district's schools, in order: submitted, accepted, returned, draft; the rest not started.
IBC_PLAN = {"submitted": 9, "accepted": 4, "returned": 1, "draft": 2}
# The Russian and Sakha form of book provision, computed as the schools fill it.
BOOKS_PLAN = {"submitted": 5, "accepted": 2, "draft": 3}


def load_forms(owner: User) -> dict[str, Form]:
    """The roadmap's questionnaires, imported and published once."""
    loaded = {}
    for name in TEMPLATES:
        definition = read_definition_file(FORMS / f"{name}.xlsx")
        form = db.session.scalar(sa.select(Form).where(Form.slug == definition["form_id"]))
        if form is None:
            form = questionnaires.create_form(owner, definition)
            questionnaires.publish(owner, form)
            indicators.add_standard_indicators(owner, form)
        loaded[name] = form
    return loaded


def _campaign(owner: User, form: Form, title: str, opened_days_ago: int, closes_in_days: int):
    existing = db.session.scalar(sa.select(Campaign).where(Campaign.title == title))
    if existing is not None:
        return existing, False
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    schools = [school.id for school in db.session.scalars(campaigns.target_organizations(owner))]
    campaign = campaigns.create_campaign(
        owner,
        form.published,
        title=title,
        instructions="Заполните анкету по состоянию на 1 число текущего месяца. "
        "Вопросы — методисту по библиотечному делу МКУ «УОНР».",
        opens_at=now - timedelta(days=opened_days_ago),
        closes_at=now + timedelta(days=closes_in_days),
        organization_ids=schools,
    )
    return campaign, True


def _school_user(response: Response) -> User:
    return db.session.scalar(
        sa.select(User).where(User.organization_id == response.organization_id)
    )


def _answer(response: Response, owner: User, outcome: str, rng: random.Random) -> None:
    school = _school_user(response)
    definition = filling.definition_of(response)
    filling.save_draft(school, response, fake_answers(definition, rng), response.revision)
    if outcome == "draft":
        return
    filling.submit(school, response, response.revision)
    if outcome == "accepted":
        filling.accept(owner, response)
    elif outcome == "returned":
        filling.return_for_revision(
            owner,
            response,
            "Уточните площадь библиотеки и число мест в читальном зале: "
            "они не сходятся с паспортом библиотеки.",
            {"area": "Площадь не сходится с паспортом библиотеки."},
        )


def load_campaigns(owner: User) -> None:
    forms = load_forms(owner)
    ibc, created = _campaign(
        owner, forms["ibc_readiness"], "Готовность библиотек к созданию ИБЦ — 2024", 10, 12
    )
    if created:
        _answer_all(ibc, owner, IBC_PLAN, random.Random(2024))
    _campaign(owner, forms["staffing"], "Кадровое обеспечение школьных библиотек — 2024", 3, 20)
    books, created = _campaign(
        owner, forms["book_provision"], "Книгообеспеченность учебниками — 2024", 5, 16
    )
    if created:
        _answer_all(books, owner, BOOKS_PLAN, random.Random(2025))


def _answer_all(campaign: Campaign, owner: User, plan: dict[str, int], rng: random.Random):
    """Answers the schools' responses in name order with the outcomes of ``plan``."""
    outcomes = [outcome for outcome, count in plan.items() for _ in range(count)]
    ordered = sorted(campaign.responses, key=lambda r: r.organization.sort_key)
    for response, outcome in zip(ordered, outcomes, strict=False):
        _answer(response, owner, outcome, rng)
