"""``flask forms import`` and ``forms export`` with the XLSForm features of issue 10: what is
imported is stored, and exported again as a workbook pyxform converts and that reads back the
same."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.questionnaires.models import Form
from tests.questionnaires.test_xlsform import pyxform_converts, read, refusal
from tests.questionnaires.test_xlsform_fixtures import FIXTURES

STORED = [
    "calculate_chain.xlsx",
    "cascading_selects.xlsx",
    "defaults.xlsx",
    "groups_and_repeats.xlsx",
    "matrix_table_list.xlsx",
    "repeat_count_from_answer.xlsx",
    "required_and_relevant_expressions.xlsx",
    "strict_bounds.xlsx",
    "or_other.xlsx",
    "read_only_values.xlsx",
]


@pytest.mark.parametrize("name", STORED)
def test_an_imported_form_is_stored_and_exported_as_it_was_read(app, world, tmp_path, name):
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["forms", "import", str(FIXTURES / name), "--owner", "admin-a"])
    assert imported.exit_code == 0, imported.output
    exported = tmp_path / "exported.xlsx"
    result = runner.invoke(args=["forms", "export", imported.output.strip(), str(exported)])
    assert result.exit_code == 0, result.output
    pyxform_converts(exported.read_bytes(), tmp_path)
    assert read(exported.read_bytes()) == read((FIXTURES / name).read_bytes())


def test_a_refused_form_is_not_stored_and_the_refusal_names_row_and_column(app, world):
    name = FIXTURES / "pulldata.xlsx"
    result = app.test_cli_runner().invoke(args=["forms", "import", str(name), "--owner", "admin-a"])
    assert result.exit_code != 0
    assert refusal(name.read_bytes()) in result.output
    assert "pulldata()" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Form)) == 0
