"""What an event hands out afterwards: a certificate of participation to each person marked
present, and a thank-you letter to each speaker — pages of the district's certificates
(app.certificates), with its emblem, signature and templates."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import Role, User
from app.certificates import services as certificates
from app.certificates.documents import Page
from app.certificates.pages import participation_certificate, thank_you_letter
from app.core.errors import Conflict, Forbidden
from app.core.text import quoted
from app.core.timefmt import utc_to_local
from app.events import services
from app.events.models import Event, EventKind

# «принял(а) участие в …», «за выступление на …»
AT_EVENT = {
    EventKind.MEETING: "совещании",
    EventKind.SEMINAR: "семинаре-практикуме",
    EventKind.WEBINAR: "вебинаре",
    EventKind.ASSOCIATION: "заседании методического объединения",
}


def certificate_pages(user: User, event: Event) -> list[Page]:
    """A certificate for each person marked present whom the user may name: all of them for
    district staff, the school's own people for a school."""
    if not (services.can_edit(user, event) or user.role == Role.SCHOOL):
        raise Forbidden(_l("Certificates are handed out by district staff and schools."))
    held_on = utc_to_local(event.starts_at).date()
    present = services.attended(event)
    if user.role == Role.SCHOOL:
        present = [r for r in present if r.record.organization_id == user.organization_id]
    if not present:
        raise Conflict(_l("Nobody is marked present at this event yet."))
    return [
        participation_certificate(
            registration.record.full_name,
            registration.record.organization.display_name,
            event.title,
            held_on,
            taking_part_in=AT_EVENT[event.kind],
        )
        for registration in present
    ]


def speaker_pages(user: User, event: Event) -> list[Page]:
    """A thank-you letter to each speaker, with the topic of the talk when it is known."""
    if not services.can_edit(user, event):
        raise Forbidden(_l("Only district staff keep events."))
    if not event.speakers:
        raise Conflict(_l("The event has no speakers to thank yet."))
    held_on = utc_to_local(event.starts_at).date()
    pages = []
    for speaker in services.speakers(event):
        reason = [f"за выступление на {AT_EVENT[event.kind]}", quoted(event.title)]
        if speaker.topic:
            reason.append(f"с темой {quoted(speaker.topic)}")
        pages.append(
            thank_you_letter(speaker.display_name, speaker.display_organization, reason, held_on)
        )
    return pages


def write_pages(event: Event, pages: list[Page], target) -> None:
    certificates.write_document(event.organization, pages, target)
