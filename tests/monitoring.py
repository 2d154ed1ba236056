"""A small monitoring for tests: a published form sent to two schools of district A."""

from dataclasses import dataclass
from datetime import timedelta

from app.campaigns import responses
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign, Response, ResponseFile
from app.core.uploads import upload_folder
from app.db import utcnow
from app.extensions import db
from app.notices.models import Notice
from app.questionnaires import services as questionnaires
from app.questionnaires.models import Form
from app.reports import indicators, jobs
from app.reports.aggregates import ReportFilter
from app.reports.exports.runner import filter_fields
from app.reports.models import Indicator

DEFINITION = {
    "title": "Оснащение библиотеки",
    "description": "",
    "form_id": "equipment",
    "version": "1",
    "sections": [
        {
            "key": "main",
            "title": "Интернет",
            "description": "",
            "condition": None,
            "questions": [
                {
                    "key": "has_internet",
                    "type": "yesno",
                    "label": "Есть ли Интернет?",
                    "help": "",
                    "required": True,
                    "condition": None,
                },
                {
                    "key": "internet_speed",
                    "type": "decimal",
                    "label": "Скорость, Мбит/с",
                    "help": "",
                    "required": True,
                    "min": 0,
                    "max": 1000,
                    "condition": {"key": "has_internet", "op": "eq", "value": "yes"},
                },
                {
                    "key": "zones",
                    "type": "multiple",
                    "label": "Зоны",
                    "help": "",
                    "required": False,
                    "condition": None,
                    "choices": [
                        {"code": "reading", "label": "Читальный зал"},
                        {"code": "media", "label": "Медиатека"},
                    ],
                },
            ],
        },
        {
            "key": "staff_section",
            "title": "Кадры",
            "description": "",
            "condition": None,
            "questions": [
                {
                    "key": "staff",
                    "type": "table",
                    "label": "Сотрудники",
                    "help": "",
                    "required": False,
                    "condition": None,
                    "min": 1,
                    "max": 10,
                    "columns": [
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                        {"key": "rate", "type": "decimal", "label": "Ставка", "required": False},
                    ],
                },
                {
                    "key": "scan",
                    "type": "file",
                    "label": "Скан",
                    "help": "",
                    "required": False,
                    "condition": None,
                },
            ],
        },
    ],
}


@dataclass
class Monitoring:
    form: Form
    campaign: Campaign
    draft: Response
    submitted: Response
    file: ResponseFile
    notice: Notice
    indicator: Indicator
    job: str


def question(key: str, kind: str, label: str, **more) -> dict:
    """A question of a form definition, not required and always shown unless ``more`` says."""
    return {"key": key, "type": kind, "label": label, "help": "", "required": False,
            "condition": None, **more}  # fmt: skip


def one_section(form_id: str, *questions: dict, title: str = "Фонд") -> dict:
    """A form definition of one section holding ``questions``."""
    section = {"key": "main", "title": title, "description": "", "condition": None}
    return {
        "title": title,
        "description": "",
        "form_id": form_id,
        "version": "1",
        "sections": [{**section, "questions": list(questions)}],
    }


def make_form(admin, definition=None) -> Form:
    form = questionnaires.create_form(admin, definition or DEFINITION)
    questionnaires.publish(admin, form)
    db.session.commit()
    return form


def make_campaign(admin, form, organizations, **times) -> Campaign:
    now = utcnow()
    campaign = campaigns.create_campaign(
        admin,
        form.published,
        title=times.pop("title", "Мониторинг оснащения"),
        instructions="",
        opens_at=times.get("opens_at", now - timedelta(hours=1)),
        closes_at=times.get("closes_at", now + timedelta(days=7)),
        organization_ids=[organization.id for organization in organizations],
    )
    db.session.commit()
    return campaign


def response_of(campaign, organization) -> Response:
    return next(r for r in campaign.responses if r.organization_id == organization.id)


def make_monitoring(world) -> Monitoring:
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    draft = response_of(campaign, world.school_a1)
    responses.save_draft(world.school_user_a1, draft, {"has_internet": "no"}, 0)
    submitted = response_of(campaign, world.school_a2)
    school_a2_user = world.school_user_a1.__class__(
        username="school-a2", full_name="Школа А2", role="school", organization=world.school_a2
    )
    db.session.add(school_a2_user)
    db.session.flush()
    responses.save_draft(school_a2_user, submitted, {"has_internet": "no"}, 0)
    responses.submit(school_a2_user, submitted, submitted.revision)
    stored = upload_folder() / "test-scan.pdf"
    stored.write_bytes(b"%PDF-1.4 test")
    file = ResponseFile(
        response=draft,
        question_key="scan",
        stored_name="test-scan.pdf",
        original_name="Скан.pdf",
        content_type="application/pdf",
        size=13,
    )
    notice = Notice(organization_id=world.school_a1.id, text="Напоминание")
    db.session.add_all([file, notice])
    indicator = indicators.add_indicator(
        world.admin_a, form, key="speed_x2", title="Двойная скорость", formula="internet_speed * 2"
    )
    db.session.commit()
    job = jobs.start_export(world.admin_a.id, campaign.id, "xlsx", filter_fields(ReportFilter()))
    return Monitoring(form, campaign, draft, submitted, file, notice, indicator, job)
