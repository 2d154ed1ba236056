"""The «Проверка данных» panel of the report page and its actions, for every role."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from lxml import html

from app.extensions import db
from app.reports.models import CheckedValue, Indicator
from app.reports.plausibility import Suspect
from tests.monitoring import make_campaign, make_form
from tests.suspicious import make_suspicious


def _panel(client, campaign):
    reply = client.get(f"/reports/campaigns/{campaign.id}")
    assert reply.status_code == 200
    return html.fromstring(reply.get_data(as_text=True)).get_element_by_id("checks")


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _links(element) -> dict[str, str]:
    return {_text(a): a.get("href") for a in element.iter("a")}


def _confirm(client, campaign, response, key="pupils"):
    return client.post(
        f"/reports/campaigns/{campaign.id}/checks", data={"response_id": response.id, "key": key}
    )


def test_staff_see_each_suspicious_value_with_its_school_and_actions(world, as_user):
    data = make_suspicious(world)
    panel = _panel(as_user(world.admin_a), data.campaign)
    assert _text(panel.find("h2")) == "Проверка данных 1"
    item = panel.find(".//li")
    text = _text(item)
    assert "Нюрбинская СОШ №1 · Число обучающихся: 2 000" in text
    assert "в 10 раз больше медианы по школам (203)" in text
    assert "pupils" not in text
    links = _links(item)
    assert links["Открыть ответ"] == f"/responses/{data.responses['a1'].id}/review"
    returned = urlsplit(links["Вернуть на доработку"])
    assert returned.fragment == "return-form"
    assert parse_qs(returned.query)["comment"] == [
        "Проверьте ответ на вопрос «Число обучающихся»: 2\u00a0000 — в 10 раз больше медианы по "
        "школам (203). Исправьте его или подтвердите."
    ]
    assert [_text(b) for b in item.iter("button")] == ["Подтверждено школой"]


def test_the_return_link_opens_the_review_with_the_comment_filled_in(world, as_user):
    data = make_suspicious(world)
    client = as_user(world.admin_a)
    href = _links(_panel(client, data.campaign))["Вернуть на доработку"]
    page = html.fromstring(client.get(href).get_data(as_text=True))
    comment = page.get_element_by_id("return-form").find(".//textarea[@name='comment']").text
    assert comment.strip().startswith("Проверьте ответ на вопрос «Число обучающихся»: 2\u00a0000")


def test_staff_confirm_a_value_and_it_moves_to_the_checked_list(world, as_user):
    data = make_suspicious(world)
    client = as_user(world.admin_a)
    reply = client.post(
        f"/reports/campaigns/{data.campaign.id}/checks?status=submitted&status=accepted",
        data={"response_id": data.responses["a1"].id, "key": "pupils"},
    )
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith(
        f"/reports/campaigns/{data.campaign.id}?status=submitted&status=accepted#checks"
    )
    panel = _panel(client, data.campaign)
    assert _text(panel.find("h2")) == "Проверка данных 0"
    assert "Подозрительных значений нет." in _text(panel)
    checked = panel.get_element_by_id("checks-confirmed")
    assert _text(checked.find("summary")) == "Проверено (1)"
    assert "Число обучающихся: 2 000" in _text(checked)
    assert "Подтверждено школой: " in _text(checked)
    assert _text(checked).endswith(", Тестовый Пользователь Открыть ответ")
    assert checked.find(".//button") is None


def test_staff_confirm_a_table_cell_from_the_panel(world, as_user):
    data = make_suspicious(world, staff=True)
    client = as_user(world.admin_a)
    panel = _panel(client, data.campaign)
    cell = next(li for li in panel.iter("li") if "Сотрудники" in _text(li))
    assert "Школа A3 · Сотрудники: Стаж, лет (строка 2): 60" in _text(cell)
    assert cell.find(".//input[@name='key']").get("value") == "staff.experience#2"
    reply = _confirm(client, data.campaign, data.responses["a3"], "staff.experience#2")
    assert reply.status_code == 302
    stored = db.session.scalar(sa.select(CheckedValue))
    assert (stored.key, stored.value) == ("staff.experience#2", "60.000000")
    checked = _panel(client, data.campaign).get_element_by_id("checks-confirmed")
    assert "Сотрудники: Стаж, лет (строка 2): 60" in _text(checked)


def test_a_confirmation_needs_a_known_value_of_a_visible_response(world, as_user):
    data = make_suspicious(world)
    client = as_user(world.admin_a)
    assert _confirm(client, data.campaign, data.responses["a1"], "nothing").status_code == 404
    reply = client.post(f"/reports/campaigns/{data.campaign.id}/checks", data={"key": "pupils"})
    assert reply.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(CheckedValue.id))) == 0


def test_a_viewer_sees_the_list_without_the_actions_and_cannot_confirm(world, as_user):
    data = make_suspicious(world)
    client = as_user(world.viewer_a)
    panel = _panel(client, data.campaign)
    assert "Число обучающихся: 2 000" in _text(panel)
    assert panel.find(".//button") is None
    assert list(_links(panel)) == ["Открыть ответ"]
    assert _confirm(client, data.campaign, data.responses["a1"]).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(CheckedValue.id))) == 0


@pytest.mark.parametrize("who", ["school_user_a1", "jury_a"])
def test_schools_and_jurors_are_refused_the_report_and_the_confirmation(world, as_user, who):
    data = make_suspicious(world)
    client = as_user(getattr(world, who))
    assert client.get(f"/reports/campaigns/{data.campaign.id}").status_code == 403
    assert _confirm(client, data.campaign, data.responses["a1"]).status_code == 403


def test_staff_of_another_district_do_not_find_the_monitoring(world, as_user):
    data = make_suspicious(world)
    client = as_user(world.admin_b)
    assert client.get(f"/reports/campaigns/{data.campaign.id}").status_code == 404
    assert _confirm(client, data.campaign, data.responses["a1"]).status_code == 404


def test_without_suspicious_values_the_panel_says_so(world, as_user):
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a1])
    panel = _panel(as_user(world.admin_a), campaign)
    assert "Подозрительных значений нет." in _text(panel)
    assert panel.find(".//li") is None


def test_a_long_list_shows_twenty_and_the_rest_on_demand(world, as_user, monkeypatch):
    data = make_suspicious(world)
    many = [
        Suspect(
            data.responses["a1"].id,
            f"Школа {n:02}",
            "pupils",
            "Число обучающихся",
            Decimal(n),
            "больше возможного (1)",
            places=0,
        )  # fmt: skip
        for n in range(25)
    ]
    monkeypatch.setattr("app.reports.plausibility.suspects", lambda *args: many)
    panel = _panel(as_user(world.admin_a), data.campaign)
    assert len(panel.find("ul").findall("li")) == 20
    rest = panel.find("details")
    assert _text(rest.find("summary")) == "Показать все (25)"
    assert len(rest.findall(".//li")) == 5


def test_an_indicators_plausible_range_is_set_with_it(world, as_user):
    data = make_suspicious(world)
    client = as_user(world.admin_a)
    url = f"/reports/campaigns/{data.campaign.id}/indicators"
    form = html.fromstring(client.get(url.removesuffix("/indicators")).get_data(as_text=True))
    adding = form.find(f".//form[@action='{url}']")
    labels = [_text(label) for label in adding.iter("label")]
    assert "Наименьшее возможное значение" in labels
    assert "Наибольшее возможное значение" in labels
    fields = {"title": "Компьютеров на ученика", "key": "per_pupil", "unit": "",
              "formula": "computers / pupils", "direction": "below"}  # fmt: skip
    wrong = client.post(url, data={**fields, "plausible_min": "2", "plausible_max": "1"})
    assert wrong.status_code == 302
    page = client.get(wrong.headers["Location"]).get_data(as_text=True)
    assert "Наименьшее возможное значение не может быть больше наибольшего." in page
    assert db.session.scalar(sa.select(Indicator).filter_by(key="per_pupil")) is None
    client.post(url, data={**fields, "plausible_min": "0", "plausible_max": "1"})
    added = db.session.scalar(sa.select(Indicator).filter_by(key="per_pupil"))
    assert (added.plausible_min, added.plausible_max) == (0, 1)
