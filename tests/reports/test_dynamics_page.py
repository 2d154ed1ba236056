"""The dynamics page writes its figures by the rounding rule and keeps to its readers."""

from tests.conftest import login
from tests.reports.test_dynamics import _two_years


def test_dynamics_figures_are_rounded_as_on_the_report_page(client, world):
    earlier, later = _two_years(world)
    login(client, world.admin_a)
    page = client.get(
        f"/reports/campaigns/{later.id}/dynamics?with={earlier.id}&question=internet_speed"
    ).get_data(as_text=True)
    # the mean of 25,5 is written with one decimal, then and now alike
    assert "<td>10,0</td><td>25,5</td><td>+15,5</td>" in page
    # shares of the respondents: one decimal
    assert "<td>0,0</td><td>100,0</td><td>+100,0</td>" in page
    # school by school: a whole answer has no decimals
    assert "<td>Нюрбинская СОШ №1</td><td>10</td><td>25,5</td><td>+15,5</td>" in page
    assert "25,500000" not in page


def test_dynamics_page_by_role(app, world):
    earlier, later = _two_years(world)
    url = f"/reports/campaigns/{later.id}/dynamics?with={earlier.id}"
    expected = {
        "admin_a": 200,
        "viewer_a": 200,
        "admin_b": 404,
        "school_user_a1": 403,
        "jury_a": 403,
    }
    for role, status in expected.items():
        user_client = app.test_client()
        login(user_client, getattr(world, role))
        assert user_client.get(url).status_code == status, role
