"""Compiling a сборник through its pages: creating it, the empty state, adding the winners of a
contest or chosen responses, what a practice prints, moving and removing; bad input is refused
beside its field with a 4xx and nothing is saved."""

from decimal import Decimal

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.campaigns import responses
from app.compendium.models import Compendium, CompendiumSection, Practice
from app.contests import entries as entry_services
from app.contests import services as contests
from app.contests.models import Phase
from app.extensions import db
from tests.compendium.practices import finalized_contest, new_compendium, practice_monitoring
from tests.contests.factory import settings
from tests.monitoring import make_campaign, make_form, response_of


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _practices(compendium) -> list[Practice]:
    db.session.expire_all()
    return db.session.get(Compendium, compendium.id).items


def test_staff_create_a_collection_titled_after_the_district(world, as_user):
    world.district_a.name = "МКУ «Управление образования Нюрбинского района»"
    db.session.commit()
    client = as_user(world.admin_a)
    page = client.get("/compendia/new").get_data(as_text=True)
    assert "Сборник инновационных практик педагогов-библиотекарей Нюрбинского района" in page
    empty = client.post("/compendia/new", data={"title": "  ", "year": "2026"})
    assert empty.status_code == 400
    assert 'id="title-error"' in empty.get_data(as_text=True)
    assert _count(Compendium) == 0
    created = client.post("/compendia/new", data={"title": "Сборник", "year": "2026"})
    assert created.status_code == 302
    editor = client.get(created.location).get_data(as_text=True)
    assert 'id="empty-compendium"' in editor
    assert "Добавить из конкурса" in editor


def test_adding_the_winners_puts_them_in_a_new_section_named_after_the_contest(world, as_user):
    example = finalized_contest(world)
    compendium = new_compendium(world)
    client = as_user(world.admin_a)
    contest = example.judged.contest
    page = client.get(f"/compendia/{compendium.id}/add/contest?contest_id={contest.id}")
    assert page.status_code == 200 and "Книжный марафон" in page.get_data(as_text=True)
    found = client.get(f"/compendia/{compendium.id}/add/contest?contest_id={contest.id}&q=маар")
    listed = found.get_data(as_text=True).split('id="entries-form"')[1]
    assert "Книжный марафон" in listed and "Библиотека будущего" not in listed
    data = {"contest_id": contest.id, "section_id": "0", "new_section": contest.title}
    added = client.post(f"/compendia/{compendium.id}/add/winners", data=data)
    assert added.status_code == 302
    again = client.post(f"/compendia/{compendium.id}/add/winners", data=data)
    assert again.status_code == 302  # the same entries are not added twice
    items = _practices(compendium)
    assert [p.entry_id for p in items] == [example.entries[k].id for k in ("e1", "e3", "e2")]
    sections = db.session.scalars(sa.select(CompendiumSection.title)).all()
    assert sections == [contest.title, contest.title]  # the second came empty from the repeat
    logged = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "compendium")
    ).all()
    assert logged.count("add_practices") == 2 and "add_section" in logged


def test_entries_of_another_district_or_unfinished_results_are_refused(world, as_user):
    example = finalized_contest(world)
    compendium = new_compendium(world)
    client = as_user(world.admin_a)
    form = make_form(world.admin_b, {**_application(), "form_id": "application_b"})
    other = contests.create_contest(
        world.admin_b, settings(form.published.id, title="Чужой", hidden_keys=[])
    )
    nomination = contests.add_nomination(world.admin_b, other, "Номинация")
    contests.add_criterion(world.admin_b, other, contests.CriterionSettings("Суть", Decimal(5)))
    contests.move_phase(world.admin_b, other, Phase.ACCEPTING)
    foreign = entry_services.create_entry(world.admin_b, other, nomination.id, "Чужая работа",
                                          world.school_b1.id)  # fmt: skip
    db.session.commit()
    base = f"/compendia/{compendium.id}"
    own = {"contest_id": example.judged.contest.id, "section_id": "0", "new_section": "Раздел"}
    mixed = client.post(f"{base}/add/entries", data={**own, "entry_ids": [foreign.id]})
    assert mixed.status_code == 400
    assert "Выберите работы этого конкурса из списка." in mixed.get_data(as_text=True)
    elsewhere = {**own, "contest_id": other.id, "entry_ids": [foreign.id]}
    outside = client.post(f"{base}/add/entries", data=elsewhere)
    assert outside.status_code == 400
    assert "Выберите конкурс своего района из списка." in outside.get_data(as_text=True)
    winners = client.post(f"{base}/add/winners", data={**own, "contest_id": other.id})
    assert winners.status_code == 400
    no_section = client.post(f"{base}/add/entries", data={**own, "new_section": "",
                             "entry_ids": [example.entries["e1"].id]})  # fmt: skip
    assert no_section.status_code == 400
    assert 'id="new_section-error"' in no_section.get_data(as_text=True)
    assert client.get(f"{base}/add/contest?contest_id={other.id}").status_code == 404
    assert (_count(Practice), _count(CompendiumSection)) == (0, 0)


def test_unfinished_results_have_no_winners_to_add(world, as_user):
    example = finalized_contest(world)
    for nomination in example.judged.contest.nominations:
        nomination.finalized_at = None
    db.session.commit()
    compendium = new_compendium(world)
    data = {"contest_id": example.judged.contest.id, "section_id": "0", "new_section": "Итоги"}
    refused = as_user(world.admin_a).post(f"/compendia/{compendium.id}/add/winners", data=data)
    assert refused.status_code == 409
    assert "окончательных итогов" in refused.get_data(as_text=True)
    assert (_count(Practice), _count(CompendiumSection)) == (0, 0)


def test_only_submitted_responses_of_the_district_are_added(world, as_user):
    monitoring = practice_monitoring(world)
    form = make_form(world.admin_b, {**_application(), "form_id": "practice_b"})
    campaign_b = make_campaign(world.admin_b, form, [world.school_b1], title="Сунтар")
    foreign = response_of(campaign_b, world.school_b1)
    responses.save_draft(world.school_user_b1, foreign, {"summary": "Чужое"}, 0)
    responses.submit(world.school_user_b1, foreign, foreign.revision)
    db.session.commit()
    compendium = new_compendium(world)
    client = as_user(world.admin_a)
    base = f"/compendia/{compendium.id}"
    listing = client.get(f"{base}/add/monitoring?campaign_id={monitoring.campaign.id}")
    text = listing.get_data(as_text=True)
    assert f'id="response-{monitoring.submitted.id}"' in text
    assert f'id="response-{monitoring.draft.id}"' not in text
    data = {"campaign_id": monitoring.campaign.id, "section_id": "0", "new_section": "Практики"}
    for wrong in (foreign.id, monitoring.draft.id):
        refused = client.post(f"{base}/add/responses", data={**data, "response_ids": [wrong]})
        assert refused.status_code == 400
        assert 'id="response_ids-error"' in refused.get_data(as_text=True)
    elsewhere = {**data, "campaign_id": campaign_b.id, "response_ids": [foreign.id]}
    outside = client.post(f"{base}/add/responses", data=elsewhere)
    assert outside.status_code == 400
    assert _count(Practice) == 0
    added = client.post(f"{base}/add/responses",
                        data={**data, "response_ids": [monitoring.submitted.id]})  # fmt: skip
    assert added.status_code == 302
    (practice,) = _practices(compendium)
    assert practice.response_id == monitoring.submitted.id
    # Until staff choose: the title, the annotation and the authors from the labels that say so
    assert (practice.title_key, practice.annotation_key, practice.authors_key) == (
        "practice_title", "summary", "authors")  # fmt: skip
    assert practice.answer_keys == ["readers", "started"]


def test_printed_answers_are_chosen_by_label_and_unknown_keys_refused(world, as_user):
    monitoring = practice_monitoring(world)
    compendium = new_compendium(world)
    client = as_user(world.admin_a)
    data = {"campaign_id": monitoring.campaign.id, "section_id": "0", "new_section": "Практики",
            "response_ids": [monitoring.submitted.id]}  # fmt: skip
    client.post(f"/compendia/{compendium.id}/add/responses", data=data)
    (practice,) = _practices(compendium)
    url = f"/compendia/{compendium.id}/practices/{practice.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Число читателей" in page and 'value="readers"' in page
    bad = client.post(url, data={"title_key": "nope", "answer_keys": ["readers"]})
    assert bad.status_code == 400 and 'id="title_key-error"' in bad.get_data(as_text=True)
    untitled = client.post(url, data={"title": "", "title_key": "", "answer_keys": ["readers"]})
    assert untitled.status_code == 400 and 'id="title-error"' in untitled.get_data(as_text=True)
    saved = client.post(url, data={"title_key": "practice_title", "answer_keys": ["started"],
                                   "authors": "Иванова А. А."})  # fmt: skip
    assert saved.status_code == 302
    (practice,) = _practices(compendium)
    assert (practice.title_key, practice.answer_keys, practice.with_pictures) == (
        "practice_title", ["started"], False)  # fmt: skip


def test_move_between_sections_and_remove(world, as_user):
    example = finalized_contest(world)
    compendium = new_compendium(world)
    client = as_user(world.admin_a)
    base = f"/compendia/{compendium.id}"
    client.post(f"{base}/sections", data={"title": "Первый"})
    client.post(f"{base}/sections", data={"title": "Второй"})
    first, second = db.session.scalars(sa.select(CompendiumSection).order_by(CompendiumSection.id))
    data = {"contest_id": example.judged.contest.id, "section_id": first.id}
    client.post(f"{base}/add/winners", data=data)
    e1, e3, e2 = _practices(compendium)
    assert client.post(f"{base}/practices/{e2.id}/down").status_code == 302  # into «Второй»
    assert client.post(f"{base}/practices/{e1.id}/section", data={"section_id": second.id})
    assert [p.id for p in _practices(compendium)] == [e3.id, e2.id, e1.id]
    assert client.post(f"{base}/sections/{second.id}/up").status_code == 302
    assert [p.id for p in _practices(compendium)] == [e2.id, e1.id, e3.id]
    assert client.post(f"{base}/practices/{e2.id}/up").status_code == 409  # already first
    client.post(f"{base}/practices/{e1.id}/delete")
    assert [p.id for p in _practices(compendium)] == [e2.id, e3.id]
    assert _count(Practice) == 2
    editor = client.get(base).get_data(as_text=True)
    assert "Удалить эту практику из сборника?" in editor


def _application() -> dict:
    from tests.compendium.practices import PRACTICE_FORM

    return PRACTICE_FORM
