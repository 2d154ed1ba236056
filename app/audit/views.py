"""The audit log page for district staff."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.audit import services
from app.audit.display import describe
from app.audit.labels import ACTION_LABELS, OBJECT_LABELS
from app.core.pagination import paginate
from app.core.permissions import staff_required
from forms.audit import AuditFilterForm

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@staff_required
def index():
    filters = AuditFilterForm(request.args)
    valid = filters.validate()
    query = services.events_query(current_user, **(_filter_values(filters) if valid else {}))
    return render_template(
        "audit/index.html",
        page=paginate(query, per_page=50),
        filters=filters,
        actions=ACTION_LABELS,
        objects=OBJECT_LABELS,
        describe=describe,
    ), (200 if valid else 400)


def _filter_values(filters: AuditFilterForm) -> dict:
    return {
        "action": filters.action.data or "",
        "object_type": filters.object_type.data or "",
        "actor": (filters.actor.data or "").strip(),
        "date_from": filters.date_from.data,
        "date_to": filters.date_to.data,
    }
