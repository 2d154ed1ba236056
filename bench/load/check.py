"""After the load: every school's submitted answers in the database equal, field by field, what
the load generator sent for that school, and each was submitted exactly once.

    python -m bench.load.check --database URL [--sent /tmp/load-sent.jsonl]
"""

import argparse
import json

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.campaigns.models import Response, ResponseStatus
from app.extensions import db
from app.questionnaires.conditions import to_number
from bench.generate import make_app

NUMBERS = ("integer", "decimal", "scale")


def _same(kind: str, sent, stored) -> bool:
    if kind in NUMBERS:
        return to_number(sent) == to_number(stored) and to_number(sent) is not None
    return sent == stored


def _differences(question: dict, sent, stored) -> list[str]:
    key, kind = question["key"], question["type"]
    if kind == "table":
        if not isinstance(stored, list) or len(stored) != len(sent):
            return [f"{key}: {len(sent)} rows sent, stored {stored!r}"]
        kinds = {column["key"]: column["type"] for column in question["columns"]}
        return [
            f"{key}[{index}].{column}: sent {value!r}, stored {stored[index].get(column)!r}"
            for index, row in enumerate(sent)
            for column, value in row.items()
            if not _same(kinds[column], value, stored[index].get(column))
        ]
    if not _same(kind, sent, stored):
        return [f"{key}: sent {sent!r}, stored {stored!r}"]
    return []


def compare(definition: dict, sent: dict, stored: dict) -> list[str]:
    """The fields where ``stored`` differs from ``sent`` (answers the school did not give must
    not be stored either, except those the form computes or defaults)."""
    questions = {q["key"]: q for s in definition["sections"] for q in s["questions"]}
    found = []
    for key, value in sent.items():
        found += _differences(questions[key], value, stored.get(key))
    extra = [key for key in stored if key not in sent and stored[key] not in (None, "", [], {})]
    found += [f"{key}: not sent, stored {stored[key]!r}" for key in extra]
    return found


def check(url: str, sent_path: str, plan: dict) -> dict:
    with open(sent_path, encoding="utf-8") as handle:
        sent = [json.loads(line) for line in handle]
    app = make_app(url)
    with app.app_context():
        responses = {
            r.id: r
            for r in db.session.scalars(
                sa.select(Response).where(Response.campaign_id == plan["campaign_id"])
            )
        }
        submissions = dict(
            db.session.execute(
                sa.select(AuditEvent.object_id, sa.func.count())
                .where(AuditEvent.action == "submit", AuditEvent.object_type == "response")
                .group_by(AuditEvent.object_id)
            ).all()
        )
        problems = []
        for record in sent:
            response = responses[record["response_id"]]
            if response.status != ResponseStatus.SUBMITTED:
                problems.append(f"{record['username']}: status {response.status.value}")
            if submissions.get(response.id, 0) != 1:
                count = submissions.get(response.id, 0)
                problems.append(f"{record['username']}: submitted {count} times")
            differences = compare(plan["definition"], record["answers"], response.data or {})
            problems += [f"{record['username']}: {difference}" for difference in differences]
        submitted = sum(r.status == ResponseStatus.SUBMITTED for r in responses.values())
        fields = sum(len(record["answers"]) for record in sent)
    return {"schools_sent": len(sent), "submitted_in_database": submitted,
            "fields_compared": fields, "problems": problems}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--sent", default="/tmp/load-sent.jsonl")
    parser.add_argument("--plan", default="/tmp/load-plan.json")
    args = parser.parse_args()
    with open(args.plan, encoding="utf-8") as handle:
        plan = json.load(handle)
    result = check(args.database, args.sent, plan)
    for problem in result["problems"][:50]:
        print("  ", problem)
    print(
        f"{result['schools_sent']} schools sent, {result['submitted_in_database']} submitted in"
        f" the database, {result['fields_compared']} fields compared,"
        f" {len(result['problems'])} differences"
    )


if __name__ == "__main__":
    main()
