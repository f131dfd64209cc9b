"""Sign-in, passwords and session security as a person experiences them."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from core.auth.models import User
from core.auth.passwords import password_problem, verify_password
from core.auth.services import reset_password
from core.db import db
from tests.conftest import PASSWORD, REDIS_URL, csrf_token, login, make_user, post


def change_password(client, current: str, new: str, confirm: str | None = None, **kwargs):
    """Submit the change-password form as the signed-in person would."""
    form = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    return post(client, "/account/password", form, **kwargs)


def _password_is(user_id: int, password: str) -> bool:
    db.session.expire_all()
    return verify_password(db.session.get(User, user_id).password_hash, password)


@pytest.fixture
def staff(app, two_offices):
    user = make_user("somsri@a.example", two_offices["A"]["unit"], "computer_officer")
    db.session.commit()
    return user


def test_sign_in_and_out(client, staff):
    response = login(client, staff.email)
    assert response.status_code == 302 and response.location == "/"
    assert staff.name in client.get("/").get_data(as_text=True)
    assert post(client, "/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the sign-in page


def test_wrong_password_is_refused_with_a_message(client, staff):
    response = login(client, staff.email, "not-the-password")
    assert response.status_code == 401
    assert "ไม่ถูกต้อง" in response.get_data(as_text=True)  # Thai is the default language


def test_unknown_email_looks_like_a_wrong_password(client):
    response = login(client, "nobody@a.example")
    assert response.status_code == 401


def test_inactive_person_cannot_sign_in(client, staff):
    staff.active = False
    db.session.commit()
    assert login(client, staff.email).status_code == 401


def test_email_is_case_insensitive(client, staff):
    assert login(client, "SomSri@A.example").status_code == 302


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/admin/", "/admin/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
    ],
)
def test_sign_in_follows_only_local_next(client, staff, next_url, expected):
    token = csrf_token(client)
    response = client.post(
        f"/login?next={next_url}", data={"email": staff.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.location == expected


def _fail_many(client, email: str, times: int, environ_base=None):
    token = csrf_token(client)
    codes = []
    for _ in range(times):
        response = client.post(
            "/login",
            data={"email": email, "password": "wrong-password-123", "csrf_token": token},
            environ_base=environ_base or {},
        )
        codes.append(response.status_code)
    return codes


def _limited_app(make_app, backend: str):
    if backend == "redis":
        if not REDIS_URL:
            pytest.skip("KHET_TEST_REDIS_URL is not set: the Redis variant is skipped")
        return make_app(environ={"KHET_REDIS_URL": REDIS_URL})
    return make_app()


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_ten_failures_per_account_then_429(make_app, app, staff, backend):
    limited = _limited_app(make_app, backend)
    client = limited.test_client()
    codes = _fail_many(client, staff.email, 10)
    assert codes == [401] * 10
    # Even the right password is refused while the window lasts, from another address too.
    response = login(client, staff.email)
    assert response.status_code == 429
    assert "15" in response.get_data(as_text=True)
    other = limited.test_client()
    token = csrf_token(other)
    response = other.post(
        "/login",
        data={"email": staff.email, "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert response.status_code == 429


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_ten_failures_per_address_then_429(make_app, app, staff, backend):
    limited = _limited_app(make_app, backend)
    client = limited.test_client()
    for n in range(10):
        _fail_many(client, f"guess{n}@a.example", 1)
    assert login(client, staff.email).status_code == 429


def test_successful_sign_ins_are_not_limited(client, staff):
    for _ in range(12):
        assert login(client, staff.email).status_code == 302
        post(client, "/logout")


def test_password_policy():
    assert password_problem("short") is not None
    assert password_problem("password1234") is not None  # common
    assert password_problem("aaaaaaaaaaaaaaa") is not None
    assert password_problem("somsri-2569-khet", email="somsri@a.example") is not None
    assert password_problem("Correct-Horse-Battery-2569") is None


def test_change_password(client, staff):
    login(client, staff.email)
    new = "Another-Strong-Passphrase-77"
    assert change_password(client, PASSWORD, new).status_code == 302
    assert _password_is(staff.id, new)
    # The session that changed the password stays signed in.
    assert client.get("/").status_code == 200


def test_change_password_refuses_weak_wrong_or_mistyped(client, staff):
    login(client, staff.email)
    weak = change_password(client, PASSWORD, "password1234")
    assert weak.status_code == 200 and "field-error" in weak.get_data(as_text=True)
    assert change_password(client, "nope-nope-nope", "Fine-Passphrase-2569").status_code == 200
    assert (
        change_password(client, PASSWORD, "Fine-Passphrase-2569", "Fine-Passphrase-2570").status_code == 200
    )
    assert _password_is(staff.id, PASSWORD)


def test_password_change_signs_out_other_sessions(web, staff):
    first, second = web.test_client(), web.test_client()
    login(first, staff.email)
    login(second, staff.email)
    change_password(first, PASSWORD, "Another-Strong-Passphrase-77")
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302


def test_reset_forces_a_change_at_next_sign_in(client, staff):
    temporary = reset_password(staff)
    db.session.commit()
    response = login(client, staff.email, temporary)
    assert response.location == "/account/password"
    assert client.get("/").location == "/account/password"
    change_password(client, temporary, "Chosen-By-Me-Passphrase-1", token_page="/account/password")
    assert client.get("/").status_code == 200


def test_idle_session_is_signed_out(client, staff):
    login(client, staff.email)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, staff):
    login(client, staff.email)
    form = {
        "current_password": PASSWORD,
        "new_password": "Fine-Passphrase-2569",
        "confirm_password": "Fine-Passphrase-2569",
    }
    assert client.post("/account/password", data=form).status_code == 400
    assert _password_is(staff.id, PASSWORD)


def test_login_form_without_csrf_is_refused(client, staff):
    response = client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 400


def test_security_headers_on_every_response(client, staff):
    for path in ("/login", "/healthz", "/does-not-exist"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags(make_app, client, web, staff):
    login(client, staff.email)
    cookie = client.get_cookie("khet_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    production = make_app(environ={"KHET_ENV": "production"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert web.config["SESSION_COOKIE_SECURE"] is False


def test_stored_hash_is_argon2id(app, staff):
    from core.auth.services import set_password

    set_password(staff, "Fresh-Passphrase-2569-x")
    assert staff.password_hash.startswith("$argon2id$")


def test_deactivated_person_loses_open_session(client, staff):
    login(client, staff.email)
    db.session.scalar(select(User).where(User.id == staff.id)).active = False
    db.session.commit()
    assert client.get("/").status_code == 302
