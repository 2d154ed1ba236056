"""The demo сборник инновационных практик (roadmap item 14): the winners and prize-winners of
the demo contest's finalized nomination, each with its route and the link to its materials."""

import sqlalchemy as sa

from app.accounts.models import User
from app.compendium import services, sources
from app.compendium.models import Compendium
from app.contests.models import Contest
from app.core.errors import DomainError
from app.demo.contest import TITLE as CONTEST_TITLE
from app.extensions import db

INTRODUCTION = (
    "Сборник представляет опыт педагогов-библиотекарей общеобразовательных организаций "
    "Нюрбинского района, накопленный в ходе образовательной экспедиции «Книжными тропами "
    "Нюрбинского улуса».\n"
    "Материалы адресованы педагогам-библиотекарям, заместителям директоров по учебно-"
    "воспитательной работе и всем, кто развивает школьные информационно-библиотечные центры."
)
SECTION = "Победители и призёры образовательной экспедиции"


def load_compendium(staff: User) -> Compendium | None:
    """Adds the demo сборник unless the district already has one."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Compendium)):
        return None
    contest = db.session.scalar(sa.select(Contest).where(Contest.title == CONTEST_TITLE))
    if contest is None:
        return None
    title = services.default_title(staff.organization)
    compendium = services.create_compendium(staff, services.Settings(title, 2024, INTRODUCTION))
    section = services.add_section(staff, compendium, SECTION)
    try:
        awarded = sources.awarded(contest)
    except DomainError:
        return compendium
    for practice in services.add_entries(staff, compendium, section, awarded):
        printing = services.Printing(annotation_key="summary", authors_key="leader",
                                     answer_keys=("route", "team_size", "link"))  # fmt: skip
        services.set_printing(staff, practice, printing)
    return compendium
