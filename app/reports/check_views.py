"""The «Data check» panel's actions on the report page: confirming a suspicious value."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.campaigns import services as campaigns
from app.core.permissions import staff_required
from app.extensions import db
from app.reports import checks
from app.reports.views import bp
from forms.reports import ConfirmValueForm


@bp.post("/campaigns/<int:campaign_id>/checks")
@staff_required
def confirm_value(campaign_id):
    campaign = campaigns.get_visible(current_user, campaign_id)
    form = ConfirmValueForm()
    if not form.validate_on_submit():
        abort(400)
    checks.confirm(current_user, campaign, form.response_id.data, form.key.data)
    db.session.commit()
    flash(_("The value is marked as confirmed by the school."), "success")
    back = url_for("reports.campaign", campaign_id=campaign.id, **request.args.to_dict(flat=False))
    return redirect(back + "#checks")
