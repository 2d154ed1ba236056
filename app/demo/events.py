"""Demo events of the 2023–2024 roadmap: the October meeting and the March seminar, with the
demo librarians registered, attendance marked and a material attached; and a webinar ten days
ahead, open for registration."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.core.timefmt import local_to_utc, local_today
from app.events.models import Event, EventKind, Material, Registration, Speaker
from app.extensions import db
from app.registry.models import LibrarianRecord
from app.roadmap.models import Activity, Roadmap

YAKUTSK = timedelta(hours=9)
# (roadmap activity, kind, title, local start, hours, place, programme)
EVENTS = [
    (9, EventKind.MEETING,
     "Совещание педагогов-библиотекарей «Актуальные направления работы школьных библиотек "
     "на 2023–2024 учебный год»", datetime(2023, 10, 12, 10, 0), 3,
     "г. Нюрба, МКУ «УОНР», актовый зал",
     "10:00 — итоги 2022–2023 учебного года\n10:40 — дорожная карта развития школьных "
     "библиотек на 2023–2024 год\n11:30 — база данных педагогов-библиотекарей\n12:30 — "
     "обсуждение, резолюция"),
    (11, EventKind.SEMINAR, "Семинар-практикум «Школьная библиотека как ИБЦ»",
     datetime(2024, 3, 22, 14, 0), 4, "с. Маар, Маарская СОШ, библиотека",
     "14:00 — зоны информационно-библиотечного центра\n15:00 — мастер-класс: медиазона и "
     "коворкинг\n16:30 — обмен опытом"),
]  # fmt: skip


def load_events(staff: User) -> None:
    """Adds the demo events unless the district already has some."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Event)):
        return
    people = db.session.scalars(
        sa.select(LibrarianRecord).order_by(LibrarianRecord.id).limit(12)
    ).all()
    for number, kind, title, start, hours, place, programme in EVENTS:
        starts_at = (start - YAKUTSK).replace(tzinfo=UTC)
        activity = db.session.scalar(
            sa.select(Activity)
            .join(Activity.roadmap)
            .where(Roadmap.organization_id == staff.organization_id, Activity.number == number)
        )
        event = Event(organization=staff.organization, activity=activity, kind=kind, title=title,
                      starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                      place=place, programme=programme, created_by_id=staff.id)  # fmt: skip
        db.session.add(event)
        chosen = people[:10] if kind == EventKind.MEETING else people[2:9]
        for index, record in enumerate(chosen):
            db.session.add(Registration(event=event, record=record, registered_by_id=staff.id,
                                        attended=index % 4 != 3))  # fmt: skip
    seminar = event
    if people:
        db.session.add(Speaker(event=seminar, record=people[2], topic="Медиазона в сельской школе"))
    db.session.add(Speaker(event=seminar, name="Попова Е. В.", organization_name="ГАУ ДПО РС(Я) "
                           "«ИРОиПК им. С. Н. Донского-II»", topic="Концепция ИБЦ"))  # fmt: skip
    _upcoming_webinar(staff, people[:2])
    db.session.add(Material(event=seminar, title="Презентации и резолюция семинара",
                            url="https://nyurba-uo.ru/seminar-ibc-2024"))  # fmt: skip


def _upcoming_webinar(staff: User, people: list[LibrarianRecord]) -> None:
    starts_at = local_to_utc(datetime.combine(local_today() + timedelta(days=10), time(15)))
    webinar = Event(organization=staff.organization, kind=EventKind.WEBINAR,
                    title="Вебинар «Продвижение чтения: новые форматы»", starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=2), online_url="https://vk.com/call/demo",
                    programme="15:00 — буктрейлеры и читательские марафоны\n16:00 — вопросы",
                    created_by_id=staff.id)  # fmt: skip
    db.session.add(webinar)
    for record in people:
        db.session.add(Registration(event=webinar, record=record, registered_by_id=staff.id))
