"""Monitorings for schools: the list of questionnaires, filling, saving, submitting."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.campaigns import files, prefill, responses, services, visits
from app.campaigns.formdata import collect_answers
from app.campaigns.views import bp
from app.core.errors import DomainError
from app.core.permissions import role_required
from app.core.uploads import send_download
from app.core.views import form_status, form_succeeded, run_action
from app.extensions import db
from app.notices import services as notices
from app.questionnaires import fill_html, languages
from app.questionnaires.validation import validate_answers
from forms.campaigns import SchoolCommentForm
from forms.common import ActionForm

school_required = role_required(Role.SCHOOL)


@bp.get("/my/questionnaires")
@school_required
def my_questionnaires():
    return render_template("campaigns/my.html", responses=services.school_campaigns(current_user))


@bp.get("/responses/<int:response_id>")
@login_required
def response_page(response_id):
    """The school fills (or reads) its response; staff go to the review page."""
    response = responses.get_visible(current_user, response_id)
    if current_user.role != Role.SCHOOL:
        return redirect(url_for("campaigns.review", response_id=response.id))
    if responses.open_response(current_user, response):
        db.session.commit()
    return fill_page(response, current_user.form_language)


def fill_page(response, language: str | None, *, visit=False, comment_form=None):
    """The filling page of the school or of staff on a visit. With ``check`` (a refused
    submission) every problem a submission meets is marked, required answers too."""
    form = responses.definition_of(response)
    definition, language = languages.shown_form(form, language)
    questions_key = fill_html.published_key(response.campaign.form_version, language)
    editable = responses.offered_for_change(current_user, response)
    _, errors = responses.validate_draft(response, definition)
    check = editable and request.args.get("check") == "1"
    if check:
        _, errors = validate_answers(definition, response.data or {}, complete=True)
    if comment_form is None and response.is_visited and not visit:
        comment_form = SchoolCommentForm(school_comment=response.school_comment)
    return render_template(
        "campaigns/fill.html",
        response=response,
        definition=definition,
        errors=errors,
        editable=editable,
        visit=visit,
        offer=prefill.prefill_offer(response) if editable and not visit else None,
        comment_form=comment_form,
        check=check,
        action=ActionForm(),
        languages=languages.language_names(form),
        language=language,
        questions_key=questions_key,
    )


def _answer_saved(response, errors):
    return {
        "revision": response.revision,
        "status": response.status.value,
        "errors": errors,
        "saved_at": response.updated_at.isoformat(),
    }


@bp.post("/responses/<int:response_id>/save")
@school_required
def save(response_id):
    """Autosave (JSON) and the plain "save" button (redirect) share this endpoint."""
    response = responses.get_fillable(current_user, response_id)
    return save_answers(
        response,
        lambda answers, revision: responses.save_draft(current_user, response, answers, revision),
        url_for("campaigns.response_page", response_id=response.id),
    )


def save_answers(response, store, page: str):
    """Saves the answers of the page's fields with ``store(answers, revision)``, which returns
    the problems found; answers JSON to autosave, else goes back to ``page``."""
    wants_json = request.accept_mimetypes.best == "application/json"
    if not ActionForm().validate_on_submit():
        return (
            (jsonify(error=_("The page has expired; reload it.")), 400)
            if wants_json
            else redirect(page)
        )
    definition = responses.definition_of(response)
    answers = collect_answers(definition, request.form)
    revision = request.form.get("revision", type=int, default=-1)
    try:
        errors = store(answers, revision)
    except DomainError as refused:
        db.session.rollback()
        if wants_json:
            return jsonify(error=str(refused.message), revision=response.revision), (
                refused.status_code
            )
        raise
    if request.form.get("check") == "1":  # the page of a refused submission
        errors = validate_answers(definition, response.data or {}, complete=True)[1]
    language = languages.choose_language(definition, current_user.form_language)
    errors = languages.localized_errors(errors, definition, language)
    saved = _answer_saved(response, _json_errors(errors))  # before the commit expires them
    db.session.commit()
    if wants_json:
        return jsonify(saved)
    flash(_("The answers are saved."), "success")
    return redirect(page)


def _json_errors(errors: dict) -> dict:
    return {key: value if isinstance(value, dict) else str(value) for key, value in errors.items()}


@bp.post("/responses/<int:response_id>/submit")
@school_required
def submit(response_id):
    response = responses.get_fillable(current_user, response_id)
    return submit_answers(
        response,
        lambda revision: responses.submit(current_user, response, revision),
        "campaigns.response_page",
    )


def submit_answers(response, send, endpoint: str):
    """Submits with ``send(revision)``; a refused submission goes back to the page of
    ``endpoint`` with every problem marked, a repeated one (already recorded) to the page
    saying so."""
    page = url_for(endpoint, response_id=response.id)
    if ActionForm().validate_on_submit():
        revision = request.form.get("revision", type=int, default=-1)
        try:
            send(revision)
        except responses.InvalidAnswers:
            db.session.rollback()
            return redirect(url_for(endpoint, response_id=response.id, check=1))
        except responses.AlreadySubmitted as repeated:
            db.session.rollback()
            flash(str(repeated.message), "info")
            return redirect(page)
        except responses.StaleSave as refused:
            db.session.rollback()
            flash(str(refused.message), "danger")
            return redirect(page)
        db.session.commit()
        flash(_("The questionnaire is submitted to the district office."), "success")
    return redirect(page)


@bp.post("/responses/<int:response_id>/language")
@school_required
def choose_language(response_id):
    """The school's user picks the language its forms are shown in."""
    response = responses.get_visible(current_user, response_id)
    if ActionForm().validate_on_submit():
        languages.remember_language(
            current_user, responses.definition_of(response), request.form.get("lang", "")
        )
        db.session.commit()
    return redirect(url_for("campaigns.response_page", response_id=response.id))


@bp.post("/responses/<int:response_id>/recall")
@school_required
def recall(response_id):
    response = responses.get_fillable(current_user, response_id)
    return run_action(
        lambda: responses.recall(current_user, response),
        _("The submission is recalled; you can change the answers again."),
        url_for("campaigns.response_page", response_id=response.id),
    )


@bp.post("/responses/<int:response_id>/prefill", endpoint="prefill")
@school_required
def prefill_answers(response_id):
    response = responses.get_fillable(current_user, response_id)
    source = responses.get_visible(current_user, request.form.get("source", type=int, default=0))
    if ActionForm().validate_on_submit():
        taken = prefill.prefill(current_user, response, source)
        db.session.commit()
        flash(
            _("Answers taken over from the previous questionnaire: %(count)s.", count=len(taken)),
            "success",
        )
    return redirect(url_for("campaigns.response_page", response_id=response.id))


@bp.post("/responses/<int:response_id>/prefill/decline")
@school_required
def decline_prefill(response_id):
    response = responses.get_fillable(current_user, response_id)
    return run_action(
        lambda: prefill.decline_prefill(current_user, response),
        _("Earlier answers will not be taken over; the offer will not be made again."),
        url_for("campaigns.response_page", response_id=response.id),
    )


@bp.post("/responses/<int:response_id>/comment")
@school_required
def comment(response_id):
    """The school's comment on answers given on its behalf during a visit."""
    response = responses.get_visible(current_user, response_id)
    form = SchoolCommentForm()
    if form_succeeded(
        form, lambda: visits.comment(current_user, response, form.school_comment.data or "")
    ):
        flash(_("The comment is saved; the district office sees it."), "success")
        return redirect(url_for("campaigns.response_page", response_id=response.id))
    return fill_page(response, current_user.form_language, comment_form=form), form_status(form)


@bp.post("/responses/<int:response_id>/files")
@school_required
def upload(response_id):
    response = responses.get_fillable(current_user, response_id)
    return upload_file(response)


def upload_file(response):
    upload = request.files.get("file")
    if upload is None or not ActionForm().validate_on_submit():
        return jsonify(error=_("Choose a file.")), 400
    try:
        record = files.attach(current_user, response, request.form.get("key", ""), upload)
    except DomainError as error:
        db.session.rollback()
        return jsonify(error=str(error.message)), error.status_code
    db.session.commit()
    return jsonify(id=record.id, name=record.original_name)


@bp.get("/files/<int:file_id>")
@login_required
def download(file_id):
    record, path = files.get_visible_file(current_user, file_id)
    return send_download(path, record.original_name, record.content_type)


@bp.post("/notices/<int:notice_id>/read")
@login_required
def read_notice(notice_id):
    if ActionForm().validate_on_submit():
        notices.mark_read(current_user, notice_id)
        db.session.commit()
    return redirect(url_for("home.index"))
