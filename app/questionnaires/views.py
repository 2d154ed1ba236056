"""The questionnaire builder for district staff."""

import io
import re

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_required
from app.core.uploads import send_download
from app.core.views import attach_error, render_form
from app.extensions import db
from app.questionnaires import (
    builder,
    condition_menus,
    files,
    keys,
    languages,
    logic_summary,
    services,
    textformat,
)
from app.questionnaires.cleaning import bound_messages
from app.questionnaires.definition import section_name, version_definition
from app.questionnaires.form_problems import form_problems
from app.questionnaires.relevant import to_relevant
from app.questionnaires.texts import answer_words, fill_in
from forms.common import ActionForm
from forms.questionnaires import (
    KEY_FROZEN,
    TYPE_LABELS,
    FormImportForm,
    FormMetaForm,
    QuestionForm,
    SectionForm,
)

bp = Blueprint("questionnaires", __name__, url_prefix="/forms")
bp.add_app_template_global(fill_in)
bp.add_app_template_global(answer_words)
bp.add_app_template_global(bound_messages)
bp.add_app_template_global(section_name)


def _to_builder(form, anchor=""):
    return redirect(url_for("questionnaires.detail", form_id=form.id) + anchor)


@bp.get("/")
@staff_required
def index():
    archived = request.args.get("archived") == "1"
    page = paginate(services.visible_query(current_user, archived=archived))
    return render_template("questionnaires/index.html", page=page, archived=archived)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = FormMetaForm()
    if form.validate_on_submit():
        created = services.create_empty_form(
            current_user, form.title.data.strip(), (form.description.data or "").strip()
        )
        db.session.commit()
        return _to_builder(created)
    return render_form("questionnaires/meta.html", form, questionnaire=None)


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_form():
    form = FormImportForm()
    if form.validate_on_submit():
        try:
            definition = files.read_upload(form.file.data)
            created = services.create_form(current_user, definition)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error if error.field else DomainError(error.message, "file"))
        else:
            db.session.commit()
            flash(_("The form is imported as a draft. Check it and publish it."), "success")
            return _to_builder(created)
    return render_form("questionnaires/import.html", form)


@bp.get("/<int:form_id>")
@staff_required
def detail(form_id):
    questionnaire = services.get_visible(current_user, form_id)
    version = questionnaire.latest
    definition = version_definition(version)
    can_edit = services.can_edit(current_user, questionnaire)
    return render_template(
        "questionnaires/detail.html",
        questionnaire=questionnaire,
        version=version,
        definition=definition,
        action=ActionForm(),
        can_edit=can_edit,
        problems=form_problems(definition) if can_edit and version.is_draft else [],
        to_relevant=to_relevant,
        type_labels=TYPE_LABELS,
        badges=logic_summary.badges,
        column_badges=logic_summary.column_badges,
    )


@bp.get("/<int:form_id>/preview")
@staff_required
def preview(form_id):
    questionnaire = services.get_visible(current_user, form_id)
    form = version_definition(questionnaire.latest)
    definition, language = languages.shown_form(form, request.args.get("lang"))
    return render_template(
        "questionnaires/preview.html",
        questionnaire=questionnaire,
        definition=definition,
        languages=languages.language_names(form),
        language=language,
    )


@bp.route("/<int:form_id>/settings", methods=["GET", "POST"])
@staff_required
def settings(form_id):
    questionnaire = services.get_editable(current_user, form_id)
    form = FormMetaForm(
        data={"title": questionnaire.latest.title, "description": questionnaire.latest.description}
    )
    if form.validate_on_submit():
        services.change_definition(
            current_user,
            questionnaire,
            lambda d: {
                **d,
                "title": form.title.data.strip(),
                "description": form.description.data or "",
            },
        )
        db.session.commit()
        return _to_builder(questionnaire)
    return render_form("questionnaires/meta.html", form, questionnaire=questionnaire)


def _apply(questionnaire, edit, form=None):
    """Runs a builder edit; a refusal goes beside the field or into a flash message."""
    try:
        services.change_definition(current_user, questionnaire, edit)
    except DomainError as error:
        db.session.rollback()
        if form is None:
            flash(str(error.message), "danger")
        else:
            attach_error(form, DomainError(error.message, error.field or _field_of(error)))
        return False
    db.session.commit()
    return True


# A question's "required" is a yes/no box or a condition: only the condition can be wrong.
FIELD_OF_SETTING = {"required": "required_if"}


def _field_of(error: DomainError) -> str | None:
    """The builder field a definition error points at ("sections[0].questions[2].choices[1]")."""
    path = getattr(error, "path", "")
    match = re.search(r"questions\[\d+\]\.(\w+)", path) or re.search(
        r"sections\[\d+\]\.(\w+)", path
    )
    return FIELD_OF_SETTING.get(match.group(1), match.group(1)) if match else None


@bp.route("/<int:form_id>/sections/new", methods=["GET", "POST"])
@bp.route("/<int:form_id>/sections/<key>", methods=["GET", "POST"])
@staff_required
def section(form_id, key=None):
    questionnaire = services.get_editable(current_user, form_id)
    definition = version_definition(questionnaire.latest)
    current = builder.find_section(definition, key) if key else None
    form = SectionForm(
        data={**current, "condition": to_relevant(current["condition"])}
        if current
        else {"title": builder.next_section_title(definition)}
    )
    frozen = _freeze_key(form, questionnaire, key)
    if form.validate_on_submit():
        title = (form.title.data or "").strip()
        try:
            values = {
                "key": builder.chosen_key(definition, form.key.data, title, key, frozen),
                "title": title,
                "description": form.description.data or "",
                "condition": textformat.condition_from_text(
                    form.condition.data, "condition", current and current["condition"]
                ),
            }
        except DomainError as error:
            attach_error(form, error)
        else:
            edit = (
                (lambda d: builder.update_section(d, key, values))
                if key
                else (lambda d: builder.add_section(d, values))
            )
            if _apply(questionnaire, edit, form):
                return _to_builder(questionnaire, f"#section-{values['key']}")
    earlier = condition_menus.questions_before_section(definition, key)
    return render_form(
        "questionnaires/section.html",
        form,
        questionnaire=questionnaire,
        section=current,
        menus=condition_menus.section_menus(earlier, form.condition.data),
    )


@bp.route("/<int:form_id>/questions/new", methods=["GET", "POST"])
@bp.route("/<int:form_id>/questions/<key>", methods=["GET", "POST"])
@staff_required
def question(form_id, key=None):
    questionnaire = services.get_editable(current_user, form_id)
    definition = version_definition(questionnaire.latest)
    section_key = request.args.get("section") or definition["sections"][-1]["key"]
    current = builder.find_question(definition, key) if key else None
    initial = (
        textformat.fields_from_question(current)
        if current
        else {"type": request.args.get("type", "text")}
    )
    form = QuestionForm(data=initial)
    frozen = _freeze_key(form, questionnaire, key)
    if form.validate_on_submit():
        label = form.label.data or str(TYPE_LABELS[form.type.data])
        fields = {
            **form.data,
            "key": builder.chosen_key(definition, form.key.data, label, key, frozen),
        }
        try:
            values = textformat.question_from_fields(fields, current)
        except DomainError as error:
            attach_error(form, error)
        else:
            if _apply(questionnaire, _question_edit(key, section_key, values), form):
                _say_left_behind(current, values)
                return _to_builder(questionnaire, f"#question-{values['key']}")
    earlier = condition_menus.earlier_questions(definition, key, section_key)
    return render_form(
        "questionnaires/question.html",
        form,
        questionnaire=questionnaire,
        question=current,
        section_key=section_key,
        earlier=earlier,
        menus=condition_menus.question_menus(earlier, form.data),
        bounds=logic_summary.bounds(form.type.data, form.min.data, form.max.data),
        phrases=logic_summary.all_phrases(),
        measures=logic_summary.measures(),
        key_rules=keys.rules(builder.all_keys(definition) - {key}),
    )


def _freeze_key(form, questionnaire, key: str | None) -> set[str]:
    """Makes the key field read-only, with a note, when a published version uses the key."""
    frozen = services.published_keys(questionnaire)
    if key in frozen:
        form.key.render_kw = {"readonly": True}
        form.key.description = KEY_FROZEN
    return frozen


def _question_edit(key: str | None, section_key: str, values: dict):
    if key is None:
        return lambda d: builder.add_question(d, section_key, values)
    shown = textformat.form_keys(values["type"])
    return lambda d: builder.update_question(d, key, values, shown, textformat.COLUMN_FORM_KEYS)


def _say_left_behind(current: dict | None, values: dict) -> None:
    shown = textformat.form_keys(values["type"])
    names = builder.left_behind(current or {}, values["type"], shown)
    if names:
        flash(
            _(
                "The new type has no use for these settings, so they are removed: %(names)s.",
                names=", ".join(names),
            ),
            "warning",
        )


@bp.get("/<int:form_id>/formula-check")
@staff_required
def formula_check(form_id):
    """Why the formula typed so far would be refused, for the question page as it is typed."""
    questionnaire = services.get_editable(current_user, form_id)
    definition = version_definition(questionnaire.latest)
    key, section_key = request.args.get("question"), request.args.get("section")
    earlier = condition_menus.earlier_questions(definition, key, section_key)
    text = request.args.get("text", "")
    return {"problem": condition_menus.formula_problem(text, earlier, definition)}


EDITS = {
    "delete": lambda d, key: builder.remove_question(d, key),
    "up": lambda d, key: builder.move_question(d, key, -1),
    "down": lambda d, key: builder.move_question(d, key, 1),
    "duplicate": lambda d, key: builder.duplicate_question(d, key)[0],
    "section-delete": lambda d, key: builder.remove_section(d, key),
    "section-up": lambda d, key: builder.move_section(d, key, -1),
    "section-down": lambda d, key: builder.move_section(d, key, 1),
}


@bp.post("/<int:form_id>/edit/<action>/<key>")
@staff_required
def edit(form_id, action, key):
    """The small edits behind the builder's buttons: delete, move, duplicate."""
    questionnaire = services.get_editable(current_user, form_id)
    if action not in EDITS:
        abort(404)
    if ActionForm().validate_on_submit():
        _apply(questionnaire, lambda d: EDITS[action](d, key))
    anchor = f"#section-{key}" if action.startswith("section") else f"#question-{key}"
    return _to_builder(questionnaire, "" if action.endswith("delete") else anchor)


@bp.post("/<int:form_id>/publish")
@staff_required
def publish(form_id):
    questionnaire = services.get_editable(current_user, form_id)
    if ActionForm().validate_on_submit():
        try:
            version = services.publish(current_user, questionnaire)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(
                _(
                    "Version %(number)s is published; it can be sent to schools.",
                    number=version.number,
                ),
                "success",
            )
    return _to_builder(questionnaire)


@bp.post("/<int:form_id>/copy")
@staff_required
def copy(form_id):
    questionnaire = services.get_visible(current_user, form_id)
    if ActionForm().validate_on_submit():
        created = services.copy_form(current_user, questionnaire)
        db.session.commit()
        flash(_("The copy is a new draft form."), "success")
        return _to_builder(created)
    return _to_builder(questionnaire)


@bp.post("/<int:form_id>/archive")
@staff_required
def archive(form_id):
    questionnaire = services.get_editable(current_user, form_id)
    if ActionForm().validate_on_submit():
        services.set_archived(current_user, questionnaire, not questionnaire.is_archived)
        db.session.commit()
    return _to_builder(questionnaire)


@bp.get("/<int:form_id>/export.<fmt>")
@staff_required
def export(form_id, fmt):
    questionnaire = services.get_visible(current_user, form_id)
    if fmt not in files.FORMATS:
        abort(404)
    data, mimetype = files.dump(version_definition(questionnaire.latest), fmt)
    name = f"{questionnaire.slug or 'form'}-{questionnaire.id}-v{questionnaire.latest.number}.{fmt}"
    return send_download(io.BytesIO(data), name, mimetype)
