"""Long exports run in the background on huey: SQLite storage by default, Redis when
``HUEY_URL`` is set. The web process enqueues a job and shows its progress; a worker
(``huey_consumer app.reports.jobs.huey``) writes the file into ``instance/exports``.

A job's state lives in huey's own key-value storage, so web processes and workers on other
machines share it through Redis exactly as they share the queue.
"""

import os
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import RedisHuey, SqliteHuey

from app.core.views import DOCX_MIMETYPE
from app.reports.exports.runner import export_file

ROOT = Path(__file__).resolve().parent.parent.parent
FORMATS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "summary": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("docx", DOCX_MIMETYPE),
}


NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|]')  # characters a Windows file name cannot hold
# What each file holds, after the monitoring's title in its name.
CONTENTS = {
    "xlsx": _l("answers"),
    "summary": _l("summary"),
    "docx": _l("analytical report"),
}


def file_name(title: str, fmt: str) -> str:
    """«Готовность библиотек к ИБЦ — 2024 — ответы.xlsx»: the name a person files it under."""
    extension, _mimetype = FORMATS[fmt]
    return f"{NOT_IN_NAMES.sub('-', title)} — {CONTENTS[fmt]}.{extension}"


def _make_huey():
    url = os.environ.get("HUEY_URL", "")
    if url.startswith("redis://"):
        return RedisHuey("school-libraries", url=url)
    folder = ROOT / "instance"
    folder.mkdir(exist_ok=True)
    return SqliteHuey("school-libraries", filename=str(folder / "huey.db"))


huey = _make_huey()


def export_folder() -> Path:
    folder = ROOT / "instance" / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _key(job_id: str) -> str:
    return f"export:{job_id}"


def job_state(job_id: str) -> dict | None:
    return huey.get(_key(job_id), peek=True)


def _save_state(job_id: str, state: dict) -> None:
    huey.get(_key(job_id))
    huey.put(_key(job_id), state)


def start_export(
    user_id: int,
    campaign_id: int,
    fmt: str,
    report_filter: dict,
    compare: str = "",
    language: str = "",
) -> str:
    """Queues an export and returns its id; ``report_filter`` holds ReportFilter's fields,
    ``compare`` the choice of the monitoring to compare with (``dynamics.previous_campaign``)."""
    job_id = secrets.token_hex(12)
    extension, _ = FORMATS[fmt]
    _save_state(
        job_id,
        {
            "user_id": user_id,
            "campaign_id": campaign_id,
            "format": fmt,
            "filter": report_filter,
            "compare": compare,
            "language": language,
            "status": "queued",
            "done": 0,
            "total": 0,
            "file": f"{job_id}.{extension}",
            "error": "",
        },
    )
    run_export(job_id)
    return job_id


def _progress(job_id: str):
    def report(done: int, total: int) -> None:
        state = job_state(job_id) or {}
        _save_state(job_id, {**state, "status": "running", "done": done, "total": total})

    return report


@huey.task()
def run_export(job_id: str) -> None:
    state = job_state(job_id)
    _save_state(job_id, {**state, "status": "running"})
    try:
        with _app().app_context():
            export_file(
                state["user_id"],
                state["campaign_id"],
                state["format"],
                state["filter"],
                export_folder() / state["file"],
                _progress(job_id),
                state.get("compare", ""),
                state.get("language", ""),
            )
    except Exception as error:  # the job page must say it failed, whatever the cause
        _save_state(job_id, {**job_state(job_id), "status": "failed", "error": str(error)})
        raise
    _save_state(job_id, {**job_state(job_id), "status": "done"})


@huey.task()
def refresh_reports(campaign_id: int) -> None:
    """Recomputes a campaign's cached report figures that its new answers made old."""
    from app.reports import cache

    with _app().app_context():
        cache.refresh(campaign_id)


@huey.task()
def compute_report_figures(campaign_id: int, viewer_id: int, fields_: dict, key: str) -> None:
    """Computes the figures of the first view of a large campaign's filter."""
    from app.reports import first_view

    with _app().app_context():
        first_view.compute(campaign_id, viewer_id, fields_, key)


_apps = {}


def _app():
    """The Flask app of this worker process (created once), or the one already running.

    ``create_app`` is imported here because the app's views import this module.
    """
    try:
        return current_app._get_current_object()
    except RuntimeError:
        if "app" not in _apps:
            from app import create_app

            _apps["app"] = create_app()
        return _apps["app"]
