"""Visits for district staff: filling a school's questionnaire in its library, also offline."""

from flask import current_app, make_response, request, url_for
from flask_login import current_user

from app.campaigns import responses, visits
from app.campaigns.fill_views import fill_page, save_answers, submit_answers, upload_file
from app.campaigns.views import bp
from app.core.permissions import staff_required
from app.extensions import db

OFFLINE_HEADER = "X-Visit-Offline"  # read by static/js/visit-sw.js: keep the page or forget it


@bp.get("/responses/<int:response_id>/visit")
@staff_required
def visit_page(response_id):
    response = visits.get_visitable(current_user, response_id)
    responses.open_response(current_user, response)
    db.session.commit()
    page = make_response(fill_page(response, request.args.get("lang"), visit=True))
    keep = responses.offered_for_change(current_user, response)
    page.headers[OFFLINE_HEADER] = "keep" if keep else "forget"
    return page


@bp.post("/responses/<int:response_id>/visit/save")
@staff_required
def visit_save(response_id):
    response = visits.get_visitable(current_user, response_id)

    def store(answers, revision):
        day = visits.visit_date(request.form.get("visited_on"))
        return visits.save_visit(current_user, response, answers, revision, day)

    return save_answers(response, store, url_for("campaigns.visit_page", response_id=response.id))


@bp.post("/responses/<int:response_id>/visit/submit")
@staff_required
def visit_submit(response_id):
    response = visits.get_visitable(current_user, response_id)
    return submit_answers(
        response,
        lambda revision: visits.submit_visit(current_user, response, revision),
        "campaigns.visit_page",
    )


@bp.post("/responses/<int:response_id>/visit/files")
@staff_required
def visit_upload(response_id):
    return upload_file(visits.get_visitable(current_user, response_id))


@bp.get("/responses/visit-sw.js")
def visit_worker():
    """The service worker of visit pages, served from here so that its scope is /responses/."""
    reply = current_app.send_static_file("js/visit-sw.js")
    reply.headers["Cache-Control"] = "no-cache"
    return reply
