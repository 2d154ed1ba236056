"""The map of professional difficulties: the district keeps the topics, a person marks theirs,
the district and viewers read the counts, never the names."""

import sqlalchemy as sa

from app.extensions import db
from app.registry.models import DifficultyTopic, LibrarianRecord
from tests.registry.factory import make_record
from tests.registry.test_register import PERSON


def _topic(district, title, position=1, **fields) -> DifficultyTopic:
    topic = DifficultyTopic(organization=district, title=title, position=position, **fields)
    db.session.add(topic)
    db.session.commit()
    return topic


def test_staff_add_and_hide_topics_and_a_duplicate_is_refused(world, as_user):
    client = as_user(world.admin_a)
    assert (
        client.post("/registry/difficulties", data={"title": "Продвижение чтения"}).status_code
        == 302
    )
    again = client.post("/registry/difficulties", data={"title": "продвижение  чтения"})
    assert again.status_code == 400
    assert 'id="title-error"' in again.get_data(as_text=True)
    (topic,) = db.session.scalars(sa.select(DifficultyTopic)).all()
    assert (topic.organization_id, topic.title) == (world.district_a.id, "Продвижение чтения")
    response = client.post(
        f"/registry/difficulties/{topic.id}", data={"title": "Продвижение чтения"}
    )
    assert response.status_code == 302
    db.session.refresh(topic)
    assert not topic.is_active


def test_a_school_marks_the_topics_of_its_district(world, as_user):
    reading = _topic(world.district_a, "Продвижение чтения")
    _topic(world.district_a, "Проектная деятельность", 2)
    hidden = _topic(world.district_a, "Устаревшая тема", 3, is_active=False)
    elsewhere = _topic(world.district_b, "Чужая тема")
    client = as_user(world.school_user_a1)
    form = client.get("/registry/new").get_data(as_text=True)
    assert "Продвижение чтения" in form and "Проектная деятельность" in form
    assert hidden.title not in form and elsewhere.title not in form
    data = {**PERSON, "organization_id": world.school_a1.id, "consent_on": "02.09.2026",
            "consent_note": "в личном деле", "difficulties": [str(reading.id)],
            "difficulties_note": "Работа с НЭБ"}  # fmt: skip
    assert client.post("/registry/new", data=data).status_code == 302
    record = db.session.scalars(sa.select(LibrarianRecord)).one()
    assert ([t.title for t in record.difficulties], record.difficulties_note) == (
        ["Продвижение чтения"],
        "Работа с НЭБ",
    )
    refused = client.post(
        f"/registry/{record.id}/edit", data={**data, "difficulties": [str(elsewhere.id)]}
    )
    assert refused.status_code == 400
    db.session.refresh(record)
    assert [t.title for t in record.difficulties] == ["Продвижение чтения"]


def test_the_map_counts_people_per_topic_and_per_school(world, as_user):
    reading = _topic(world.district_a, "Продвижение чтения")
    projects = _topic(world.district_a, "Проектная деятельность", 2)
    first = make_record(world.school_a1, last_name="Первая")
    second = make_record(world.school_a1, last_name="Вторая")
    third = make_record(world.school_a2, last_name="Третья")
    left = make_record(world.school_a2, last_name="Уволенная", is_active=False)
    outside = make_record(world.school_b1, last_name="Чужая")
    for record, topics in ((first, [reading, projects]), (second, [reading]), (third, [reading]),
                           (left, [projects]), (outside, [projects])):  # fmt: skip
        record.difficulties = topics
    db.session.commit()
    for who in (world.admin_a, world.viewer_a):
        client = as_user(who)
        page = client.get("/registry/difficulties").get_data(as_text=True)
        totals = page.split('id="difficulty-totals"')[1].split("</table>")[0]
        assert (
            '<td class="text-end">3</td>' in totals.split("Продвижение чтения")[1].split("</tr>")[0]
        )
        assert (
            '<td class="text-end">1</td>'
            in totals.split("Проектная деятельность")[1].split("</tr>")[0]
        )
        assert "Первая" not in page and "Чужая" not in page  # counts, never names
        client.post("/logout")


def test_schools_and_jurors_do_not_open_the_map(world, as_user):
    for who in (world.school_user_a1, world.jury_a):
        client = as_user(who)
        assert client.get("/registry/difficulties").status_code == 403
        client.post("/logout")


def test_a_viewer_cannot_add_topics(world, as_user):
    response = as_user(world.viewer_a).post("/registry/difficulties", data={"title": "Тема"})
    assert response.status_code == 403
    assert db.session.scalars(sa.select(DifficultyTopic)).all() == []
