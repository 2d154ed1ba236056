"""The contest's documents: the jury protocol (.docx, .xlsx) and the certificates (.docx), for
staff and observers of the contest and for the chair of its jury (see app.contests.documents);
the thank-you letters to the jury (.docx), for the contest's staff."""

import io

from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.contests import documents, services, standings
from app.contests.documents.certificates import write_certificates, write_juror_letters
from app.contests.documents.protocol_docx import write_protocol_docx
from app.contests.documents.protocol_xlsx import write_protocol_xlsx
from app.contests.views import bp
from app.core.errors import Conflict
from app.core.uploads import send_download
from app.core.views import DOCX_MIMETYPE, XLSX_MIMETYPE


def _send(write, mimetype: str, name: str):
    buffer = io.BytesIO()
    write(buffer)
    buffer.seek(0)
    return send_download(buffer, name, mimetype)


@bp.get("/contests/<int:contest_id>/protocol.docx")
@login_required
def protocol_docx(contest_id):
    contest = standings.get_for_results(current_user, contest_id)
    protocol = documents.protocol(current_user, contest)
    return _send(
        lambda target: write_protocol_docx(protocol, target),
        DOCX_MIMETYPE,
        f"protocol-{contest.id}.docx",
    )


@bp.get("/contests/<int:contest_id>/protocol.xlsx")
@login_required
def protocol_xlsx(contest_id):
    contest = standings.get_for_results(current_user, contest_id)
    protocol = documents.protocol(current_user, contest)
    return _send(
        lambda target: write_protocol_xlsx(protocol, target),
        XLSX_MIMETYPE,
        f"protocol-{contest.id}.xlsx",
    )


@bp.get("/contests/<int:contest_id>/certificates.docx")
@login_required
def certificates(contest_id):
    contest = standings.get_for_results(current_user, contest_id)
    awards = documents.awards(current_user, contest)
    return _send(
        lambda target: write_certificates(contest, awards, target),
        DOCX_MIMETYPE,
        f"certificates-{contest.id}.docx",
    )


@bp.get("/contests/<int:contest_id>/jury-letters.docx")
@login_required
def jury_letters(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    if not contest.jurors:
        raise Conflict(_l("The contest has no jury to thank yet."))
    return _send(
        lambda target: write_juror_letters(contest, target),
        DOCX_MIMETYPE,
        f"jury-letters-{contest.id}.docx",
    )
