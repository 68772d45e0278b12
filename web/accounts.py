"""Staff sign-in without HTTP: local accounts (password and TOTP, both required), single sign-on by
verified e-mail, server-side sessions, attempt limits and one-time links.

The web routes and the CLI (`intake staff password|totp`, the first admin's link printed by
`make run`) call these, so a password is set, checked and limited in one way only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from storage import repo
from storage import web as store
from storage.models import Staff
from web import security

__all__ = [
    "ACCOUNT_LIMIT",
    "ADDRESS_LIMIT",
    "IDLE",
    "LONGEST",
    "SignInRefused",
    "enrolment_link",
    "first_admin_link",
    "open_session",
    "session_of",
    "set_email",
    "set_password",
    "set_totp",
    "sign_in_local",
    "sign_in_sso",
]

IDLE = timedelta(minutes=30)  # a session unused this long ends
LONGEST = timedelta(hours=10)  # and no session lives longer than a working day
WINDOW = timedelta(minutes=15)  # failed attempts counted over this time
ACCOUNT_LIMIT = 5  # failed attempts per account within WINDOW
ADDRESS_LIMIT = 20  # failed attempts per address within WINDOW (several staff behind one NAT)
LINK_LIFETIME = timedelta(hours=24)
_TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute

WRONG = "E-postadressen, lösenordet eller koden stämmer inte."
TOO_MANY = "För många misslyckade inloggningar. Vänta en kvart och försök igen."
NO_STAFF = "Det finns ingen personal med den verifierade e-postadressen {email}. Be en administratör lägga till dig."


class SignInRefused(Exception):
    """Signing in failed; the message is Swedish and says nothing about which part was wrong."""


@dataclass(frozen=True)
class Opened:
    token: str  # goes into the cookie, never stored
    session: store.WebSession


def _limited(db: Session, *, account: str, address: str, now: datetime) -> bool:
    since = now - WINDOW
    return (store.failed_attempts(db, since=since, account=account) >= ACCOUNT_LIMIT
            or store.failed_attempts(db, since=since, address=address) >= ADDRESS_LIMIT)


def sign_in_local(db: Session, *, email: str, password: str, code: str, address: str, now: datetime) -> Staff:
    """The staff member whose password and TOTP code both match; refused alike for every failure.

    The attempt is recorded in the caller's transaction, which must commit even when this raises
    (the web route records it in a transaction of its own)."""
    account_key = email.strip().lower()[:254]
    if _limited(db, account=account_key, address=address, now=now):
        raise SignInRefused(TOO_MANY)
    found = store.account_by_email(db, email=account_key)
    account, staff = found if found else (None, None)
    password_ok = security.check_password(account.password_hash if account else None, password)
    step = security.check_totp(account.totp_secret if account else None, code, now=now,
                               last_step=account.totp_last_step if account else None)
    ok = bool(account and staff and staff.active and password_ok and step is not None)
    store.add_attempt(db, account=account_key, address=address, ok=ok, now=now)
    if not ok or account is None or staff is None:
        raise SignInRefused(WRONG)
    account.totp_last_step = step
    store.save_account(db, account=account)
    return staff


def sign_in_sso(db: Session, *, email: str, verified: bool, address: str, now: datetime) -> Staff:
    """The active staff member with this e-mail, which the identity provider says is verified."""
    account_key = email.strip().lower()[:254]
    if _limited(db, account=account_key, address=address, now=now):
        raise SignInRefused(TOO_MANY)
    found = store.account_by_email(db, email=account_key) if verified and account_key else None
    ok = bool(found and found[1].active)
    store.add_attempt(db, account=account_key or "-", address=address, ok=ok, now=now)
    if not verified:
        raise SignInRefused("Inloggningstjänsten har inte verifierat din e-postadress.")
    if not ok or found is None:
        raise SignInRefused(NO_STAFF.format(email=account_key))
    return found[1]


def open_session(db: Session, *, staff: Staff, method: str, address: str, now: datetime) -> Opened:
    assert staff.id is not None
    token = security.new_token()
    session = store.add_session(db, session=store.WebSession(
        token_sha256=security.digest(token), staff_id=staff.id, csrf=security.new_token(), method=method,
        address=address[:64], created_at=now, last_seen_at=now, expires_at=now + LONGEST))
    return Opened(token, session)


def session_of(db: Session, *, token: str | None, now: datetime) -> tuple[store.WebSession, Staff] | None:
    """The live session of a cookie and its staff member; None when unknown, revoked, idle for
    30 minutes, older than 10 hours, or its staff member was removed."""
    if not token or len(token) > 100:
        return None
    found = store.get_session(db, token_sha256=security.digest(token))
    if found is None:
        return None
    session, staff = found
    if (session.revoked_at is not None or session.expires_at <= now or session.last_seen_at + IDLE <= now
            or not staff.active):
        return None
    if now - session.last_seen_at >= _TOUCH_EVERY:
        assert session.id is not None
        store.touch_session(db, session_id=session.id, now=now)
    return session, staff


def _account(db: Session, email: str) -> tuple[store.StaffAccount, Staff]:
    found = store.account_by_email(db, email=email)
    if found is None:
        raise SignInRefused(f"Ingen personal har e-postadressen {email.strip().lower()}.")
    return found


def set_email(db: Session, *, staff: Staff, email: str, now: datetime) -> store.StaffAccount:
    """Give a staff member an e-mail address to sign in with (or change it)."""
    assert staff.id is not None
    email = email.strip().lower()
    if not _valid_email(email):
        raise SignInRefused("Ange en giltig e-postadress.")
    other = store.account_by_email(db, email=email)
    if other is not None and other[1].id != staff.id:
        raise SignInRefused(f"E-postadressen {email} används redan av {other[1].name}.")
    account = store.account_of(db, staff_id=staff.id) or store.StaffAccount(staff_id=staff.id, email=email,
                                                                             updated_at=now)
    account.email, account.updated_at = email, now
    return store.save_account(db, account=account)


def _valid_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(at and local and "." in domain and len(email) <= 254 and not any(c.isspace() for c in email))


def set_password(db: Session, *, email: str, password: str, now: datetime) -> Staff:
    if problem := security.password_problem(password):
        raise SignInRefused(problem)
    account, staff = _account(db, email)
    account.password_hash, account.updated_at = security.hash_password(password), now
    store.save_account(db, account=account)
    store.revoke_sessions(db, now=now, staff_id=staff.id)
    return staff


def set_totp(db: Session, *, email: str, now: datetime) -> str:
    """A new TOTP secret for the account; its otpauth:// URI is returned once and not kept."""
    account, staff = _account(db, email)
    account.totp_secret, account.totp_last_step, account.updated_at = security.new_totp_secret(), None, now
    store.save_account(db, account=account)
    store.revoke_sessions(db, now=now, staff_id=staff.id)
    assert account.totp_secret is not None
    return security.otpauth_uri(account.totp_secret, account.email)


def first_admin_link(db: Session, *, now: datetime) -> str | None:
    """On a database with no staff member who can sign in to the console, a one-time link (its
    token) that makes the first admin; earlier unused first-admin links stop working."""
    if store.staff_with_accounts(db) or any(s.active and s.role == "admin" for s in repo.list_staff(db)):
        return None
    token = security.new_token()
    store.add_link(db, link=store.SignInLink(token_sha256=security.digest(token), purpose="first_admin",
                                             totp_secret=security.new_totp_secret(), created_at=now,
                                             expires_at=now + LINK_LIFETIME), replace_purpose=True)
    return token


def enrolment_link(db: Session, *, staff: Staff, now: datetime) -> str:
    """A one-time link with which a staff member sets their own password and TOTP."""
    assert staff.id is not None
    token = security.new_token()
    store.add_link(db, link=store.SignInLink(token_sha256=security.digest(token), purpose="enrol", staff_id=staff.id,
                                             totp_secret=security.new_totp_secret(), created_at=now,
                                             expires_at=now + LINK_LIFETIME), replace_purpose=True)
    return token
