"""Import of user accounts from an .xlsx file."""

from flask_babel import lazy_gettext as _l

from app.accounts import services
from app.accounts.models import ROLE_LABELS, Role, User
from app.audit import services as audit
from app.core.errors import DomainError
from app.core.imports import Column, Row, RowProblem, load_rows, read_rows, template_bytes
from app.core.text import fold
from app.organizations import services as organizations

COLUMNS = [
    Column("username", _l("Login"), required=True, example="maar01", max_length=80),
    Column(
        "full_name",
        _l("Full name"),
        required=True,
        example="Иванова Сардаана Петровна",
        max_length=200,
    ),
    Column("email", _l("E-mail"), example="ivanova@example.ru", max_length=254),
    Column("role", _l("Role"), example=str(_l("school"))),
    Column("organization_id", _l("Organization"), required=True, example="Маарская СОШ"),
]

INSTRUCTIONS = [
    _l("Fill the first sheet, one user per row; keep the header row as it is."),
    _l("Columns marked * are required."),
    _l("Role: school, administrator, jury or observer; empty means school."),
    _l("Organization: the full or short name of one of your organizations."),
    _l("After the import each user gets a link to set their own password."),
    _l("If any row has an error, nothing is imported and every error is listed."),
]

ROLE_WORDS = {
    "school": Role.SCHOOL,
    "школа": Role.SCHOOL,
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
    "администратор": Role.ADMIN,
    "jury": Role.JURY,
    "жюри": Role.JURY,
    "эксперт": Role.JURY,
    "viewer": Role.VIEWER,
    "observer": Role.VIEWER,
    "наблюдатель": Role.VIEWER,
}


def template() -> bytes:
    return template_bytes(COLUMNS, INSTRUCTIONS)


def _role(text: str) -> Role | None:
    if not text:
        return Role.SCHOOL
    labels = {fold(str(label)): role for role, label in ROLE_LABELS.items()}
    return ROLE_WORDS.get(fold(text)) or labels.get(fold(text))


def import_users(actor: User, stream) -> list[User]:
    """Creates every account of the file, or none, raising ``ImportRejected``."""
    rows = read_rows(stream, COLUMNS)
    organization_index = organizations.index_by_name(actor)
    seen: dict[tuple[str, str], int] = {}

    def load(row: Row):
        values = row.values
        role = _role(values["role"])
        if role is None:
            raise DomainError(_l('unknown role "%(value)s"', value=values["role"]), field="role")
        organization = organization_index.get(fold(values["organization_id"]))
        if organization is None:
            raise DomainError(
                _l('no organization "%(value)s" among yours', value=values["organization_id"]),
                field="organization_id",
            )
        for name, header in (("username", COLUMNS[0].header), ("email", COLUMNS[2].header)):
            key = fold(values[name])
            if key and (name, key) in seen:
                row.problems.append(
                    RowProblem(
                        row.number, str(header), str(_l("repeats row %(row)s", row=seen[name, key]))
                    )
                )
            elif key:
                seen[name, key] = row.number
        if row.problems:
            return None
        return services.create_user(
            actor,
            username=values["username"],
            full_name=values["full_name"],
            email=values["email"],
            role=role,
            organization=organization,
        )

    users = load_rows(rows, COLUMNS, load)
    audit.record_import(actor, "user", _l("%(count)s users", count=len(users)))
    return users
