"""Login, passwords, profile, and user administration by district staff."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import api_tokens, imports, services
from app.accounts.models import Role
from app.accounts.session import end_session, start_session
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_required
from app.core.text import fold
from app.core.views import attach_error, import_page, render_form, safe_next, send_xlsx
from app.extensions import db, limiter
from app.organizations import services as organizations
from forms.accounts import (
    ApiTokenForm,
    ChangePasswordForm,
    LoginForm,
    SetPasswordForm,
    UserFilterForm,
    UserForm,
)
from forms.common import ActionForm, choices

bp = Blueprint("accounts", __name__)


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """The account a login is tried for: its id when the login or e-mail names one (so both
    count together), else what was typed."""
    typed = request.form.get("login", "")[:254]
    user = services.find_by_login(typed)
    return f"login-account:{user.id}" if user else "login:" + fold(typed)


def _failed(response) -> bool:
    """A login that did not succeed; a refusal by the throttle itself (429) is not counted, so
    that an address shut out cannot go on filling an account's count."""
    return response.status_code not in (302, 429)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    """Failed logins are throttled twice (a refusal is a 429 with ``Retry-After``, telling when
    to try again):

    - by address, ``LOGIN_RATE_LIMIT`` (10 a minute): whatever accounts one address tries, so
      it also bounds the failures on each (account, address) pair;
    - by account across all addresses, ``LOGIN_ACCOUNT_RATE_LIMIT`` (30 a minute), looser.

    The trade-off: the account limit is what stops guessing one password from many addresses
    (at most 30 tries a minute), and it is also the only way someone else can lock the owner
    out. Being looser than the address limit, no single address can reach it: locking an
    account takes at least three addresses failing on it together, and the lock lasts only to
    the end of the minute after they stop. A tighter account limit would slow distributed
    guessing more but let one attacker lock every known account in turn; against guessing the
    password policy (12 characters or more, no common passwords) does the rest.
    """
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(
            form.login.data, form.password.data, request.remote_addr, form.remember.data
        )
        db.session.commit()
        if user is not None:
            start_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        form.password.errors = [_("Wrong login or password, or the account is deactivated.")]
    return render_form("accounts/login.html", form)


@bp.post("/logout")
@login_required
def logout():
    """Ends this device's login; the user's other devices stay logged in."""
    end_session()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """Ends every login of the user, on every device, remembered ones included."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("accounts.profile"))
    end_session(everywhere=True)
    flash(_("You have logged out on all devices."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token):
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password_with_token(token, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The password is set. Log in with your login and the new password."), "success")
            return redirect(url_for("accounts.login"))
    return render_form("accounts/set_password.html", form, token=token)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            start_session(current_user._get_current_object(), remember=False)
            flash(_("The password is changed. Your other sessions have ended."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/profile.html", form)


@bp.get("/users/")
@staff_required
def users():
    filters = UserFilterForm(request.args)
    filters.validate()
    page = paginate(
        services.search(
            current_user,
            text=filters.q.data or "",
            role=filters.role.data if not filters.role.errors else "",
            status=filters.status.data if not filters.status.errors else "",
        )
    )
    return render_template("accounts/users.html", page=page, filters=filters)


def _user_form(obj=None) -> UserForm:
    form = UserForm(obj=obj)
    form.organization_id.choices = choices(
        (organization.id, organization.name)
        for organization in db.session.scalars(organizations.search(current_user))
    )
    return form


@bp.route("/users/new", methods=["GET", "POST"])
@staff_required
def new_user():
    form = _user_form()
    if request.method == "GET":
        form.organization_id.data = request.args.get("organization", type=int)
    if form.validate_on_submit():
        try:
            user = services.create_user(current_user, **_user_fields(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The user is created. Give them the link to set a password."), "success")
            return redirect(url_for("accounts.user_detail", user_id=user.id))
    return render_form("accounts/user_form.html", form, user=None)


def _user_fields(form: UserForm) -> dict:
    return {
        "username": form.username.data,
        "full_name": form.full_name.data,
        "email": form.email.data,
        "role": Role(form.role.data),
        "organization": organizations.get_visible(current_user, form.organization_id.data),
    }


@bp.get("/users/<int:user_id>")
@staff_required
def user_detail(user_id):
    user = services.get_manageable(current_user, user_id)
    link = expires = None
    if not user.has_password and user.active:
        token, expires = services.set_password_link(user)
        link = url_for("accounts.set_password", token=token, _external=True)
    return render_template(
        "accounts/user_detail.html", user=user, link=link, expires=expires, action=ActionForm()
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_user(user_id):
    user = services.get_manageable(current_user, user_id)
    form = _user_form(obj=user)
    if form.validate_on_submit():
        try:
            services.update_user(current_user, user, **_user_fields(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for("accounts.user_detail", user_id=user.id))
    return render_form("accounts/user_form.html", form, user=user)


def _user_action(user_id, action, message):
    user = services.get_manageable(current_user, user_id)
    if ActionForm().validate_on_submit():
        try:
            action(user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(url_for("accounts.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@staff_required
def deactivate_user(user_id):
    return _user_action(
        user_id,
        lambda user: services.set_active(current_user, user, False),
        _("The user is deactivated and can no longer log in."),
    )


@bp.post("/users/<int:user_id>/activate")
@staff_required
def activate_user(user_id):
    return _user_action(
        user_id,
        lambda user: services.set_active(current_user, user, True),
        _("The user is active again."),
    )


@bp.post("/users/<int:user_id>/reset-password")
@staff_required
def reset_password(user_id):
    return _user_action(
        user_id,
        lambda user: services.reset_password(current_user, user),
        _("The password is removed. Give the user the new link to set a password."),
    )


@bp.route("/users/import", methods=["GET", "POST"])
@staff_required
def import_users():
    def show_links(users):
        links = [(user, *services.set_password_link(user)) for user in users]
        return render_template("accounts/import_done.html", links=links)

    return import_page(
        "accounts/import.html",
        lambda stream: imports.import_users(current_user, stream),
        show_links,
    )


@bp.get("/users/import/template.xlsx")
@staff_required
def import_users_template():
    return send_xlsx(imports.template(), "users-template.xlsx")


@bp.post("/profile/tokens")
@login_required
def create_api_token():
    """The secret is shown in this one answer, never put in the session or a flash message."""
    if not api_tokens.can_use_api(current_user):
        abort(403)
    form = ApiTokenForm()
    if form.validate_on_submit():
        token, secret = api_tokens.create_token(current_user, form.name.data)
        db.session.commit()
        return render_template("accounts/api_token.html", token=token, secret=secret)
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "danger")
    return redirect(url_for("accounts.profile") + "#api-tokens")


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id):
    if ActionForm().validate_on_submit():
        token = api_tokens.revoke_token(current_user, token_id)
        db.session.commit()
        flash(_("The token «%(name)s» is revoked.", name=token.name), "success")
    return redirect(url_for("accounts.profile") + "#api-tokens")
