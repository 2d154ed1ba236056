from html.parser import HTMLParser

import pytest

from tests.conftest import login


def test_login_page_is_russian(client):
    response = client.get("/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Логин или электронная почта" in page


class _Nesting(HTMLParser):
    """Records every end tag that closes no element open at that point."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.stray: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass
        else:
            self.stray.append((tag, self.getpos()[0]))


@pytest.mark.parametrize(
    "role", ["region_admin", "admin_a", "school_user_a1", "jury_a", "viewer_a"]
)
def test_every_menu_closes_only_what_it_opened(client, world, role):
    login(client, getattr(world, role))
    nesting = _Nesting()
    nesting.feed(client.get("/").get_data(as_text=True))
    assert nesting.stray == []
