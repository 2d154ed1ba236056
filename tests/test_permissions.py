"""Every route × every role → the expected status. A new route without a row fails here."""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.campaigns.models import Answer
from app.compendium import services as compendia
from app.extensions import db
from app.questionnaires.definition import version_definition
from app.registry.models import DifficultyTopic
from app.roadmap import services as roadmap_services
from app.roadmap.models import EvidenceKind
from tests.conftest import login
from tests.contests.factory import judging_contest
from tests.events.factory import make_event
from tests.events.factory import register as register_for_event
from tests.monitoring import make_monitoring
from tests.registry.factory import make_record

ROLES = ("anonymous", "admin", "school", "jury", "viewer")
IGNORED = {"static", "bootstrap.static"}

# endpoint: (method, url builder, {role: status}); "login" means a redirect to the login page.
STAFF_ONLY = {"anonymous": "login", "admin": 200, "school": 403, "jury": 403, "viewer": 403}
STAFF_ACTION = {"anonymous": "login", "admin": 302, "school": 403, "jury": 403, "viewer": 403}
STAFF_AND_VIEWER = {"anonymous": "login", "admin": 200, "school": 403, "jury": 403, "viewer": 200}
ANY_USER = {"anonymous": "login", "admin": 200, "school": 200, "jury": 200, "viewer": 200}
OWN_JOB = {"anonymous": "login", "admin": 200, "school": 403, "jury": 403, "viewer": 404}
SCHOOL_ONLY = {"anonymous": "login", "admin": 403, "school": 200, "jury": 403, "viewer": 403}
SCHOOL_ACTION = {"anonymous": "login", "admin": 403, "school": 302, "jury": 403, "viewer": 403}
JURY_ONLY = {"anonymous": "login", "admin": 403, "school": 403, "jury": 200, "viewer": 403}
CHAIR = {"anonymous": "login", "admin": 200, "school": 404, "jury": 200, "viewer": 200}
PERSONAL = {"anonymous": "login", "admin": 200, "school": 200, "jury": 403, "viewer": 403}
ENTRY_ACTION = {"anonymous": "login", "admin": 302, "school": 302, "jury": 403, "viewer": 403}


def _confirmable(w) -> tuple[str, dict]:
    """Confirming a stored answer of the submitted response (as an import might have left it)."""
    db.session.add(Answer(response_id=w.m.submitted.id, question_key="internet_speed",
                          value_number=Decimal(5000)))  # fmt: skip
    db.session.commit()
    data = {"response_id": w.m.submitted.id, "key": "internet_speed"}
    return f"/reports/campaigns/{w.m.campaign.id}/checks", data


def _course(w) -> str:
    record = make_record(w.school_a1, courses=[(date(2026, 3, 1), date(2026, 3, 20))])
    return f"/registry/{record.id}/courses/{record.courses[0].id}/delete"


def _topic(w) -> DifficultyTopic:
    topic = DifficultyTopic(organization=w.district_a, title="Продвижение чтения")
    db.session.add(topic)
    db.session.commit()
    return topic


def _roadmap(w):
    roadmap = roadmap_services.create_roadmap(w.admin_a, "Дорожная карта", 2023)
    fields = {"number": 1, "title": "Совещание", "period": "октябрь", "responsible": "",
              "document_type": "", "expected_results": ""}  # fmt: skip
    activity = roadmap_services.add_item(w.admin_a, roadmap, fields, "Раздел")
    link = {"url": "https://example.ru/", "note": "новость"}
    evidence = roadmap_services.add_evidence(w.admin_a, roadmap, activity, EvidenceKind.URL, link)
    db.session.commit()
    return SimpleNamespace(id=roadmap.id, activity=activity.id, evidence=evidence.id,
                           base=f"/roadmap/{roadmap.id}/items/{activity.id}")  # fmt: skip


def _event(w, attended: bool = False) -> SimpleNamespace:
    """An event of district A with a school A1 person registered (``attended`` or not), a
    speaker and a link."""
    from app.events.models import Material, Speaker

    event = make_event(w.district_a)
    registration = register_for_event(event, make_record(w.school_a1), attended=attended)
    speaker, material = Speaker(event=event, name="Гостья"), Material(event=event, title="Слайды")
    db.session.add_all([speaker, material])
    db.session.commit()
    return SimpleNamespace(id=event.id, registration=registration.id, speaker=speaker.id,
                           material=material.id, base=f"/events/{event.id}")  # fmt: skip


READERS = {"anonymous": "login", "admin": 200, "school": 200, "jury": 403, "viewer": 200}
EVENT = {"kind": "meeting", "title": "Совещание", "starts_at": "01.12.2030 10:00",
         "ends_at": "01.12.2030 12:00", "place": "Нюрба", "activity_id": "0"}  # fmt: skip


def _compendium(w):
    """A сборник of district A with two sections, the first holding the submitted response."""
    compendium = compendia.create_compendium(w.admin_a, compendia.Settings("Сборник", 2026))
    section = compendia.add_section(w.admin_a, compendium, "Практики")
    compendia.add_section(w.admin_a, compendium, "Ещё")
    (practice,) = compendia.add_responses(w.admin_a, compendium, section, [w.m.submitted])
    db.session.commit()
    base = f"/compendia/{compendium.id}"
    return SimpleNamespace(base=base, section=f"{base}/sections/{section.id}",
                           section_id=section.id, practice=f"{base}/practices/{practice.id}",
                           campaign=w.m.campaign.id)  # fmt: skip


def _add_responses(w):
    c = _compendium(w)
    data = {"campaign_id": c.campaign, "section_id": c.section_id,
            "response_ids": [w.m.submitted.id]}  # fmt: skip
    return f"{c.base}/add/responses", data


COMPENDIUM_TARGET = {"section_id": "0", "new_section": "Итоги"}
COURSE = {"topic": "Медиаграмотность", "hours": "36", "starts_on": "01.10.2026",
          "ends_on": "10.10.2026"}  # fmt: skip


def _layout(form) -> str:
    """The form's order as the builder's drag and drop sends it."""
    sections = version_definition(form.latest)["sections"]
    return json.dumps(
        [{"key": s["key"], "questions": [q["key"] for q in s["questions"]]} for s in sections]
    )


MATRIX = {
    "home.index": ("GET", lambda w: "/", ANY_USER),
    "accounts.login": (
        "GET",
        lambda w: "/login",
        {"anonymous": 200, "admin": 302, "school": 302, "jury": 302, "viewer": 302},
    ),
    "accounts.logout": (
        "POST",
        lambda w: "/logout",
        {"anonymous": "login", "admin": 302, "school": 302, "jury": 302, "viewer": 302},
    ),
    "accounts.logout_everywhere": (
        "POST",
        lambda w: "/logout-everywhere",
        {"anonymous": "login", "admin": 302, "school": 302, "jury": 302, "viewer": 302},
    ),
    "accounts.set_password": (
        "GET",
        lambda w: "/set-password/not-a-token",
        {"anonymous": 200, "admin": 200, "school": 200, "jury": 200, "viewer": 200},
    ),
    "accounts.profile": ("GET", lambda w: "/profile", ANY_USER),
    "accounts.users": ("GET", lambda w: "/users/", STAFF_ONLY),
    "accounts.new_user": ("GET", lambda w: "/users/new", STAFF_ONLY),
    "accounts.user_detail": ("GET", lambda w: f"/users/{w.school_user_a1.id}", STAFF_ONLY),
    "accounts.edit_user": ("GET", lambda w: f"/users/{w.school_user_a1.id}/edit", STAFF_ONLY),
    "accounts.deactivate_user": (
        "POST",
        lambda w: f"/users/{w.school_user_a1.id}/deactivate",
        STAFF_ACTION,
    ),
    "accounts.activate_user": (
        "POST",
        lambda w: f"/users/{w.school_user_a1.id}/activate",
        STAFF_ACTION,
    ),
    "accounts.reset_password": (
        "POST",
        lambda w: f"/users/{w.school_user_a1.id}/reset-password",
        STAFF_ACTION,
    ),
    "accounts.import_users": ("GET", lambda w: "/users/import", STAFF_ONLY),
    "accounts.import_users_template": ("GET", lambda w: "/users/import/template.xlsx", STAFF_ONLY),
    "audit.index": ("GET", lambda w: "/audit/", STAFF_ONLY),
    "organizations.index": ("GET", lambda w: "/organizations/", STAFF_AND_VIEWER),
    "organizations.detail": ("GET", lambda w: f"/organizations/{w.school_a1.id}", STAFF_AND_VIEWER),
    "organizations.new": ("GET", lambda w: "/organizations/new", STAFF_ONLY),
    "organizations.edit": ("GET", lambda w: f"/organizations/{w.school_a1.id}/edit", STAFF_ONLY),
    "organizations.deactivate": (
        "POST",
        lambda w: f"/organizations/{w.school_a2.id}/deactivate",
        STAFF_ACTION,
    ),
    "organizations.activate": (
        "POST",
        lambda w: f"/organizations/{w.school_a2.id}/activate",
        STAFF_ACTION,
    ),
    "organizations.import_organizations": ("GET", lambda w: "/organizations/import", STAFF_ONLY),
    "organizations.import_template": (
        "GET",
        lambda w: "/organizations/import/template.xlsx",
        STAFF_ONLY,
    ),
    "questionnaires.index": ("GET", lambda w: "/forms/", STAFF_ONLY),
    "questionnaires.new": ("GET", lambda w: "/forms/new", STAFF_ONLY),
    "questionnaires.import_form": ("GET", lambda w: "/forms/import", STAFF_ONLY),
    "questionnaires.detail": ("GET", lambda w: f"/forms/{w.m.form.id}", STAFF_ONLY),
    "questionnaires.preview": ("GET", lambda w: f"/forms/{w.m.form.id}/preview", STAFF_ONLY),
    "questionnaires.settings": ("GET", lambda w: f"/forms/{w.m.form.id}/settings", STAFF_ONLY),
    "questionnaires.section": ("GET", lambda w: f"/forms/{w.m.form.id}/sections/new", STAFF_ONLY),
    "questionnaires.question": (
        "GET",
        lambda w: f"/forms/{w.m.form.id}/questions/has_internet",
        STAFF_ONLY,
    ),
    "questionnaires.formula_check": (
        "GET",
        lambda w: f"/forms/{w.m.form.id}/formula-check?text=1",
        STAFF_ONLY,
    ),
    "questionnaires.edit": (
        "POST",
        lambda w: f"/forms/{w.m.form.id}/edit/up/has_internet",
        STAFF_ACTION,
    ),
    "questionnaires.order": (
        "POST",
        lambda w: (f"/forms/{w.m.form.id}/order", {"layout": _layout(w.m.form)}),
        STAFF_ACTION,
    ),
    "questionnaires.undo_deletion": (
        "POST",
        lambda w: (f"/forms/{w.m.form.id}/undo", {"token": "not-a-token"}),
        {"anonymous": "login", "admin": 400, "school": 403, "jury": 403, "viewer": 403},
    ),
    "questionnaires.publish": ("POST", lambda w: f"/forms/{w.m.form.id}/publish", STAFF_ACTION),
    "questionnaires.copy": ("POST", lambda w: f"/forms/{w.m.form.id}/copy", STAFF_ACTION),
    "questionnaires.archive": ("POST", lambda w: f"/forms/{w.m.form.id}/archive", STAFF_ACTION),
    "questionnaires.export": ("GET", lambda w: f"/forms/{w.m.form.id}/export.json", STAFF_ONLY),
    "campaigns.index": ("GET", lambda w: "/campaigns/", STAFF_AND_VIEWER),
    "campaigns.new": ("GET", lambda w: "/campaigns/new", STAFF_ONLY),
    "campaigns.dashboard": ("GET", lambda w: f"/campaigns/{w.m.campaign.id}", STAFF_AND_VIEWER),
    "campaigns.export_not_submitted": (
        "GET",
        lambda w: f"/campaigns/{w.m.campaign.id}/not-submitted.xlsx",
        STAFF_AND_VIEWER,
    ),
    "campaigns.remind": ("POST", lambda w: f"/campaigns/{w.m.campaign.id}/remind", STAFF_ACTION),
    "campaigns.edit": ("GET", lambda w: f"/campaigns/{w.m.campaign.id}/edit", STAFF_ONLY),
    "campaigns.close": ("POST", lambda w: f"/campaigns/{w.m.campaign.id}/close", STAFF_ACTION),
    "campaigns.cancel": ("POST", lambda w: f"/campaigns/{w.m.campaign.id}/cancel", STAFF_ACTION),
    "campaigns.reopen": (
        "POST",
        lambda w: (f"/campaigns/{w.m.campaign.id}/reopen", {"closes_at": "2099-01-01T18:00"}),
        STAFF_ACTION,
    ),
    "campaigns.accept_selected": (
        "POST",
        lambda w: (f"/campaigns/{w.m.campaign.id}/accept", {"response_ids": w.m.submitted.id}),
        STAFF_ACTION,
    ),
    "campaigns.review": (
        "GET",
        lambda w: f"/responses/{w.m.submitted.id}/review",
        STAFF_AND_VIEWER,
    ),
    "campaigns.accept": ("POST", lambda w: f"/responses/{w.m.submitted.id}/accept", STAFF_ACTION),
    "campaigns.return_response": (
        "POST",
        lambda w: f"/responses/{w.m.submitted.id}/return",
        STAFF_ACTION,
    ),
    "campaigns.extend_deadline": (
        "POST",
        lambda w: f"/responses/{w.m.draft.id}/deadline",
        STAFF_ACTION,
    ),
    "campaigns.my_questionnaires": ("GET", lambda w: "/my/questionnaires", SCHOOL_ONLY),
    "campaigns.response_page": (
        "GET",
        lambda w: f"/responses/{w.m.draft.id}",
        {"anonymous": "login", "admin": 302, "school": 200, "jury": 404, "viewer": 302},
    ),
    "campaigns.save": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/save", {"revision": "1"}),
        SCHOOL_ACTION,
    ),
    "campaigns.submit": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/submit", {"revision": "1"}),
        SCHOOL_ACTION,
    ),
    "campaigns.recall": (
        "POST",
        lambda w: f"/responses/{w.m.draft.id}/recall",
        {"anonymous": "login", "admin": 403, "school": 409, "jury": 403, "viewer": 403},
    ),
    # A response is no earlier answer of its own (tests/campaigns/test_prefill.py takes one).
    "campaigns.prefill": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/prefill", {"source": w.m.draft.id}),
        SCHOOL_ACTION | {"school": 404},
    ),
    "campaigns.decline_prefill": (
        "POST",
        lambda w: f"/responses/{w.m.draft.id}/prefill/decline",
        SCHOOL_ACTION,
    ),
    # Only a response filled in during a visit takes the school's comment (test_visits.py).
    "campaigns.comment": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/comment", {"school_comment": "Верно"}),
        SCHOOL_ACTION | {"school": 409},
    ),
    "campaigns.visit_page": ("GET", lambda w: f"/responses/{w.m.draft.id}/visit", STAFF_ONLY),
    "campaigns.visit_save": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/visit/save", {"revision": "1"}),
        STAFF_ACTION,
    ),
    "campaigns.visit_submit": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/visit/submit", {"revision": "1"}),
        STAFF_ACTION,
    ),
    "campaigns.visit_upload": (
        "POST",
        lambda w: f"/responses/{w.m.draft.id}/visit/files",
        STAFF_ACTION | {"admin": 400},
    ),
    # The service worker of visit pages is a static script.
    "campaigns.visit_worker": (
        "GET",
        lambda w: "/responses/visit-sw.js",
        {"anonymous": 200, "admin": 200, "school": 200, "jury": 200, "viewer": 200},
    ),
    "campaigns.choose_language": (
        "POST",
        lambda w: (f"/responses/{w.m.draft.id}/language", {"lang": "sah"}),
        SCHOOL_ACTION,
    ),
    "campaigns.upload": (
        "POST",
        lambda w: f"/responses/{w.m.draft.id}/files",
        {"anonymous": "login", "admin": 403, "school": 400, "jury": 403, "viewer": 403},
    ),
    "campaigns.download": (
        "GET",
        lambda w: f"/files/{w.m.file.id}",
        {"anonymous": "login", "admin": 200, "school": 200, "jury": 404, "viewer": 200},
    ),
    "reports.campaign": (
        "GET",
        lambda w: f"/reports/campaigns/{w.m.campaign.id}",
        STAFF_AND_VIEWER,
    ),
    "reports.figures_status": (
        "GET",
        lambda w: f"/reports/campaigns/{w.m.campaign.id}/figures.json",
        STAFF_AND_VIEWER,
    ),
    "reports.compute_again": (
        "POST",
        lambda w: f"/reports/campaigns/{w.m.campaign.id}/figures",
        {"anonymous": "login", "admin": 302, "school": 403, "jury": 403, "viewer": 302},
    ),
    "reports.dynamics_page": (
        "GET",
        lambda w: f"/reports/campaigns/{w.m.campaign.id}/dynamics",
        STAFF_AND_VIEWER,
    ),
    "reports.start_export": (
        "POST",
        lambda w: (f"/reports/campaigns/{w.m.campaign.id}/exports", {"format": "xlsx"}),
        {"anonymous": "login", "admin": 302, "school": 403, "jury": 403, "viewer": 302},
    ),
    "reports.export_status": ("GET", lambda w: f"/reports/exports/{w.m.job}", OWN_JOB),
    "reports.export_progress": ("GET", lambda w: f"/reports/exports/{w.m.job}.json", OWN_JOB),
    "reports.export_download": ("GET", lambda w: f"/reports/exports/{w.m.job}/download", OWN_JOB),
    "reports.report_template": ("GET", lambda w: "/reports/template", STAFF_ONLY),
    "roadmap.index": ("GET", lambda w: "/roadmap/", STAFF_AND_VIEWER),
    "roadmap.new": ("GET", lambda w: "/roadmap/new", STAFF_ONLY),
    "roadmap.dashboard": ("GET", lambda w: f"/roadmap/{_roadmap(w).id}", STAFF_AND_VIEWER),
    "roadmap.new_item": ("GET", lambda w: f"/roadmap/{_roadmap(w).id}/items/new", STAFF_ONLY),
    "roadmap.item": ("GET", lambda w: _roadmap(w).base, STAFF_AND_VIEWER),
    "roadmap.edit_item": ("GET", lambda w: f"{_roadmap(w).base}/edit", STAFF_ONLY),
    "roadmap.set_status": (
        "POST",
        lambda w: (f"{_roadmap(w).base}/status", {"status": "in_progress"}),
        STAFF_ACTION,
    ),
    "roadmap.add_evidence": (
        "POST",
        lambda w: (f"{_roadmap(w).base}/evidence", {"kind": "url", "url": "https://e.ru/"}),
        STAFF_ACTION,
    ),
    "roadmap.delete_evidence": (
        "POST",
        lambda w: f"{(r := _roadmap(w)).base}/evidence/{r.evidence}/delete",
        STAFF_ACTION,
    ),
    "roadmap.evidence_file": (
        "GET",
        lambda w: f"{(r := _roadmap(w)).base}/evidence/{r.evidence}",
        {"anonymous": "login", "admin": 404, "school": 403, "jury": 403, "viewer": 404},
    ),
    "roadmap.copy": ("POST", lambda w: f"/roadmap/{_roadmap(w).id}/copy", STAFF_ACTION),
    "roadmap.import_activities": (
        "GET",
        lambda w: f"/roadmap/{_roadmap(w).id}/import",
        STAFF_ONLY,
    ),
    "roadmap.import_template": ("GET", lambda w: "/roadmap/import/template.xlsx", STAFF_ONLY),
    "roadmap.report": ("GET", lambda w: f"/roadmap/{_roadmap(w).id}/report.docx", STAFF_AND_VIEWER),
    "registry.index": ("GET", lambda w: "/registry/", PERSONAL),
    "registry.detail": ("GET", lambda w: f"/registry/{make_record(w.school_a1).id}", PERSONAL),
    "registry.new": ("GET", lambda w: "/registry/new", SCHOOL_ONLY),
    "registry.vacancy": ("POST", lambda w: ("/registry/vacancy", {"rate": "0"}), SCHOOL_ACTION),
    "registry.import_records": ("GET", lambda w: "/registry/import", SCHOOL_ONLY),
    "registry.import_template": ("GET", lambda w: "/registry/import/template.xlsx", SCHOOL_ONLY),
    "registry.export": ("GET", lambda w: "/registry/export", PERSONAL),
    "registry.difficulty_map": ("GET", lambda w: "/registry/difficulties", STAFF_AND_VIEWER),
    "registry.staffing_report": ("GET", lambda w: "/registry/staffing", STAFF_AND_VIEWER),
    "registry.staffing_document": ("GET", lambda w: "/registry/staffing.docx", STAFF_AND_VIEWER),
    "registry.edit_topic": ("GET", lambda w: f"/registry/difficulties/{_topic(w).id}", STAFF_ONLY),
    "registry.edit": (
        "GET",
        lambda w: f"/registry/{make_record(w.school_a1).id}/edit",
        SCHOOL_ONLY,
    ),
    "registry.add_course": (
        "POST",
        lambda w: (f"/registry/{make_record(w.school_a1).id}/courses", COURSE),
        SCHOOL_ACTION,
    ),
    "registry.delete_course": ("POST", _course, SCHOOL_ACTION),
    "registry.withdraw": (
        "POST",
        lambda w: (
            f"/registry/{make_record(w.school_a1).id}/withdraw",
            {"withdrawn_on": "01.12.2026"},
        ),
        SCHOOL_ACTION,
    ),
    "registry.consent_document": (
        "GET",
        lambda w: f"/registry/{make_record(w.school_a1, consent_file=True).id}/consent",
        PERSONAL,
    ),
    "reports.default_report_template": (
        "GET",
        lambda w: "/reports/template/default.docx",
        STAFF_ONLY,
    ),
    "reports.remove_report_template": ("POST", lambda w: "/reports/template/remove", STAFF_ACTION),
    "reports.current_report_template": (
        "GET",
        lambda w: "/reports/template/current.docx",
        {**STAFF_ONLY, "admin": 404},  # none uploaded yet
    ),
    "reports.add_indicator": (
        "POST",
        lambda w: f"/reports/campaigns/{w.m.campaign.id}/indicators",
        STAFF_ACTION,
    ),
    "reports.confirm_value": ("POST", lambda w: _confirmable(w), STAFF_ACTION),
    "reports.delete_indicator": (
        "POST",
        lambda w: f"/reports/campaigns/{w.m.campaign.id}/indicators/{w.m.indicator.id}/delete",
        STAFF_ACTION,
    ),
    "campaigns.read_notice": (
        "POST",
        lambda w: f"/notices/{w.m.notice.id}/read",
        {"anonymous": "login", "admin": 302, "school": 302, "jury": 302, "viewer": 302},
    ),
    # Events: tests/events/test_permissions.py has the finer cases (other districts, schools).
    "events.index": ("GET", lambda w: "/events/", READERS),
    "events.new": ("POST", lambda w: ("/events/new", EVENT), STAFF_ACTION),
    "events.detail": ("GET", lambda w: _event(w).base, READERS),
    "events.edit": ("POST", lambda w: (_event(w).base + "/edit", EVENT), STAFF_ACTION),
    "events.cancel": ("POST", lambda w: _event(w).base + "/cancel", STAFF_ACTION),
    "events.delete": ("POST", lambda w: _event(w).base + "/delete", STAFF_ACTION),
    "events.programme": (
        "GET",
        lambda w: _event(w).base + "/programme",
        READERS | {"admin": 404, "school": 404, "viewer": 404},
    ),  # no programme file attached
    "events.register": (
        "POST",
        lambda w: (_event(w).base + "/registrations", {"record_id": make_record(w.school_a1).id}),
        ENTRY_ACTION,
    ),
    "events.unregister": (
        "POST",
        lambda w: f"{(e := _event(w)).base}/registrations/{e.registration}/delete",
        ENTRY_ACTION,
    ),
    "events.attendance": ("GET", lambda w: _event(w).base + "/attendance", STAFF_ONLY),
    "events.mark": (
        "POST",
        lambda w: f"{(e := _event(w)).base}/attendance/{e.registration}",
        STAFF_ACTION,
    ),
    "events.add_speaker": (
        "POST",
        lambda w: (_event(w).base + "/speakers", {"name": "Гостья"}),
        STAFF_ACTION,
    ),
    "events.delete_speaker": (
        "POST",
        lambda w: f"{(e := _event(w)).base}/speakers/{e.speaker}/delete",
        STAFF_ACTION,
    ),
    "events.add_material": (
        "POST",
        lambda w: (_event(w).base + "/materials", {"title": "Запись", "url": "https://x.ru/1"}),
        STAFF_ACTION,
    ),
    "events.material": (
        "GET",
        lambda w: f"{(e := _event(w)).base}/materials/{e.material}",
        READERS | {"admin": 404, "school": 404, "viewer": 404},
    ),  # a link, no file to download
    "events.delete_material": (
        "POST",
        lambda w: f"{(e := _event(w)).base}/materials/{e.material}/delete",
        STAFF_ACTION,
    ),
    "events.certificates": (
        "GET",
        lambda w: _event(w, attended=True).base + "/certificates.docx",
        {"anonymous": "login", "admin": 200, "school": 200, "jury": 403, "viewer": 403},
    ),
    "events.speaker_letters": (
        "GET",
        lambda w: _event(w).base + "/speaker-letters.docx",
        STAFF_ONLY,
    ),
    "events.feedback_page": ("GET", lambda w: _event(w).base + "/feedback", STAFF_ONLY),
    "events.non_participants": ("GET", lambda w: "/events/non-participants", STAFF_ONLY),
    "events.non_participants_export": (
        "GET",
        lambda w: "/events/non-participants.xlsx",
        STAFF_ONLY,
    ),
    # API tokens: a juror has no API; revoking someone else's (or a missing) token is a 404.
    "accounts.create_api_token": (
        "POST",
        lambda w: ("/profile/tokens", {"name": "Выгрузка"}),
        {"anonymous": "login", "admin": 200, "school": 200, "jury": 403, "viewer": 200},
    ),
    "accounts.revoke_api_token": (
        "POST",
        lambda w: "/profile/tokens/999999/revoke",
        {"anonymous": "login", "admin": 404, "school": 404, "jury": 404, "viewer": 404},
    ),
    # The API ignores the session: without a token every role gets 401 (tests/api/ has the
    # table of roles with tokens).
    "api.campaigns": (
        "GET",
        lambda w: "/api/v1/campaigns",
        {"anonymous": 401, "admin": 401, "school": 401, "jury": 401, "viewer": 401},
    ),
    "api.report": (
        "GET",
        lambda w: f"/api/v1/campaigns/{w.m.campaign.id}/report",
        {"anonymous": 401, "admin": 401, "school": 401, "jury": 401, "viewer": 401},
    ),
    "api.responses": (
        "GET",
        lambda w: f"/api/v1/campaigns/{w.m.campaign.id}/responses",
        {"anonymous": 401, "admin": 401, "school": 401, "jury": 401, "viewer": 401},
    ),
    # Contests: c is a contest in the judging stage (tests/contests/factory.py, judging_contest);
    # jury_a chairs its jury. tests/contests/ holds the finer cases (own entries, other schools).
    "contests.index": ("GET", lambda w: "/contests/", STAFF_AND_VIEWER),
    "contests.new": ("GET", lambda w: "/contests/new", STAFF_ONLY),
    "contests.edit": ("GET", lambda w: f"/contests/{w.c.judged.contest.id}/edit", STAFF_ONLY),
    "contests.contest": ("GET", lambda w: f"/contests/{w.c.judged.contest.id}", STAFF_AND_VIEWER),
    "contests.move_phase": (
        "POST",
        lambda w: (f"/contests/{w.c.judged.contest.id}/phase", {"phase": "results"}),
        STAFF_ACTION,
    ),
    "contests.upload_rules": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/rules",
        STAFF_ACTION | {"admin": 400},
    ),
    "contests.add_nomination": (
        "POST",
        lambda w: (f"/contests/{w.c.judged.contest.id}/nominations", {"title": "Эссе"}),
        STAFF_ACTION | {"admin": 409},  # judging has started
    ),
    "contests.delete_nomination": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/nominations/{w.c.judged.second.id}/delete",
        STAFF_ACTION | {"admin": 409},
    ),
    "contests.add_criterion": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/criteria",
        STAFF_ACTION | {"admin": 400},
    ),
    "contests.edit_criterion": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/criteria/{w.c.judged.criteria[0].id}",
        STAFF_ONLY,
    ),
    "contests.delete_criterion": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/criteria/{w.c.judged.criteria[0].id}/delete",
        STAFF_ACTION | {"admin": 409},
    ),
    "contests.add_juror": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/jurors",
        STAFF_ACTION | {"admin": 400},
    ),
    "contests.make_chair": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/jurors/{w.c.judged.jurors[2].id}/chair",
        STAFF_ACTION,
    ),
    "contests.remove_juror": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/jurors/{w.c.judged.jurors[2].id}/delete",
        STAFF_ACTION,
    ),
    "contests.entries_list": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/entries",
        STAFF_AND_VIEWER,
    ),
    "contests.progress": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/progress",
        STAFF_AND_VIEWER,
    ),
    "contests.remind_juror": (
        "POST",
        lambda w: f"/contests/{w.c.judged.contest.id}/jurors/{w.c.judged.jurors[1].id}/remind",
        STAFF_ACTION,
    ),
    "contests.results": ("GET", lambda w: f"/contests/{w.c.judged.contest.id}/results", CHAIR),
    "contests.finalize": (
        "POST",
        lambda w: (
            f"/contests/{w.c.judged.contest.id}/nominations/{w.c.judged.first.id}/finalize",
            {f"n{w.c.judged.first.id}-reason": "Срок оценки истёк"},
        ),
        {"anonymous": "login", "admin": 302, "school": 404, "jury": 302, "viewer": 403},
    ),
    # Only staff reopen finalized results (409 here: the nomination is not finalized).
    "contests.reopen_results": (
        "POST",
        lambda w: (
            f"/contests/{w.c.judged.contest.id}/nominations/{w.c.judged.first.id}/reopen",
            {f"n{w.c.judged.first.id}-reason": "Ошибка в подсчёте"},
        ),
        {"anonymous": "login", "admin": 409, "school": 403, "jury": 403, "viewer": 403},
    ),
    # The chair sees the protocol once their own sheets are complete (409 before).
    "contests.protocol_docx": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/protocol.docx",
        CHAIR | {"jury": 409},
    ),
    "contests.protocol_xlsx": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/protocol.xlsx",
        CHAIR | {"jury": 409},
    ),
    "contests.certificates": (  # no nomination finalized yet
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/certificates.docx",
        {"anonymous": "login", "admin": 409, "school": 404, "jury": 409, "viewer": 409},
    ),
    "contests.jury_letters": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/jury-letters.docx",
        {"anonymous": "login", "admin": 200, "school": 404, "jury": 404, "viewer": 403},
    ),
    "certificates.settings": ("GET", lambda w: "/documents/settings", STAFF_ONLY),
    "certificates.save_signatory": (
        "POST",
        lambda w: (
            "/documents/settings/signatory",
            {"signatory-head_name": "А. А. Иванов", "signatory-diplomas_signed_by": "chair"},
        ),
        STAFF_ACTION,
    ),
    "certificates.upload_image": (  # no file chosen
        "POST",
        lambda w: "/documents/settings/emblem",
        STAFF_ONLY | {"admin": 400},
    ),
    "certificates.remove_image": (
        "POST",
        lambda w: "/documents/settings/emblem/remove",
        STAFF_ACTION,
    ),
    "certificates.image": (  # none uploaded yet
        "GET",
        lambda w: "/documents/settings/signature.img",
        STAFF_ONLY | {"admin": 404},
    ),
    "certificates.upload_template": (  # no file chosen
        "POST",
        lambda w: "/documents/templates/letter",
        STAFF_ONLY | {"admin": 400},
    ),
    "certificates.remove_template": (
        "POST",
        lambda w: "/documents/templates/diploma/remove",
        STAFF_ACTION,
    ),
    "certificates.default_page_template": (
        "GET",
        lambda w: "/documents/templates/certificate/default.docx",
        STAFF_ONLY,
    ),
    "certificates.current_template": (  # none uploaded yet
        "GET",
        lambda w: "/documents/templates/diploma/current.docx",
        STAFF_ONLY | {"admin": 404},
    ),
    "certificates.sample": ("GET", lambda w: "/documents/templates/letter/sample.docx", STAFF_ONLY),
    "contests.my_contests": ("GET", lambda w: "/my/contests", SCHOOL_ONLY),
    "contests.enter": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/enter",
        {"anonymous": "login", "admin": 200, "school": 200, "jury": 403, "viewer": 403},
    ),
    "contests.entry_page": (
        "GET",
        lambda w: f"/entries/{w.c.entry.id}",
        {"anonymous": "login", "admin": 200, "school": 200, "jury": 404, "viewer": 200},
    ),
    "contests.save_entry": (
        "POST",
        lambda w: (f"/entries/{w.c.entry.id}/save", {"revision": "2"}),
        ENTRY_ACTION | {"admin": 409, "school": 409},  # the contest no longer accepts entries
    ),
    "contests.submit_entry": (
        "POST",
        lambda w: (f"/entries/{w.c.entry.id}/submit", {"revision": "2"}),
        ENTRY_ACTION | {"admin": 409, "school": 409},
    ),
    "contests.withdraw_entry": (
        "POST",
        lambda w: f"/entries/{w.c.entry.id}/withdraw",
        ENTRY_ACTION | {"admin": 409, "school": 409},
    ),
    "contests.reopen_entry": (
        "POST",
        lambda w: f"/entries/{w.c.entry.id}/reopen",
        ENTRY_ACTION | {"admin": 409, "school": 409},
    ),
    "contests.reject_entry": (
        "POST",
        lambda w: (f"/entries/{w.c.entry.id}/reject", {"reason": "Работа не по теме"}),
        STAFF_ACTION,
    ),
    "contests.upload_entry_file": (
        "POST",
        lambda w: f"/entries/{w.c.entry.id}/files",
        ENTRY_ACTION | {"admin": 400, "school": 400},
    ),
    "contests.entry_file": (
        "GET",
        lambda w: f"/entry-files/{w.c.file_id}",
        {"anonymous": "login", "admin": 200, "school": 200, "jury": 404, "viewer": 200},
    ),
    "contests.rules_file": (
        "GET",
        lambda w: f"/contests/{w.c.judged.contest.id}/rules-file",
        ANY_USER,
    ),
    "contests.jury_index": ("GET", lambda w: "/jury", JURY_ONLY),
    "contests.jury_contest": (
        "GET",
        lambda w: f"/jury/contests/{w.c.judged.contest.id}",
        JURY_ONLY,
    ),
    "contests.assignment_page": (
        "GET",
        lambda w: f"/jury/assignments/{w.c.assignment.id}",
        JURY_ONLY,
    ),
    "contests.save_scores": (
        "POST",
        lambda w: (f"/jury/assignments/{w.c.assignment.id}/scores", {"action": "save"}),
        JURY_ONLY | {"jury": 302},
    ),
    "contests.declare_conflict": (
        "POST",
        lambda w: (f"/jury/assignments/{w.c.assignment.id}/conflict", {"reason": "Мой ученик"}),
        JURY_ONLY | {"jury": 302},
    ),
    "contests.assignment_file": (
        "GET",
        lambda w: f"/jury/assignments/{w.c.assignment.id}/files/{w.c.file_id}",
        JURY_ONLY,
    ),
    "compendium.index": ("GET", lambda w: "/compendia/", STAFF_AND_VIEWER),
    "compendium.new": ("GET", lambda w: "/compendia/new", STAFF_ONLY),
    "compendium.editor": ("GET", lambda w: _compendium(w).base, STAFF_ONLY),
    "compendium.edit": ("GET", lambda w: f"{_compendium(w).base}/edit", STAFF_ONLY),
    "compendium.delete": ("POST", lambda w: f"{_compendium(w).base}/delete", STAFF_ACTION),
    "compendium.document": (
        "GET",
        lambda w: f"{_compendium(w).base}/document.docx",
        STAFF_AND_VIEWER,
    ),
    "compendium.add_section": (
        "POST",
        lambda w: (f"{_compendium(w).base}/sections", {"title": "Раздел"}),
        STAFF_ACTION,
    ),
    "compendium.rename_section": (
        "POST",
        lambda w: (f"{_compendium(w).section}/rename", {"title": "Новое"}),
        STAFF_ACTION,
    ),
    "compendium.move_section": (
        "POST",
        lambda w: f"{_compendium(w).section}/down",
        STAFF_ACTION,
    ),
    "compendium.delete_section": (
        "POST",
        lambda w: f"{_compendium(w).section}/delete",
        STAFF_ACTION,
    ),
    "compendium.add_from_contest": (
        "GET",
        lambda w: f"{_compendium(w).base}/add/contest?contest_id={w.c.judged.contest.id}",
        STAFF_ONLY,
    ),
    "compendium.add_winners": (
        "POST",
        lambda w: (
            f"{_compendium(w).base}/add/winners",
            {**COMPENDIUM_TARGET, "contest_id": w.c.judged.contest.id},
        ),
        STAFF_ACTION | {"admin": 409},  # judging: no finalized results yet
    ),
    "compendium.add_entries": (
        "POST",
        lambda w: (
            f"{_compendium(w).base}/add/entries",
            {**COMPENDIUM_TARGET, "contest_id": w.c.judged.contest.id, "entry_ids": [w.c.entry.id]},
        ),
        STAFF_ACTION,
    ),
    "compendium.add_from_campaign": (
        "GET",
        lambda w: f"{_compendium(w).base}/add/monitoring?campaign_id={w.m.campaign.id}",
        STAFF_ONLY,
    ),
    "compendium.add_responses": ("POST", _add_responses, STAFF_ACTION),
    "compendium.practice": ("GET", lambda w: _compendium(w).practice, STAFF_ONLY),
    "compendium.move_practice": ("POST", lambda w: f"{_compendium(w).practice}/down", STAFF_ACTION),
    "compendium.move_to_section": (
        "POST",
        lambda w: (f"{(c := _compendium(w)).practice}/section", {"section_id": c.section_id}),
        STAFF_ACTION,
    ),
    "compendium.remove_practice": (
        "POST",
        lambda w: f"{_compendium(w).practice}/delete",
        STAFF_ACTION,
    ),
    "api.openapi": ("GET", lambda w: "/api/v1/openapi.json", ANY_USER | {"anonymous": 200}),
    "health.healthz": ("GET", lambda w: "/healthz", ANY_USER | {"anonymous": 200}),
    "health.livez": ("GET", lambda w: "/livez", ANY_USER | {"anonymous": 200}),
}


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    assert endpoints == set(MATRIX)


def _user_for(world, role):
    return {
        "admin": world.admin_a,
        "school": world.school_user_a1,
        "jury": world.jury_a,
        "viewer": world.viewer_a,
    }.get(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_role_as_expected(client, world, endpoint, role):
    method, build_url, expected = MATRIX[endpoint]
    user = _user_for(world, role)
    targets = SimpleNamespace(**vars(world), m=make_monitoring(world), c=judging_contest(world))
    if user is not None:
        assert login(client, user).status_code == 302
    target = build_url(targets)
    url, data = target if isinstance(target, tuple) else (target, None)
    response = client.open(url, method=method, data=data)
    if expected[role] == "login":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected[role]
