"""Login, throttling, sessions and passwords."""

import re
import statistics
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner

from app.accounts import passwords, services, tokens
from app.accounts.models import Role, User
from app.audit.models import AuditEvent
from app.core.errors import DomainError
from app.db import utcnow
from app.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_org, make_user


def test_login_by_username_or_email_ignores_case(client, world):
    assert login(client, "ADMIN-A").status_code == 302
    client.post("/logout")
    assert login(client, "Admin-A@Example.RU").status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_beside_the_field_and_logged(client, world):
    response = login(client, world.admin_a, "wrong-password-123")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="password-error"' in page
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert event.organization_id == world.district_a.id
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_log_in(client, world):
    world.school_user_a1.active = False
    db.session.commit()
    assert login(client, world.school_user_a1).status_code == 400


def test_user_of_deactivated_organization_cannot_log_in(client, world):
    world.school_a1.is_active = False
    db.session.commit()
    assert login(client, world.school_user_a1).status_code == 400


def test_login_redirects_only_to_local_next(client, world):
    response = client.post(
        "/login?next=https://evil.example/", data={"login": "admin-a", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/users/", data={"login": "admin-a", "password": PASSWORD})
    assert response.headers["Location"] == "/users/"


def test_eleventh_wrong_password_in_a_minute_is_refused_with_429(client, world):
    statuses = [login(client, world.admin_a, "wrong-password-123").status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    refused = login(client, world.admin_a)
    assert refused.status_code == 429
    assert "Слишком много попыток" in refused.get_data(as_text=True)


def _from(client, address: str, login_name: str = "admin-a", password="wrong-password-123"):
    return client.post(
        "/login",
        data={"login": login_name, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_429_says_when_to_try_again_in_its_header_and_in_russian(client, world):
    for _ in range(10):
        _from(client, "10.0.0.1")
    refused = _from(client, "10.0.0.1", password=PASSWORD)
    assert refused.status_code == 429
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    page = refused.get_data(as_text=True)
    assert re.search(r"Попробуйте снова через 1 мин \(в \d\d:\d\d\)", page), page


def test_failures_from_other_addresses_do_not_lock_the_owner_out_below_the_account_limit(
    client, world
):
    for number in range(25):
        assert _from(client, f"10.0.{number // 5}.{number}").status_code == 400
    assert _from(client, "10.1.0.1", password=PASSWORD).status_code == 302


def test_one_address_cannot_lock_an_account_by_keeping_on_after_its_own_limit(client, world):
    for _ in range(40):
        _from(client, "10.0.0.1")
    assert _from(client, "10.0.0.1", password=PASSWORD).status_code == 429
    assert _from(client, "10.1.0.1", password=PASSWORD).status_code == 302


def test_throttling_per_account_holds_across_addresses_past_the_account_limit(client, world):
    """Counted by account, whether it is named by its login or its e-mail."""
    for number in range(30):
        name = "admin-a" if number % 2 else "Admin-A@example.ru"
        assert _from(client, f"10.0.{number // 5}.{number}", name).status_code == 400
    refused = _from(client, "10.1.0.1", password=PASSWORD)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert _from(client, "10.1.0.2", "school-a1", password=PASSWORD).status_code == 302


def _median_seconds(action, tries: int = 7) -> float:
    timings = []
    for _ in range(tries):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def test_a_login_takes_as_long_whether_the_account_exists_or_not(app, world):
    """The answer's time does not tell which logins exist: an unknown login, an account whose
    password is not set and a deactivated one are checked against a hash all the same."""
    make_user(Role.SCHOOL, world.school_a2, "no-password-yet", password=None)
    world.viewer_a.active = False
    db.session.commit()

    def attempt(name):
        return lambda: services.authenticate(name, "wrong-password-123")

    services.authenticate("admin-a", "warm-up-the-hasher")
    known = _median_seconds(attempt("admin-a"))
    for name in ("nobody-of-that-name", "no-password-yet", "viewer-a"):
        assert _median_seconds(attempt(name)) >= 0.5 * known, name
    db.session.rollback()


def test_successful_logins_do_not_use_up_the_limit(client, world):
    for _ in range(12):
        assert login(client, world.admin_a).status_code == 302
        client.post("/logout")


def test_password_change_ends_other_sessions_and_remember_cookies(app, world):
    first, second, remembered = app.test_client(), app.test_client(), app.test_client()
    login(first, world.admin_a)
    login(second, world.admin_a)
    remembered.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    new_password = "Нюрба-библиотека-2026"
    response = first.post(
        "/profile",
        data={"current_password": PASSWORD, "password": new_password, "confirm": new_password},
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302
    remembered.delete_cookie("session")
    assert remembered.get("/").status_code == 302
    assert login(app.test_client(), world.admin_a, new_password).status_code == 302


def test_remember_cookie_restores_a_session(app, world):
    client = app.test_client()
    client.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    client.delete_cookie("session")
    assert client.get("/").status_code == 200


def test_idle_session_expires(client, world):
    login(client, world.admin_a)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 61 * 60
    response = client.get("/users/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/").status_code == 302


def _sets_session_cookie(answer) -> bool:
    return any(cookie.startswith("session=") for cookie in answer.headers.getlist("Set-Cookie"))


def test_activity_rewrites_the_session_cookie_at_most_once_a_minute(client, world):
    login(client, world.admin_a)
    client.get("/")  # the first page after the login keeps the CSRF secret in the session
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 30
    assert not _sets_session_cookie(client.get("/"))
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 59 * 60
    assert _sets_session_cookie(client.get("/"))
    with client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 5


def test_a_session_seen_within_the_minute_before_the_idle_limit_stays_open(client, world):
    login(client, world.admin_a)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 59 * 60
    assert client.get("/users/").status_code == 200


def test_change_password_with_wrong_current_password_changes_nothing(client, world):
    login(client, world.admin_a)
    old_hash = world.admin_a.password_hash
    response = client.post(
        "/profile",
        data={"current_password": "nope-nope-nope", "password": "x" * 20, "confirm": "x" * 20},
    )
    assert response.status_code == 400
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    db.session.refresh(world.admin_a)
    assert world.admin_a.password_hash == old_hash


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short-pass", "не менее 12"),
        ("x" * 129, "не более 128"),
        ("qwerty123456", "распространённых"),
        ("1q2w3e4r5t6y", "распространённых"),
        ("my-login-is-admin-a", "логин"),
    ],
)
def test_password_policy_refuses(app, password, reason):
    with pytest.raises(DomainError) as refused:
        passwords.check_policy(password, "admin-a", "Иванова Анна")
    assert refused.value.field == "password"
    assert reason in str(refused.value.message)


def test_password_policy_accepts_a_long_phrase(app):
    passwords.check_policy("ёлка-у-нюрбы-2026", "admin-a", "Иванова Анна")


def test_passwords_are_hashed_with_argon2id_at_owasp_parameters(app):
    hashed = passwords.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify_password(hashed, PASSWORD)
    assert not passwords.verify_password(hashed, PASSWORD + "x")


def _created_user_link(client, world):
    response = client.post(
        "/users/new",
        data={
            "username": "Maar01",
            "full_name": "Семёнова Айыына",
            "email": "",
            "role": "school",
            "organization_id": world.school_a2.id,
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "maar01"))
    page = client.get(f"/users/{user.id}").get_data(as_text=True)
    start = page.index("http://localhost/set-password/")
    return user, page[start : page.index('"', start)].removeprefix("http://localhost")


def test_set_password_link_works_once(app, client, world):
    login(client, world.admin_a)
    user, link = _created_user_link(client, world)
    assert user.password_hash is None
    visitor = app.test_client()
    weak = visitor.post(link, data={"password": "qwerty123456", "confirm": "qwerty123456"})
    assert weak.status_code == 400
    good = "Маар-библиотека-2026"
    assert visitor.post(link, data={"password": good, "confirm": good}).status_code == 302
    assert login(visitor, "maar01", good).status_code == 302
    again = app.test_client().post(link, data={"password": good + "!", "confirm": good + "!"})
    assert again.status_code == 400
    assert login(app.test_client(), "maar01", good).status_code == 302


def test_set_password_link_expires(app, world, monkeypatch):
    user = make_user(Role.SCHOOL, world.school_a2, "late", password=None)
    three_days_ago = int(time.time()) - 73 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: three_days_ago)
    token, _ = tokens.make_token(user)
    monkeypatch.undo()
    good = "Маар-библиотека-2026"
    response = app.test_client().post(
        f"/set-password/{token}", data={"password": good, "confirm": good}
    )
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.password_hash is None


def test_reset_password_ends_sessions_and_gives_a_new_link(app, client, world):
    victim = app.test_client()
    login(victim, world.school_user_a1)
    login(client, world.admin_a)
    assert client.post(f"/users/{world.school_user_a1.id}/reset-password").status_code == 302
    assert victim.get("/").status_code == 302
    page = client.get(f"/users/{world.school_user_a1.id}").get_data(as_text=True)
    assert "/set-password/" in page
    assert login(app.test_client(), world.school_user_a1).status_code == 400


def test_staff_cannot_deactivate_themselves(client, world):
    login(client, world.admin_a)
    client.post(f"/users/{world.admin_a.id}/deactivate")
    db.session.refresh(world.admin_a)
    assert world.admin_a.active


def test_school_account_must_belong_to_a_school(client, world):
    login(client, world.admin_a)
    response = client.post(
        "/users/new",
        data={
            "username": "wrong",
            "full_name": "Х",
            "role": "school",
            "organization_id": world.district_a.id,
        },
    )
    assert response.status_code == 400
    assert 'id="organization_id-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.username == "wrong")) is None


def test_duplicate_login_is_refused_beside_the_field(client, world):
    login(client, world.admin_a)
    response = client.post(
        "/users/new",
        data={
            "username": "SCHOOL-A1",
            "full_name": "Двойник",
            "role": "school",
            "organization_id": world.school_a2.id,
        },
    )
    assert response.status_code == 400
    assert 'id="username-error"' in response.get_data(as_text=True)


def test_deactivating_a_user_is_audited_with_before_and_after(client, world):
    login(client, world.admin_a)
    client.post(f"/users/{world.school_user_a1.id}/deactivate")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "deactivate"))
    assert event.actor_id == world.admin_a.id
    assert (event.before, event.after) == ({"active": True}, {"active": False})


def test_csrf_token_is_required_for_every_post(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/login", data={"login": "admin-a", "password": PASSWORD}).status_code == 400
    school = make_org("Школа без токена", parent=world.district_a)
    assert school.is_active
    other = make_user(Role.ADMIN, world.district_a, "csrf-admin")
    services.open_login_session(other, remember=False)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = other.get_id()
        session["_fresh"] = True
    assert client.get("/users/").status_code == 200
    assert client.post(f"/organizations/{school.id}/deactivate").status_code == 400
    db.session.refresh(school)
    assert school.is_active


# Logging out ends the session, whatever copies of the cookies exist


def _cookies(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")
            if client.get_cookie(name) is not None}  # fmt: skip


def _replay(app, cookies: dict[str, str]):
    """A new browser holding copies of captured cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def test_logout_ends_this_devices_session_copied_cookies_included_and_no_other(app, world):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, world.admin_a)
    phone.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    captured = _cookies(laptop)
    assert _replay(app, captured).get("/users/").status_code == 200
    laptop.post("/logout")
    assert laptop.get("/users/").status_code == 302
    assert _replay(app, captured).get("/users/").status_code == 302
    assert phone.get("/users/").status_code == 200
    phone.delete_cookie("session")
    assert phone.get("/users/").status_code == 200


def test_a_copied_remember_cookie_stops_working_after_logout(app, world):
    client = app.test_client()
    client.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    remember = {"remember_token": _cookies(client)["remember_token"]}
    assert _replay(app, remember).get("/users/").status_code == 200
    client.post("/logout")
    assert _replay(app, remember).get("/users/").status_code == 302


def test_logging_out_everywhere_ends_every_device_and_remember_cookie(app, world):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, world.admin_a)
    phone.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    captured = [
        _cookies(laptop),
        _cookies(phone),
        {"remember_token": _cookies(phone)["remember_token"]},
    ]
    page = laptop.get("/profile").get_data(as_text=True)
    assert 'action="/logout-everywhere"' in page and "data-confirm" in page
    response = laptop.post("/logout-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for cookies in captured:
        assert _replay(app, cookies).get("/users/").status_code == 302
    assert phone.get("/users/").status_code == 302
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "logout_everywhere"))
    assert event.object_id == world.admin_a.id
    assert login(laptop, world.admin_a).status_code == 302
    assert laptop.get("/users/").status_code == 200


def test_logging_out_everywhere_needs_the_csrf_token(make_app, world):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    services.open_login_session(world.admin_a, remember=False)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = world.admin_a.get_id()
        session["_fresh"] = True
    assert client.post("/logout-everywhere").status_code == 400
    assert client.get("/users/").status_code == 200


def test_the_server_refuses_a_remember_cookie_older_than_its_days(app, world, monkeypatch):
    client = app.test_client()
    client.post("/login", data={"login": "admin-a", "password": PASSWORD, "remember": "y"})
    remember = {"remember_token": _cookies(client)["remember_token"]}
    now = utcnow()
    monkeypatch.setattr(services, "utcnow", lambda: now + timedelta(days=13))
    assert _replay(app, remember).get("/users/").status_code == 200
    monkeypatch.setattr(services, "utcnow", lambda: now + timedelta(days=14, minutes=1))
    assert _replay(app, remember).get("/users/").status_code == 302
    assert client.get("/users/").status_code == 302
