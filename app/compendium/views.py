"""The сборник инновационных практик: the list, a сборник's editor (sections, practices, their
order), adding practices from a contest or a monitoring, what a practice prints, the .docx."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.compendium import services, sources
from app.compendium.answers import annotation_of, authors_of, questions, text_questions, title_of
from app.compendium.documents import file_name, write_compendium
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.timefmt import local_today
from app.core.uploads import send_download
from app.core.views import DOCX_MIMETYPE, attach_error, form_succeeded, render_form, run_action
from app.extensions import db
from forms.common import ActionForm, choices
from forms.compendium import (
    CompendiumForm,
    EntriesForm,
    MoveForm,
    PracticeForm,
    ResponsesForm,
    SectionForm,
    WinnersForm,
)

bp = Blueprint("compendium", __name__, url_prefix="/compendia")


def _editor_url(compendium, anchor=None):
    return url_for("compendium.editor", compendium_id=compendium.id, _anchor=anchor)


@bp.get("/")
@staff_or_viewer_required
def index():
    found = db.session.scalars(services.visible_query(current_user)).all()
    return render_template("compendium/index.html", compendia=found, action=ActionForm())


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = CompendiumForm()
    if request.method == "GET":
        form.title.data = services.default_title(current_user.organization)
        form.year.data = local_today().year
    created = form_succeeded(
        form, lambda: services.create_compendium(current_user, _settings(form))
    )
    if created:
        flash(_("The collection is created: add its practices."), "success")
        return redirect(_editor_url(created))
    return render_form("compendium/form.html", form, compendium=None)


def _settings(form) -> services.Settings:
    return services.Settings(form.title.data or "", form.year.data, form.introduction.data or "")


@bp.get("/<int:compendium_id>")
@staff_required
def editor(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    return _editor(compendium, SectionForm())


def _editor(compendium, section_form, status=200):
    move = MoveForm()
    move.section_id.choices = choices((s.id, s.title) for s in compendium.sections)
    page = render_template(
        "compendium/editor.html", compendium=compendium, section_form=section_form,
        move_form=move, action=ActionForm(), title_of=title_of, authors_of=authors_of,
        withdrawn=[p for p in compendium.items if sources.withdrawn(p)],
    )  # fmt: skip
    return page, status


@bp.route("/<int:compendium_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    form = CompendiumForm(obj=compendium)
    if form_succeeded(
        form, lambda: services.update_compendium(current_user, compendium, _settings(form))
    ):
        flash(_("The changes are saved."), "success")
        return redirect(_editor_url(compendium))
    return render_form("compendium/form.html", form, compendium=compendium)


@bp.post("/<int:compendium_id>/delete")
@staff_required
def delete(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    return run_action(lambda: services.delete_compendium(current_user, compendium),
                      _("The collection is deleted."), url_for("compendium.index"))  # fmt: skip


@bp.get("/<int:compendium_id>/document.docx")
@staff_or_viewer_required
def document(compendium_id):
    compendium = services.get_visible(current_user, compendium_id)
    buffer = io.BytesIO()
    write_compendium(compendium, buffer)
    buffer.seek(0)
    return send_download(buffer, file_name(compendium), DOCX_MIMETYPE)


# Sections


@bp.post("/<int:compendium_id>/sections")
@staff_required
def add_section(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    form = SectionForm()
    if form_succeeded(
        form, lambda: services.add_section(current_user, compendium, form.title.data)
    ):
        flash(_("The section is added."), "success")
        return redirect(_editor_url(compendium))
    return _editor(compendium, form, 400)


@bp.post("/<int:compendium_id>/sections/<int:section_id>/rename")
@staff_required
def rename_section(compendium_id, section_id):
    compendium = services.get_editable(current_user, compendium_id)
    section = services.get_section(compendium, section_id)
    form = SectionForm()
    if form_succeeded(
        form, lambda: services.rename_section(current_user, section, form.title.data)
    ):
        flash(_("The changes are saved."), "success")
        return redirect(_editor_url(compendium, f"section-{section.id}"))
    return _editor(compendium, form, 400)


@bp.post("/<int:compendium_id>/sections/<int:section_id>/<any(up, down):direction>")
@staff_required
def move_section(compendium_id, section_id, direction):
    compendium = services.get_editable(current_user, compendium_id)
    section = services.get_section(compendium, section_id)
    step = -1 if direction == "up" else 1
    target = _editor_url(compendium, f"section-{section.id}")
    return run_action(lambda: services.move_section(current_user, section, step),
                      _("The section is moved."), target)  # fmt: skip


@bp.post("/<int:compendium_id>/sections/<int:section_id>/delete")
@staff_required
def delete_section(compendium_id, section_id):
    compendium = services.get_editable(current_user, compendium_id)
    section = services.get_section(compendium, section_id)
    return run_action(lambda: services.delete_section(current_user, section),
                      _("The section is deleted."), _editor_url(compendium))  # fmt: skip


# Adding practices


def _targets(compendium, form, default_title: str) -> None:
    form.section_id.choices = choices(
        [(0, _("A new section")), *((s.id, s.title) for s in compendium.sections)]
    )
    if request.method == "GET":
        form.new_section.data = default_title
        if compendium.sections:
            form.section_id.data = compendium.sections[-1].id


def _add(form, compendium, action, page):
    """Runs ``action(section)`` into the chosen section; a refusal shows the page again, 4xx."""
    if not form.validate_on_submit():
        return page(form, 400)
    try:
        section = services.section_for(current_user, compendium, form.section_id.data,
                                       form.new_section.data or "")  # fmt: skip
        added = action(section)
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error)
        return page(form, error.status_code)
    db.session.commit()
    flash(_("Practices added: %(count)s.", count=len(added)), "success")
    return redirect(_editor_url(compendium, f"section-{section.id}"))


@bp.get("/<int:compendium_id>/add/contest")
@staff_required
def add_from_contest(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    return _contest_page(compendium, request.args.get("contest_id", type=int))


def _contest_page(compendium, contest_id, entries_form=None, winners_form=None, status=200):
    contest, listing = None, None
    search = request.args.get("q", "")
    if contest_id:
        contest = _found(lambda: sources.get_contest(current_user, contest_id), status)
    if contest is not None:
        listing = paginate(sources.entries_query(contest, search))
    winners_form = winners_form or WinnersForm(contest_id=contest_id)
    entries_form = entries_form or EntriesForm(contest_id=contest_id)
    for form in (winners_form, entries_form):
        _targets(compendium, form, contest.title if contest else "")
    page = render_template(
        "compendium/add_contest.html", compendium=compendium, contests=sources.contests(
            current_user), contest=contest, listing=listing, search=search,
        winners_form=winners_form, entries_form=entries_form,
    )  # fmt: skip
    return page, status


@bp.post("/<int:compendium_id>/add/winners")
@staff_required
def add_winners(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    form = WinnersForm()
    _targets(compendium, form, "")

    def action(section):
        contest = sources.get_contest(current_user, _number(form.contest_id.data))
        return services.add_entries(current_user, compendium, section, sources.awarded(contest))

    def page(form, status):
        return _contest_page(compendium, _number(form.contest_id.data), winners_form=form,
                             status=status)  # fmt: skip

    return _add(form, compendium, action, page)


@bp.post("/<int:compendium_id>/add/entries")
@staff_required
def add_entries(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    form = EntriesForm()
    _targets(compendium, form, "")

    def action(section):
        contest = sources.get_contest(current_user, _number(form.contest_id.data))
        chosen = sources.chosen_entries(contest, form.entry_ids.data or [])
        return services.add_entries(current_user, compendium, section, chosen)

    def page(form, status):
        return _contest_page(compendium, _number(form.contest_id.data), entries_form=form,
                             status=status)  # fmt: skip

    return _add(form, compendium, action, page)


def _found(load, status: int):
    """The contest or monitoring asked for: on a page asked for, 404 when it is not the
    user's; on a refused form, none (the refusal says why)."""
    try:
        return load()
    except DomainError:
        if status == 200:
            abort(404)
        return None


def _number(text) -> int | None:
    return int(text) if text and str(text).isdigit() and len(str(text)) < 10 else None


@bp.get("/<int:compendium_id>/add/monitoring")
@staff_required
def add_from_campaign(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    return _campaign_page(compendium, request.args.get("campaign_id", type=int))


def _campaign_page(compendium, campaign_id, form=None, status=200):
    campaign, listing = None, None
    search = request.args.get("q", "")
    if campaign_id:
        campaign = _found(lambda: sources.get_campaign(current_user, campaign_id), status)
    if campaign is not None:
        listing = paginate(sources.responses_query(current_user, campaign, search))
    form = form or ResponsesForm(campaign_id=campaign_id)
    _targets(compendium, form, campaign.title if campaign else "")
    page = render_template(
        "compendium/add_campaign.html", compendium=compendium, campaigns=sources.campaigns(
            current_user), campaign=campaign, listing=listing, search=search, form=form,
    )  # fmt: skip
    return page, status


@bp.post("/<int:compendium_id>/add/responses")
@staff_required
def add_responses(compendium_id):
    compendium = services.get_editable(current_user, compendium_id)
    form = ResponsesForm()
    _targets(compendium, form, "")

    def action(section):
        campaign = sources.get_campaign(current_user, _number(form.campaign_id.data))
        chosen = sources.chosen_responses(current_user, campaign, form.response_ids.data or [])
        return services.add_responses(current_user, compendium, section, chosen)

    def page(form, status):
        return _campaign_page(compendium, _number(form.campaign_id.data), form, status)

    return _add(form, compendium, action, page)


# One practice


def _practice_form(practice) -> PracticeForm:
    form = PracticeForm(obj=practice)
    worded = [("", _("— none —"))] + [(q["key"], q["label"]) for q in text_questions(practice)]
    for field in (form.title_key, form.annotation_key, form.authors_key):
        field.choices = choices(worded)
    form.answer_keys.choices = choices((q["key"], q["label"]) for q in questions(practice)
                                       if q["type"] != "file")  # fmt: skip
    return form


@bp.route("/<int:compendium_id>/practices/<int:practice_id>", methods=["GET", "POST"])
@staff_required
def practice(compendium_id, practice_id):
    compendium = services.get_editable(current_user, compendium_id)
    item = services.get_practice(compendium, practice_id)
    form = _practice_form(item)
    if form_succeeded(form, lambda: services.set_printing(current_user, item, _printing(form))):
        flash(_("The changes are saved."), "success")
        return redirect(_editor_url(compendium, f"practice-{item.id}"))
    return render_form("compendium/practice.html", form, compendium=compendium, practice=item,
                       title=title_of(item), annotation=annotation_of(item),
                       authors=authors_of(item))  # fmt: skip


def _printing(form) -> services.Printing:
    return services.Printing(
        title=form.title.data or "", title_key=form.title_key.data or "",
        annotation_key=form.annotation_key.data or "", annotation=form.annotation.data or "",
        authors_key=form.authors_key.data or "", authors=form.authors.data or "",
        answer_keys=tuple(form.answer_keys.data or ()), with_pictures=form.with_pictures.data,
    )  # fmt: skip


@bp.post("/<int:compendium_id>/practices/<int:practice_id>/<any(up, down):direction>")
@staff_required
def move_practice(compendium_id, practice_id, direction):
    compendium = services.get_editable(current_user, compendium_id)
    item = services.get_practice(compendium, practice_id)
    step = -1 if direction == "up" else 1
    target = _editor_url(compendium, f"practice-{item.id}")
    return run_action(lambda: services.move_practice(current_user, item, step),
                      _("The practice is moved."), target)  # fmt: skip


@bp.post("/<int:compendium_id>/practices/<int:practice_id>/section")
@staff_required
def move_to_section(compendium_id, practice_id):
    compendium = services.get_editable(current_user, compendium_id)
    item = services.get_practice(compendium, practice_id)
    form = MoveForm()
    form.section_id.choices = choices((s.id, s.title) for s in compendium.sections)
    if not form.validate_on_submit():
        abort(400)
    target = services.get_section(compendium, form.section_id.data)
    services.move_to_section(current_user, item, target)
    db.session.commit()
    flash(_("The practice is moved."), "success")
    return redirect(_editor_url(compendium, f"practice-{item.id}"))


@bp.post("/<int:compendium_id>/practices/<int:practice_id>/delete")
@staff_required
def remove_practice(compendium_id, practice_id):
    compendium = services.get_editable(current_user, compendium_id)
    item = services.get_practice(compendium, practice_id)
    return run_action(
        lambda: services.remove_practice(current_user, item),
        _("The practice is removed from the collection."),
        _editor_url(compendium),
    )
