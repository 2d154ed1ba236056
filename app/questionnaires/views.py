"""The questionnaire builder for district staff."""

import io
import re

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
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
from app.core.security import allow_same_origin_frame
from app.core.uploads import send_download
from app.core.views import attach_error, form_status, render_form
from app.extensions import db
from app.questionnaires import (
    builder,
    condition_menus,
    files,
    fill_html,
    keys,
    languages,
    logic_summary,
    logic_words,
    services,
    textformat,
    undo,
)
from app.questionnaires.definition import section_name, version_definition
from app.questionnaires.form_problems import form_problems
from app.questionnaires.relevant import to_relevant
from app.questionnaires.spec import COLUMN_TYPES
from app.questionnaires.texts import answer_words, fill_in
from forms.common import ActionForm
from forms.questionnaires import (
    KEY_FROZEN,
    TYPE_ICONS,
    TYPE_LABELS,
    FormImportForm,
    FormMetaForm,
    QuestionForm,
    SectionForm,
)

bp = Blueprint("questionnaires", __name__, url_prefix="/forms")
bp.add_app_template_global(fill_in)
bp.add_app_template_global(answer_words)
bp.add_app_template_global(fill_html.question, "question")
bp.add_app_template_global(fill_html.questions, "questions")
bp.add_app_template_global(section_name)
bp.add_app_template_global(logic_words.named, "named")
bp.add_app_template_global(logic_words.shown_if, "shown_if")


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
    return _builder(services.get_visible(current_user, form_id))


def _htmx() -> bool:
    """The request comes from the builder page's htmx, which swaps the builder in place."""
    return request.headers.get("HX-Request") == "true"


def _builder(questionnaire, status=200, *, editor=None, focus="", undo_token="", **editor_context):
    """The builder page: the form's sections and questions, with at most one question or
    section open in its editor where it stands (``editor``), the element to bring into view
    after an edit (``focus``) and the «Отменить» of a deletion (``undo_token``)."""
    version = questionnaire.latest
    definition = version_definition(version)
    can_edit = services.can_edit(current_user, questionnaire)
    page = render_template(
        "questionnaires/detail.html",
        questionnaire=questionnaire,
        version=version,
        definition=definition,
        action=ActionForm(),
        can_edit=can_edit,
        problems=form_problems(definition) if can_edit and version.is_draft else [],
        to_relevant=to_relevant,
        type_labels=TYPE_LABELS,
        type_icons=TYPE_ICONS,
        badges=logic_summary.badges,
        column_badges=logic_summary.column_badges,
        editor=editor,
        focus=focus,
        undo_token=undo_token,
        **editor_context,
    )
    return page, status


def _saved(questionnaire, focus="", undo_token=""):
    """After a change: the builder with it, in place for htmx (at the builder's own address,
    telling the preview to reload), else by a redirect."""
    if not _htmx():
        return _to_builder(questionnaire, f"#{focus}" if focus else "")
    response = make_response(_builder(questionnaire, focus=focus, undo_token=undo_token))
    response.headers["HX-Push-Url"] = url_for("questionnaires.detail", form_id=questionnaire.id)
    response.headers["HX-Trigger"] = "form-changed"
    return response


@bp.get("/<int:form_id>/preview")
@staff_required
def preview(form_id):
    questionnaire = services.get_visible(current_user, form_id)
    form = version_definition(questionnaire.latest)
    definition, language = languages.shown_form(form, request.args.get("lang"))
    embedded = request.args.get("embed") == "1"
    response = make_response(
        render_template(
            "questionnaires/preview.html",
            questionnaire=questionnaire,
            definition=definition,
            languages=languages.language_names(form),
            language=language,
            embedded=embedded,
        )
    )
    return allow_same_origin_frame(response) if embedded else response


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


def _apply(questionnaire, edit, form=None) -> DomainError | None:
    """Runs a builder edit; a refusal goes beside the field or into a flash message and is
    returned."""
    try:
        services.change_definition(current_user, questionnaire, edit)
    except DomainError as error:
        db.session.rollback()
        if form is None:
            flash(str(error.message), "danger")
        else:
            attach_error(form, DomainError(error.message, error.field or _field_of(error)))
        return error
    db.session.commit()
    return None


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
    """The builder with a section's editor open in its place (a new one at the end)."""
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
            if _apply(questionnaire, edit, form) is None:
                return _saved(questionnaire, f"section-{values['key']}")
    earlier = condition_menus.questions_before_section(definition, key)
    return _builder(
        questionnaire,
        form_status(form),
        editor={"kind": "section", "key": key},
        focus="section-editor",
        form=form,
        section=current,
        editor_url=url_for("questionnaires.section", form_id=form_id, key=key),
        menus=condition_menus.section_menus(earlier, form.condition.data),
    )


@bp.route("/<int:form_id>/questions/new", methods=["GET", "POST"])
@bp.route("/<int:form_id>/questions/<key>", methods=["GET", "POST"])
@staff_required
def question(form_id, key=None):
    """The builder with a question's editor open in its place; a new question's editor stands
    where it will be added: after the question ``after`` of ``section`` (at the top for an
    empty ``after``, at the end without one)."""
    questionnaire = services.get_editable(current_user, form_id)
    definition = version_definition(questionnaire.latest)
    section_key = request.args.get("section") or definition["sections"][-1]["key"]
    after = request.args.get("after")
    current = builder.find_question(definition, key) if key else None
    initial = (
        textformat.fields_from_question(current)
        if current
        else {"type": request.args.get("type", "text")}
    )
    form = QuestionForm(data=initial)
    frozen = _freeze_key(form, questionnaire, key)
    sharing = builder.sharing_choices(definition, key)
    if form.validate_on_submit():
        shared = [q["key"] for q in sharing] if form.choices_everywhere.data else []
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
            edit = _question_edit(key, section_key, after, values, shared)
            if _apply(questionnaire, edit, form) is None:
                _say_left_behind(current, values)
                return _saved(questionnaire, f"question-{values['key']}")
    earlier = condition_menus.earlier_questions(definition, key, section_key, after)
    return _builder(
        questionnaire,
        form_status(form),
        editor={"kind": "question", "key": key, "section": section_key, "after": after},
        focus="question-editor",
        form=form,
        question=current,
        section_key=section_key,
        editor_url=url_for(
            "questionnaires.question", form_id=form_id, key=key, section=section_key, after=after
        ),
        earlier=earlier,
        menus=condition_menus.question_menus(earlier, form.data),
        bounds=logic_summary.bounds(form.type.data, form.min.data, form.max.data),
        phrases=logic_summary.all_phrases(),
        measures=logic_summary.measures(),
        key_rules=keys.rules(builder.all_keys(definition) - {key}),
        column_types=[(kind, str(TYPE_LABELS[kind])) for kind in COLUMN_TYPES],
        sharing=sharing,
        choice_lists=builder.choice_lists(definition, key),
    )


def _freeze_key(form, questionnaire, key: str | None) -> set[str]:
    """Makes the key field read-only, with a note, when a published version uses the key."""
    frozen = services.published_keys(questionnaire)
    if key in frozen:
        form.key.render_kw = {"readonly": True}
        form.key.description = KEY_FROZEN
    return frozen


def _question_edit(
    key: str | None, section_key: str, after: str | None, values: dict, shared: list[str]
):
    """The edit saving the question makes; ``shared``: other questions given its options."""
    if key is None:
        return lambda d: builder.add_question(d, section_key, values, after)
    shown = textformat.form_keys(values["type"])

    def edit(definition: dict) -> dict:
        changed = builder.update_question(
            definition, key, values, shown, textformat.COLUMN_FORM_KEYS
        )
        if shared and "choices" in values:
            return builder.share_choices(changed, shared, values["choices"])
        return changed

    return edit


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
    after = request.args.get("after")
    earlier = condition_menus.earlier_questions(definition, key, section_key, after)
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
DELETED = {"delete": "question", "section-delete": "section"}


@bp.post("/<int:form_id>/edit/<action>/<key>")
@staff_required
def edit(form_id, action, key):
    """The small edits behind the builder's menus: delete (with «Отменить»), move, duplicate."""
    questionnaire = services.get_editable(current_user, form_id)
    if action not in EDITS:
        abort(404)
    if not ActionForm().validate_on_submit():
        return _builder(questionnaire, 400)
    kind = DELETED.get(action)
    definition = version_definition(questionnaire.latest)
    try:
        removed = builder.removal(definition, kind, key) if kind else None
    except DomainError as error:
        flash(str(error.message), "danger")
        return _builder(questionnaire, error.status_code)
    refusal = _apply(questionnaire, lambda d: EDITS[action](d, key))
    if refusal:
        return _builder(questionnaire, refusal.status_code)
    if removed:
        if not _htmx():
            flash(_("Deleted."), "success")
        return _saved(questionnaire, "undo", undo.token_for(questionnaire.id, removed))
    prefix = "section" if action.startswith("section") else "question"
    moved = key if action != "duplicate" else _copy_key(questionnaire, key)
    return _saved(questionnaire, f"{prefix}-{moved}")


def _copy_key(questionnaire, key: str) -> str:
    """The key of the copy a duplication placed right after the question ``key``."""
    for section in version_definition(questionnaire.latest)["sections"]:
        keys = [question["key"] for question in section["questions"]]
        if key in keys and keys.index(key) + 1 < len(keys):
            return keys[keys.index(key) + 1]
    return key


@bp.post("/<int:form_id>/order")
@staff_required
def order(form_id):
    """Drag and drop: the sections and questions in the order the page sends."""
    questionnaire = services.get_editable(current_user, form_id)
    if not ActionForm().validate_on_submit():
        return _builder(questionnaire, 400)
    try:
        layout = builder.layout_from_text(request.form.get("layout", ""))
    except DomainError as error:
        flash(str(error.message), "danger")
        return _builder(questionnaire, error.status_code)
    refusal = _apply(questionnaire, lambda d: builder.reorder(d, layout))
    if refusal:
        return _builder(questionnaire, refusal.status_code)
    return _saved(questionnaire, request.form.get("moved", ""))


@bp.post("/<int:form_id>/undo")
@staff_required
def undo_deletion(form_id):
    """«Отменить»: puts a deleted question or section back where it stood."""
    questionnaire = services.get_editable(current_user, form_id)
    if not ActionForm().validate_on_submit():
        return _builder(questionnaire, 400)
    try:
        removed = undo.removed_from(request.form.get("token", ""), questionnaire.id)
    except DomainError as error:
        flash(str(error.message), "danger")
        return _builder(questionnaire, error.status_code)
    refusal = _apply(questionnaire, lambda d: builder.restore(d, removed))
    if refusal:
        return _builder(questionnaire, refusal.status_code)
    return _saved(questionnaire, f"{removed['kind']}-{removed['item']['key']}")


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
