"""A contest entry's draft keeps the server's calculations and read-only values, as a
monitoring response does: what the browser sends for them is never stored."""

import copy

from app.contests import entries as entry_services
from app.core.timefmt import local_today
from app.extensions import db
from tests.contests.factory import APPLICATION, make_contest


def _application() -> dict:
    application = copy.deepcopy(APPLICATION)
    application["sections"][0]["questions"] += [
        {"key": "pages", "type": "integer", "label": "Страниц", "help": "",
         "required": False, "condition": None},
        {"key": "pictures", "type": "integer", "label": "Иллюстраций", "help": "",
         "required": False, "condition": None},
        {"key": "density", "type": "calculate", "label": "Иллюстраций на страницу", "help": "",
         "required": False, "condition": None,
         "calculation": ["op", "div", ["ref", "pictures"], ["ref", "pages"]]},
        {"key": "filled_on", "type": "date", "label": "Дата заполнения", "help": "",
         "required": False, "condition": None, "read_only": True,
         "default": ["call", "today", []]},
    ]  # fmt: skip
    return application


def test_a_draft_stores_the_servers_calculation_and_read_only_default(world):
    judged = make_contest(world, application=_application())
    user = judged.school_user_a2
    entry = entry_services.create_entry(user, judged.contest, judged.first.id, "Книжная полка")
    typed = {"author": "Иванова", "pages": 40, "pictures": 10, "density": "999",
             "filled_on": "2000-01-01"}  # fmt: skip
    entry_services.save_draft(user, entry, typed, entry.revision)
    db.session.commit()
    assert entry.data["density"] == 0.25
    assert entry.data["filled_on"] == local_today().isoformat()

    entry_services.save_draft(user, entry, {**typed, "pictures": 20}, entry.revision)
    db.session.commit()
    assert entry.data["density"] == 0.5
    assert entry.data["filled_on"] == local_today().isoformat()
