"""A finalized contest and a "practice" monitoring of district A for the сборник's tests."""

import io
from dataclasses import dataclass

from PIL import Image
from werkzeug.datastructures import FileStorage

from app.campaigns import responses
from app.campaigns.models import Campaign, Response, ResponseFile
from app.compendium import services
from app.compendium.models import Compendium
from app.contests.models import ContestFile, Entry
from app.core.uploads import store_upload
from app.extensions import db
from tests.contests.factory import APPLICATION
from tests.contests.test_documents import Example, finalize_all, judged_example
from tests.monitoring import make_campaign, make_form, one_section, question, response_of

MARKED = {
    **APPLICATION,
    "sections": [{
        **APPLICATION["sections"][0],
        "questions": [{**q, "authors": q["key"] == "author"}
                      for q in APPLICATION["sections"][0]["questions"]],
    }],
}  # fmt: skip
PRACTICE_FORM = one_section(
    "practice",
    question("practice_title", "text", "Название практики"),
    question("authors", "textarea", "Авторы практики"),
    question("summary", "textarea", "Краткое описание"),
    question("readers", "integer", "Число читателей"),
    question("started", "date", "Начало"),
    question("photo", "file", "Фотография"),
    title="Инновационная практика",
)


def png(name: str = "фото.png", size=(400, 300)) -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(buffer, filename=name)


def give_entry_picture(entry: Entry, name: str = "маршрут.png") -> ContestFile:
    """An image upload as the entry's "material" answer (the entry is already submitted)."""
    stored = store_upload(png(name), "material")
    record = ContestFile(contest_id=entry.contest_id, entry_id=entry.id,
                         question_key="material", **vars(stored))  # fmt: skip
    db.session.add(record)
    db.session.flush()
    entry.data = {**entry.data, "material": {"id": record.id, "name": record.original_name}}
    db.session.commit()
    return record


def finalized_contest(world) -> Example:
    """test_documents' example, its form's "author" question marked as naming the authors, with
    every nomination finalized: the first nomination's winner
    e1, prize-winners e3 and e2, laureate e5; the second (e4 alone) not held."""
    example = judged_example(world, application=MARKED)
    finalize_all(example)
    return example


@dataclass
class PracticeMonitoring:
    campaign: Campaign
    submitted: Response  # school A2, with a photo
    draft: Response  # school A1, not submitted


def practice_monitoring(world) -> PracticeMonitoring:
    from app.accounts.models import Role
    from tests.factories import make_user

    form = make_form(world.admin_a, PRACTICE_FORM)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2],
                             title="Мониторинг «Инновационные практики»")  # fmt: skip
    school_a2 = make_user(Role.SCHOOL, world.school_a2, "school-a2-practice")
    submitted = response_of(campaign, world.school_a2)
    stored = store_upload(png("читальный зал.png"), "photo")
    photo = ResponseFile(response=submitted, question_key="photo", **vars(stored))
    db.session.add(photo)
    db.session.flush()
    answers = {
        "practice_title": "Библиотечный квест «Тайны „старой“ книги»",
        "authors": "Семёнова Анна Ивановна; Васильев Пётр",
        "summary": "Квест для пятиклассников по фонду редких книг.",
        "readers": 1500,
        "started": "2026-11-25",
        "photo": {"id": photo.id, "name": photo.original_name},
    }
    responses.save_draft(school_a2, submitted, answers, submitted.revision)
    responses.submit(school_a2, submitted, submitted.revision)
    draft = response_of(campaign, world.school_a1)
    responses.save_draft(world.school_user_a1, draft, {"practice_title": "Черновик"}, 0)
    db.session.commit()
    return PracticeMonitoring(campaign, submitted, draft)


def new_compendium(world, title: str = "Сборник практик") -> Compendium:
    compendium = services.create_compendium(
        world.admin_a, services.Settings(title, 2026, "Вступление.")
    )
    db.session.commit()
    return compendium
