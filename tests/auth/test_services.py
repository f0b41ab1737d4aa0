"""The account rules, called as the views call them: memi.auth.services."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from memi.auth import services
from memi.auth.models import PasswordResetToken, RefreshToken
from memi.columns import utcnow
from memi.errors import Conflict, Forbidden, Invalid, Unauthorized
from memi.mail.models import OutgoingEmail
from memi.users.models import User


@pytest.fixture
def user(make_user, db):
    made = make_user(email="svc@example.az")
    return db.session.get(User, made.id), made.plain_password


def _refresh_rows(db, user_id):
    return db.session.scalars(
        sa.select(RefreshToken).where(RefreshToken.user_id == user_id).order_by(RefreshToken.id)
    ).all()


# ---- emails ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["a@example.az", " Leyla@Example.AZ ", "ülvi@bakı.az"])
def test_email_is_valid(email):
    assert services.email_is_valid(email)


@pytest.mark.parametrize("email", ["", "   ", None, 5, "a@", "a b@@c", "a@b", "a@memi.test", "a@@example.az"])
def test_email_is_not_valid(email):
    assert not services.email_is_valid(email)


def test_normalize_email_trims_and_lowercases_valid_and_invalid_addresses():
    assert services.normalize_email("  Leyla@Example.AZ ") == "leyla@example.az"
    assert services.normalize_email("Not An Email") == "not an email"
    assert services.normalize_email(None) == ""


# ---- register_user -----------------------------------------------------------------------------------


def test_register_user_creates_a_user_with_normalised_email_and_hashed_password(ctx, db):
    user = services.register_user(" Nigar@Example.AZ", "long-enough", "  Nigar  ", city="Ganja")
    assert user.id and user.email == "nigar@example.az" and user.name == "Nigar" and user.city == "Ganja"
    assert user.role == "USER" and not user.is_blocked
    assert user.password_hash != "long-enough"


def test_register_user_names_every_bad_field(ctx):
    with pytest.raises(Invalid) as exc:
        services.register_user("a@", "short", "Bob\r\nBcc: x@evil.az", city="x" * 81, phone="call me")
    assert set(exc.value.fields) == {"email", "password", "name", "city", "phone"}


def test_register_user_taken_email_is_conflict_whatever_the_case(ctx, user):
    with pytest.raises(Conflict) as exc:
        services.register_user("SVC@example.az", "long-enough", "Other")
    assert "email" in exc.value.fields


# ---- authenticate ------------------------------------------------------------------------------------


def test_authenticate_returns_the_user_and_notes_the_login(ctx, user):
    row, password = user
    assert row.last_login_at is None
    assert services.authenticate(" SVC@example.az", password) is row
    assert row.last_login_at is not None


def test_authenticate_same_error_for_unknown_email_and_wrong_password(ctx, user):
    with pytest.raises(Unauthorized) as wrong:
        services.authenticate("svc@example.az", "wrong-password")
    with pytest.raises(Unauthorized) as unknown:
        services.authenticate("nobody@example.az", "wrong-password")
    assert wrong.value.message == unknown.value.message == services.BAD_CREDENTIALS
    with pytest.raises(Unauthorized):
        services.authenticate("", "")


def test_authenticate_blocked_user_is_forbidden_only_with_the_right_password(ctx, db, user):
    row, password = user
    row.is_blocked = True
    db.session.commit()  # bcrypt never runs inside a transaction that has written (memi.cpu)
    with pytest.raises(Unauthorized):
        services.authenticate(row.email, "wrong-password")
    with pytest.raises(Forbidden):
        services.authenticate(row.email, password)


# ---- refresh tokens ----------------------------------------------------------------------------------


def test_refresh_rotates_within_the_family(ctx, db, user):
    row, _ = user
    _access, raw = services.issue_tokens(row)
    same, access, new_raw = services.refresh(raw)
    assert same is row and access and new_raw != raw
    tokens = _refresh_rows(db, row.id)
    assert len(tokens) == 2 and len({t.family_id for t in tokens}) == 1
    assert sum(t.used_at is not None for t in tokens) == 1


@pytest.mark.parametrize("raw", ["", None, "not-a-token"])
def test_refresh_unknown_token_is_unauthorized(ctx, raw):
    with pytest.raises(Unauthorized):
        services.refresh(raw)


def test_refresh_expired_token_is_unauthorized(ctx, db, user):
    _access, raw = services.issue_tokens(user[0])
    db.session.execute(sa.update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(Unauthorized):
        services.refresh(raw)


def test_refresh_reuse_within_the_race_window_keeps_the_family(ctx, db, user):
    _access, raw = services.issue_tokens(user[0])
    _user, _access, new_raw = services.refresh(raw)
    with pytest.raises(Unauthorized):
        services.refresh(raw)
    assert all(t.revoked_at is None for t in _refresh_rows(db, user[0].id))
    services.refresh(new_raw)


def test_refresh_reuse_after_the_race_window_revokes_the_family(ctx, db, user):
    row, _ = user
    _access, raw = services.issue_tokens(row)
    _access, other_family = services.issue_tokens(row)
    _user, _access, new_raw = services.refresh(raw)
    db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.used_at.is_not(None))
        .values(used_at=utcnow() - services.REFRESH_RACE_WINDOW - timedelta(seconds=1))
    )
    with pytest.raises(Unauthorized):
        services.refresh(raw)
    with pytest.raises(Unauthorized):
        services.refresh(new_raw)
    # Another device's family is untouched.
    services.refresh(other_family)


def test_refresh_of_a_revoked_token_is_unauthorized(ctx, db, user):
    _access, raw = services.issue_tokens(user[0])
    db.session.execute(sa.update(RefreshToken).values(revoked_at=utcnow()))
    with pytest.raises(Unauthorized):
        services.refresh(raw)


def test_refresh_blocked_user_is_forbidden(ctx, user):
    row, _ = user
    _access, raw = services.issue_tokens(row)
    row.is_blocked = True
    with pytest.raises(Forbidden):
        services.refresh(raw)


# ---- logout and ending sessions ----------------------------------------------------------------------


def test_logout_ends_the_session_of_its_token_only(ctx, db, user):
    row, _ = user
    _access, raw = services.issue_tokens(row)
    _access, other = services.issue_tokens(row)
    epoch = row.auth_epoch
    family = _refresh_rows(db, row.id)[0].family_id
    services.logout(raw)
    assert row.auth_epoch == epoch
    assert [t.revoked_at is not None for t in _refresh_rows(db, row.id)] == [True, False]
    with pytest.raises(Unauthorized):
        services.load_token_user(str(row.id), epoch, family)
    with pytest.raises(Unauthorized):
        services.refresh(raw)
    services.refresh(other)


def test_end_all_sessions_ends_every_session_and_refresh_token_of_the_user(ctx, db, user):
    row, _ = user
    services.issue_tokens(row)
    web = services.start_session(row, "web")
    epoch = row.auth_epoch
    services.end_all_sessions(row)
    assert row.auth_epoch == epoch + 1
    assert all(t.revoked_at is not None for t in _refresh_rows(db, row.id))
    assert services.load_session_user(web.id) is None
    assert services.list_sessions(row) == []
    with pytest.raises(Unauthorized):
        services.load_token_user(str(row.id), epoch)


def test_logout_with_unknown_token_does_nothing(ctx, db, user):
    row, _ = user
    services.issue_tokens(row)
    services.logout("unknown")
    services.logout(None)
    assert row.auth_epoch == 0
    assert all(t.revoked_at is None for t in _refresh_rows(db, row.id))


def test_logout_with_a_used_token_revokes_only_its_family(ctx, db, user):
    row, _ = user
    _access, raw = services.issue_tokens(row)
    _access, other = services.issue_tokens(row)
    services.refresh(raw)
    services.logout(raw)
    assert row.auth_epoch == 0
    services.refresh(other)


def test_load_session_and_token_user(ctx, user):
    row, _ = user
    row.session_id = services.start_session(row, "web").id
    assert services.load_session_user(row.get_id()) is row
    assert services.load_session_user("garbage") is None
    assert services.load_token_user(str(row.id), row.auth_epoch) is row
    with pytest.raises(Unauthorized):
        services.load_token_user("999999", 0)
    with pytest.raises(Unauthorized):
        services.load_token_user("not-a-number", 0)
    row.is_blocked = True
    assert services.load_session_user(row.get_id()) is None
    with pytest.raises(Forbidden):
        services.load_token_user(str(row.id), row.auth_epoch)


# ---- passwords ---------------------------------------------------------------------------------------


def test_request_password_reset_queues_one_email_for_a_known_account_only(ctx, db, user, make_user):
    row, _ = user
    blocked = make_user(blocked=True)
    services.request_password_reset("nobody@example.az")
    services.request_password_reset(blocked.email)
    services.request_password_reset("")
    assert db.session.scalars(sa.select(OutgoingEmail)).all() == []
    assert db.session.scalars(sa.select(PasswordResetToken)).all() == []
    services.request_password_reset(" SVC@Example.az")
    mail = db.session.scalars(sa.select(OutgoingEmail)).one()
    assert mail.to_email == row.email and "/reset-password/" in mail.body_text
    assert db.session.scalars(sa.select(PasswordResetToken)).one().user_id == row.id


def _reset_token(db):
    body = db.session.scalars(sa.select(OutgoingEmail)).one().body_text
    return next(line for line in body.splitlines() if "/reset-password/" in line).strip().rsplit("/", 1)[1]


def test_reset_password_sets_it_once_and_ends_every_session(ctx, db, user):
    row, password = user
    services.issue_tokens(row)
    services.request_password_reset(row.email)
    db.session.commit()  # each step is a request of its own: bcrypt runs outside written transactions
    token = _reset_token(db)
    assert services.check_reset_token(token)
    with pytest.raises(Invalid) as exc:
        services.reset_password(token, "short")
    assert "password" in exc.value.fields
    services.reset_password(token, "a-new-password")
    db.session.commit()
    assert row.auth_epoch == 1
    assert all(t.revoked_at is not None for t in _refresh_rows(db, row.id))
    assert services.authenticate(row.email, "a-new-password") is row
    db.session.commit()
    with pytest.raises(Unauthorized):
        services.authenticate(row.email, password)
    assert not services.check_reset_token(token)
    with pytest.raises(Invalid) as exc:
        services.reset_password(token, "another-password")
    assert "token" in exc.value.fields


def test_reset_password_expired_or_unknown_token_is_invalid(ctx, db, user):
    services.request_password_reset(user[0].email)
    token = _reset_token(db)
    db.session.execute(sa.update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    for raw in (token, "bogus", None):
        with pytest.raises(Invalid):
            services.reset_password(raw, "a-new-password")


def test_change_password_checks_the_current_one_and_the_rules(ctx, db, user):
    row, password = user
    with pytest.raises(Invalid) as exc:
        services.change_password(row, "wrong-password", "a-new-password")
    assert "current_password" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.change_password(row, password, "short")
    assert "new_password" in exc.value.fields
    assert row.auth_epoch == 0
    here, elsewhere = services.start_session(row, "web"), services.start_session(row, "web")
    db.session.commit()  # each step is a request of its own: bcrypt runs outside written transactions
    services.change_password(row, password, "a-new-password", keep_session_id=here.id)
    db.session.commit()
    assert services.load_session_user(here.id) is row
    assert services.load_session_user(elsewhere.id) is None
    assert services.authenticate(row.email, "a-new-password") is row


def test_create_admin_creates_or_promotes(ctx, db, user):
    row, _ = user
    assert services.create_admin(" SVC@example.az", "admin-password").id == row.id
    db.session.commit()
    assert row.role == "ADMIN"
    assert services.authenticate(row.email, "admin-password") is row
    db.session.commit()
    fresh = services.create_admin("boss@example.az", "admin-password")
    assert fresh.role == "ADMIN" and fresh.name == "Admin"
    with pytest.raises(Invalid):
        services.create_admin("boss2@example.az", "short")
