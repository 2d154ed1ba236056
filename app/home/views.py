"""The home page: for each role, what needs attention."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.campaigns import services as campaigns
from app.contests import scoring
from app.home import services
from app.notices import services as notices
from forms.common import ActionForm

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    if current_user.role == Role.ADMIN:
        return render_template(
            "home/staff.html",
            summary=services.staff_summary(current_user),
            campaigns=services.open_campaigns(current_user),
            contests=services.active_contests(current_user),
        )
    if current_user.role == Role.VIEWER:
        return render_template("home/viewer.html", summary=services.viewer_summary(current_user))
    if current_user.role == Role.JURY:
        return render_template(
            "home/jury.html",
            notices=notices.unread(current_user),
            rows=scoring.juror_overview(current_user),
            action=ActionForm(),
        )
    return render_template(
        "home/school.html",
        responses=campaigns.school_campaigns(current_user),
        notices=notices.unread(current_user),
        action=ActionForm(),
    )
