"""Files attached as answers (stored by app.core.uploads)."""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.campaigns.access import can_see_response
from app.campaigns.models import Response, ResponseFile
from app.campaigns.responses import check_can_change, definition_of
from app.core.errors import DomainError, NotFound
from app.core.uploads import store_upload, upload_folder
from app.extensions import db
from app.questionnaires.conditions import all_questions


def attach(user: User, response: Response, question_key: str, upload) -> ResponseFile:
    """Stores an uploaded file for a file question of the response and returns its record."""
    check_can_change(user, response)
    questions = {q["key"]: q for q in all_questions(definition_of(response))}
    if questions.get(question_key, {}).get("type") != "file":
        raise DomainError(_l("This question does not take files."), field=question_key)
    stored = store_upload(upload, question_key)
    record = ResponseFile(
        response=response,
        question_key=question_key,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        uploaded_by_id=user.id,
    )
    db.session.add(record)
    db.session.flush()
    return record


def get_visible_file(user: User, file_id: int) -> tuple[ResponseFile, Path]:
    record = db.session.get(ResponseFile, file_id)
    if record is None or not can_see_response(user, record.response):
        raise NotFound(_l("File not found."))
    return record, upload_folder() / record.stored_name
