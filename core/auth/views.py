"""Sign-in, sign-out, password change and password confirmation for sensitive actions."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from core.audit import record
from core.audit.types import PASSWORD_CONFIRM_FAILED, SIGN_IN_FAILED, SIGNED_IN, SIGNED_OUT
from core.auth.forms import ChangePasswordForm, LoginForm, ReauthForm
from core.auth.passwords import verify_password
from core.auth.services import PasswordRejected, authenticate, set_password
from core.db import db
from core.i18n import gettext as _

P = ParamSpec("P")
R = TypeVar("R")

bp = Blueprint("auth", __name__)

REAUTH_SECONDS = 10 * 60


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def start_session(user) -> None:
    session.clear()  # a new session id after sign-in: no session fixation
    login_user(user)
    session.permanent = True
    session["last_seen"] = time.time()
    session["reauth_at"] = time.time()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            record(SIGNED_IN, subject=("core.user", user.id), actor=user)
            db.session.commit()
            start_session(user)
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
        g.login_failed = True
        record(SIGN_IN_FAILED, data={"email": form.email.data.strip().lower()[:254]})
        db.session.commit()
        flash(_("The e-mail or password is incorrect."), "error")
    return render_template("core/login.html", form=form), 401 if g.get("login_failed") else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        record(SIGNED_OUT, subject=("core.user", current_user.id))
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is incorrect."))
        else:
            try:
                set_password(current_user, form.new_password.data)
            except PasswordRejected as exc:
                form.new_password.errors.append(str(exc))
            else:
                db.session.commit()
                start_session(current_user._get_current_object())  # new token in the session id
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("main.dashboard"))
    return render_template("core/change_password.html", form=form)


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def reauth():
    form = ReauthForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.password.data):
            session["reauth_at"] = time.time()
            return redirect(safe_next(request.args.get("next"), url_for("main.dashboard")))
        g.login_failed = True
        record(PASSWORD_CONFIRM_FAILED, subject=("core.user", current_user.id))
        db.session.commit()
        form.password.errors.append(_("The password is incorrect."))
    return render_template("core/reauth.html", form=form)


def _referrer_path() -> str:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return url_for("main.dashboard")
    return referrer.path or url_for("main.dashboard")


def recently_authenticated() -> bool:
    return time.time() - session.get("reauth_at", 0) < REAUTH_SECONDS


def require_recent_password(view: Callable[P, R]) -> Callable[P, R]:
    """Sensitive actions ask for the password again when it was not typed in the last minutes."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not recently_authenticated():
            flash(_("Please confirm your password to continue."), "info")
            # After confirming, a POST cannot be replayed: go back to the page that sent it.
            back = request.full_path if request.method == "GET" else _referrer_path()
            return redirect(url_for("auth.reauth", next=back))
        return view(*args, **kwargs)

    return wrapped
