"""Records of the register made directly, for tests that start from a filled register."""

from datetime import date
from decimal import Decimal
from itertools import count

from app.core.uploads import upload_folder
from app.extensions import db
from app.registry.models import Category, Course, Education, Employment, LibrarianRecord, Position

_numbers = count(1)


def make_record(school, *, courses=(), consent_file: bool = False, **fields) -> LibrarianRecord:
    """An active record with consent on file; ``courses`` are (starts_on, ends_on) pairs."""
    number = next(_numbers)
    record = LibrarianRecord(
        organization=school,
        last_name=fields.pop("last_name", f"Иванова{number}"),
        first_name=fields.pop("first_name", "Мария"),
        patronymic=fields.pop("patronymic", "Петровна"),
        position=fields.pop("position", Position.TEACHER_LIBRARIAN),
        rate=fields.pop("rate", Decimal(1)),
        employment=fields.pop("employment", Employment.MAIN),
        education=fields.pop("education", Education.HIGHER),
        category=fields.pop("category", Category.FIRST),
        consent_on=fields.pop("consent_on", date(2026, 9, 1)),
        consent_note=fields.pop("consent_note", "в личном деле"),
        **fields,
    )
    if consent_file:
        stored = f"consent{number:04d}aaaaaaaaaaaaaaaaaaaaaaaaaa.pdf"
        (upload_folder() / stored).write_bytes(b"%PDF-1.4\n%consent\n")
        record.consent_stored_name, record.consent_original_name = stored, "Согласие.pdf"
    db.session.add(record)
    for starts_on, ends_on in courses:
        db.session.add(
            Course(
                record=record,
                topic="Информационно-библиотечный центр",
                hours=72,
                starts_on=starts_on,
                ends_on=ends_on,
            )  # fmt: skip
        )
    db.session.commit()
    return record
