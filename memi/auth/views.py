"""Account pages: register, log in, log out, forgotten and changed passwords, where you're signed in."""

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from memi.auth import services
from memi.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from memi.auth.limits import forgot_limits, login_attempt, login_limits, register_limits
from memi.client_ip import client_ip
from memi.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from memi.extensions import db
from memi.favorites import services as favorites
from memi.products.services import get_visible_product
from memi.web.errors import domain_errors
from memi.web.forms import safe_next
from memi.web.guards import login_required
from memi.web.htmx import render

bp = Blueprint("auth", __name__)


def _start_session(user):
    """Sign this browser in as `user`: a new session row (committed here) and a new session id, with
    whatever the anonymous session held dropped."""
    row = services.start_session(user, "web", request.headers.get("User-Agent"), client_ip())
    db.session.commit()
    session.clear()
    user.session_id = row.id
    login_user(user, remember=True)


def _end_browser_session():
    # In this order: logout_user() marks the remember-me cookie for deletion in the session, which a
    # later session.clear() would erase (the cookie would then stay in the browser for a year).
    session.clear()
    logout_user()


def _pending_favorite_id(raw):
    """The listing id a login or sign-up form carries in `favorite`, or None."""
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def _pending_favorite(raw):
    """The listing behind the heart a logged-out shopper tapped (named on the login and sign-up pages),
    when it is one they may see; else None."""
    product_id = _pending_favorite_id(raw)
    if product_id is None:
        return None
    try:
        return get_visible_product(None, product_id)
    except NotFound:
        return None


def _save_pending_favorite(user, raw):
    """Save the favorite a logged-out shopper asked for before logging in or signing up. It runs as
    part of that form's POST (CSRF-checked, once per sign-in; adding a favorite twice is a no-op),
    never from a link."""
    product_id = _pending_favorite_id(raw)
    if product_id is None:
        return
    try:
        favorites.add_favorite(user, product_id)
    except NotFound:
        db.session.rollback()
        return
    db.session.commit()
    flash(_("Saved to your favorites."), "success")


@bp.route("/register", methods=["GET", "POST"])
@register_limits
def register():
    if current_user.is_authenticated:
        return redirect(url_for("products.home"))
    form = RegisterForm(next=request.args.get("next"), favorite=request.args.get("favorite"))
    if form.validate_on_submit():
        with domain_errors(Invalid, Conflict, form=form) as outcome:
            user = services.register_user(
                form.email.data, form.password.data, form.name.data, form.city.data, form.phone.data
            )
            db.session.commit()
        if not outcome.failed:
            _start_session(user)
            flash(_("Welcome to memi.az, %(name)s!", name=user.name), "success")
            _save_pending_favorite(user, form.favorite.data)
            return redirect(safe_next(form.next.data) or url_for("products.home"))
    pending = _pending_favorite(form.favorite.data)
    return render("auth/register.html", form=form, pending=pending), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@login_limits
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("products.home"))
    form = LoginForm(next=request.args.get("next"), favorite=request.args.get("favorite"))
    if form.validate_on_submit():
        with domain_errors(Unauthorized, Forbidden, form=form) as outcome:
            with login_attempt(form.email.data):
                user = services.authenticate(form.email.data, form.password.data)
            db.session.commit()
        if not outcome.failed:
            _start_session(user)
            flash(_("You are logged in."), "success")
            _save_pending_favorite(user, form.favorite.data)
            return redirect(safe_next(form.next.data) or url_for("products.home"))
    pending = _pending_favorite(form.favorite.data)
    return render("auth/login.html", form=form, pending=pending), 400 if form.errors or form.form_errors else 200


@bp.post("/logout")
@login_required
def logout():
    # Logging out ends this browser's session only; the account's other devices stay signed in.
    user = current_user._get_current_object()
    services.end_session(user, user.session_id)
    db.session.commit()
    _end_browser_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("products.home"))


@bp.post("/logout-all")
@login_required
def logout_all():
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    _end_browser_session()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("products.home"))


@bp.get("/settings/sessions")
@login_required
def sessions():
    user = current_user._get_current_object()
    rows = services.list_sessions(user)
    return render(
        "auth/sessions.html",
        sessions=rows,
        current_id=user.session_id,
        describe=services.describe_agent,
    )


@bp.post("/settings/sessions/<session_id>/end")
@login_required
def end_session(session_id):
    user = current_user._get_current_object()
    services.end_session(user, session_id)  # NotFound (404) for an id that is not one of theirs
    db.session.commit()
    if session_id == user.session_id:
        _end_browser_session()
        flash(_("You are logged out."), "info")
        return redirect(url_for("products.home"))
    flash(_("That device is signed out."), "success")
    return redirect(url_for("auth.sessions"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@forgot_limits
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return render("auth/forgot_sent.html", email=form.email.data)
    return render("auth/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    if not services.check_reset_token(token):
        return render("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with domain_errors(Invalid, form=form) as outcome:
            services.reset_password(token, form.password.data)
            db.session.commit()
        if not outcome.failed:
            _end_browser_session()
            flash(_("Your password is changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render("auth/reset.html", form=form), 400 if form.errors or form.form_errors else 200


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with domain_errors(Invalid, form=form) as outcome:
            # Guessing the current password from a stolen session is limited like logins are.
            with login_attempt(user.email):
                services.change_password(
                    user, form.current_password.data, form.new_password.data, keep_session_id=user.session_id
                )
            db.session.commit()
        if not outcome.failed:
            # Every other session has ended; this one goes on under a new session cookie.
            session_id = user.session_id
            session.clear()
            user.session_id = session_id
            login_user(user, remember=True)
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("users.edit_profile"))
    return render("auth/change_password.html", form=form), 400 if form.errors or form.form_errors else 200
