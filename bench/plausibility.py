"""The plausibility checks of the bench campaign, timed in a fresh process against plain SQL:

    python -m bench.plausibility --database URL [--repeat 3]

``suspects(admin, campaign)`` with the two indicators of bench.spravka added (rolled back
afterwards), alternated with the yardstick: one hand-written statement fetching the same
answer values (every number of the numeric questions and of the tables' cells of the counted
responses). Prints one JSON line: the fastest of each, their ratio, and the suspects found
with a digest of them, so that two versions of the checks can be compared for equal results."""

import hashlib

import sqlalchemy as sa

from app.extensions import db
from app.questionnaires.definition import reported_definition
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports.plausibility import suspects
from bench.baseline import SCOPE
from bench.generate import make_app, read_meta
from bench.measure import Clock, _load, peak_mb
from bench.spravka import _add_indicators, command

GOAL_SECONDS = 2
VALUES = (
    "SELECT a.response_id, a.question_key, a.row_index, a.part, a.value_number"
    + SCOPE
    + "AND a.value_number IS NOT NULL"
)


def _yardstick(viewer, campaign) -> int:
    """Runs the plain statement and fetches its rows; their number."""
    questions = [
        question
        for section in reported_definition(campaign.form_version)["sections"]
        for question in section["questions"]
    ]
    keys = [q["key"] for q in questions if q["type"] in (*NUMERIC_TYPES, "table")]
    statement = sa.text(VALUES).bindparams(sa.bindparam("keys", expanding=True))
    parameters = {"campaign": campaign.id, "prefix": viewer.organization.path + "%", "keys": keys}
    return len(db.session.connection().execute(statement, parameters).all())


def _digest(found: list) -> str:
    text = "\n".join(f"{s.response_id} {s.key} {s.value} {s.reason} {s.label}" for s in found)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def measure(url: str, repeat: int) -> dict:
    meta = read_meta(url)
    app = make_app(url)
    checks, plain = [], []
    with app.app_context(), app.test_request_context():
        for _ in range(repeat):
            viewer, campaign = _load(meta)
            _add_indicators(viewer, campaign)
            with Clock() as clock:
                found = suspects(viewer, campaign)
            checks.append(clock)
            with Clock() as clock:
                rows = _yardstick(viewer, campaign)
            plain.append(clock)
            db.session.rollback()
    best, yardstick = min(c.wall for c in checks), min(c.wall for c in plain)
    return {
        "schools": meta["size"],
        "suspects_s": [round(c.wall, 3) for c in checks],
        "suspects_cpu_s": round(min(c.cpu for c in checks), 3),
        "sql_s": [round(c.wall, 3) for c in plain],
        "ratio": round(best / yardstick, 2),
        "goal_s": GOAL_SECONDS,
        "pass": best < GOAL_SECONDS,
        "values": rows,
        "suspects": len(found),
        "by_kind": _kinds(found),
        "digest": _digest(found),
        "peak_mb": round(peak_mb()),
    }


def _kinds(found: list) -> dict:
    kinds: dict[str, int] = {}
    for suspect in found:
        kind = "indicator" if suspect.key.startswith("indicator:") else "question"
        kind = "cell" if "#" in suspect.key else kind
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def main() -> None:
    command(measure, __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
