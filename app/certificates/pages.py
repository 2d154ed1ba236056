"""The pages other domains hand out, built the same way: a certificate of participation (in a
seminar, a course, an event) and a thank-you letter (to a juror, a speaker). Write a list of
them with ``services.write_document(organization, pages, target)``."""

from datetime import date

from app.certificates.documents import CERTIFICATE, LETTER, Page, Signatory
from app.core.text import quoted

AWARDED = "награждается"


def signature_name(full_name: str) -> str:
    """«Иванова Сардаана Петровна» → «С. П. Иванова», as a name is printed by a signature."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    return " ".join([*(f"{part[0]}." for part in parts[1:3]), parts[0]])


def participation_certificate(
    name: str, school: str, event: str, held_on: date | None, *, taking_part_in: str = "семинаре"
) -> Page:
    """«СЕРТИФИКАТ участника … принял(а) участие в семинаре „…“», dated ``held_on``."""
    return Page(
        CERTIFICATE,
        [name],
        school,
        [f"принял(а) участие в {taking_part_in}", quoted(event)],
        subheading="участника",
        lead="подтверждает, что",
        when=held_on,
    )


def thank_you_letter(
    name: str, school: str, reason: list[str], when: date | None, signatory: Signatory | None = None
) -> Page:
    """«БЛАГОДАРСТВЕННОЕ ПИСЬМО … награждается …» and the lines of ``reason``, e.g.
    ["за работу в составе жюри", "конкурса «…»"]; signed by the issuer's head unless
    ``signatory`` is given."""
    return Page(LETTER, [name], school, reason, lead=AWARDED, when=when, signatory=signatory)
