"""Import of organizations from an .xlsx file."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.core.errors import DomainError
from app.core.imports import Column, Row, RowProblem, load_rows, read_rows, template_bytes
from app.core.text import fold
from app.organizations import services
from app.organizations.models import KIND_LABELS, OrganizationKind

COLUMNS = [
    Column(
        "name",
        _l("Name"),
        required=True,
        example="МБОУ «Маарская средняя общеобразовательная школа»",
    ),
    Column("short_name", _l("Short name"), example="Маарская СОШ", max_length=120),
    Column("kind", _l("Kind"), example=str(_l("school"))),
    Column("parent_id", _l("Parent organization"), example="МКУ «УОНР»"),
    Column("locality", _l("Locality"), example="с. Маар", max_length=120),
    Column("address", _l("Address"), example="с. Маар, ул. Центральная, 5"),
    Column("phone", _l("Phone"), example="+7 (41134) 2-11-11", max_length=50),
    Column("email", _l("E-mail"), example="maar-school@example.ru", max_length=254),
]

INSTRUCTIONS = [
    _l("Fill the first sheet, one organization per row; keep the header row as it is."),
    _l("Columns marked * are required."),
    _l("Kind: school, district education office, region or other; empty means school."),
    _l(
        "Parent organization: the full or short name of an existing organization or of one "
        "listed above in the same file; empty means your own organization."
    ),
    _l("If any row has an error, nothing is imported and every error is listed."),
]


def template() -> bytes:
    return template_bytes(COLUMNS, INSTRUCTIONS)


def _kind_names() -> dict[str, OrganizationKind]:
    names = {}
    for kind, label in KIND_LABELS.items():
        names[fold(kind.value)] = kind
        names[fold(str(label))] = kind
    names[fold(str(_l("school")))] = OrganizationKind.SCHOOL
    return names


def import_organizations(actor: User, stream) -> list:
    """Creates every organization of the file, or none, raising ``ImportRejected``."""
    rows = read_rows(stream, COLUMNS)
    parents = services.index_by_name(actor)
    kinds = _kind_names()
    seen: dict[tuple, int] = {}

    def load(row: Row):
        values = row.values
        kind = kinds.get(fold(values["kind"])) if values["kind"] else OrganizationKind.SCHOOL
        if kind is None:
            raise DomainError(
                _l('unknown kind of organization "%(value)s"', value=values["kind"]), field="kind"
            )
        parent = (
            parents.get(fold(values["parent_id"])) if values["parent_id"] else actor.organization
        )
        if parent is None:
            raise DomainError(
                _l('no organization "%(value)s" among yours', value=values["parent_id"]),
                field="parent_id",
            )
        key = (parent.id, fold(values["name"]))
        if key in seen:
            row.problems.append(
                RowProblem(
                    row.number,
                    str(COLUMNS[0].header),
                    str(_l("repeats row %(row)s", row=seen[key])),
                )
            )
            return None
        seen[key] = row.number
        fields = {name: values[name] for name in services.EDITABLE_FIELDS if name != "kind"}
        organization = services.create_organization(actor, parent, kind=kind, **fields)
        for name in (organization.name, organization.short_name):
            if name:
                parents.setdefault(fold(name), organization)
        return organization

    organizations = load_rows(rows, COLUMNS, load)
    audit.record_import(
        actor, "organization", _l("%(count)s organizations", count=len(organizations))
    )
    return organizations
