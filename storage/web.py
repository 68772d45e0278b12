"""Tables and queries of the staff web console: sign-in accounts, server-side sessions, sign-in
attempts, one-time sign-in links and the single sign-on handshake.

Secrets are never stored as given: session tokens, link tokens and handshake cookies by their
SHA-256, passwords as argon2id hashes (made in `web.security`), the TOTP secret sealed like other
personal data when `INTAKE_ENCRYPTION_KEY` is set. Revoking a session is one update, so an admin
can end a stolen or forgotten session at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, delete, func, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.crypto import SealedJSON, SealedText
from storage.models import CaseRead, Referral, Staff

__all__ = [
    "SignInAttempt",
    "SignInFlow",
    "SignInLink",
    "StaffAccount",
    "WebSession",
    "access_log",
    "account_by_email",
    "account_of",
    "accounts",
    "add_attempt",
    "add_flow",
    "add_link",
    "add_session",
    "add_web_staff",
    "assigned_open",
    "failed_attempts",
    "forget_old_attempts",
    "get_session",
    "live_sessions",
    "peek_link",
    "revoke_sessions",
    "save_account",
    "set_flash",
    "staff_with_accounts",
    "take_flash",
    "take_flow",
    "take_link",
    "touch_session",
]


class StaffAccount(SQLModel, table=True):
    """How a staff member signs in to the web console: e-mail (for single sign-on and the local
    account), and for a local account an argon2id password hash and a TOTP secret (both required)."""

    __tablename__ = "staff_account"
    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")
    email: str = Field(max_length=254, unique=True)  # lower case
    password_hash: str | None = Field(default=None, max_length=256)
    totp_secret: str | None = Field(default=None, sa_column=Column(SealedText, nullable=True))
    # The last TOTP time step accepted: a code is never accepted twice (replay).
    totp_last_step: int | None = None
    updated_at: datetime


class WebSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    csrf: str = Field(max_length=64)  # the form token of this session
    method: str = Field(max_length=16)  # password, oidc, link
    address: str = Field(max_length=64)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # at most 10 hours after sign-in
    revoked_at: datetime | None = None
    # What the last action said ("Steget är registrerat."), shown once on the next page (post/redirect/get).
    # Sealed: a result may quote what was sent to the person (a standard reply with a phone number).
    flash: str | None = Field(default=None, sa_column=Column(SealedText, nullable=True))


class SignInAttempt(SQLModel, table=True):
    """A sign-in attempt, kept a day to limit guessing per account and per address."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (Index("ix_sign_in_attempt_account", "account", "at"), Index("ix_sign_in_attempt_address",
                                                                                   "address", "at"))
    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=254)
    address: str = Field(max_length=64)
    ok: bool
    at: datetime


class SignInLink(SQLModel, table=True):
    """A one-time link: the first admin of a fresh database, or a staff member's enrolment (password
    and TOTP). The token is in the link only; here its SHA-256, and the TOTP secret shown with it."""

    __tablename__ = "sign_in_link"
    token_sha256: str = Field(max_length=64, primary_key=True)
    purpose: str = Field(max_length=16)  # first_admin, enrol
    staff_id: int | None = Field(default=None, foreign_key="staff.id", ondelete="CASCADE")
    totp_secret: str = Field(sa_column=Column(SealedText, nullable=False))
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class SignInFlow(SQLModel, table=True):
    """A single sign-on handshake under way: Authlib's state, nonce and PKCE verifier, bound to the
    browser that started it by a cookie (stored as its SHA-256), used once."""

    __tablename__ = "sign_in_flow"
    cookie_sha256: str = Field(max_length=64, primary_key=True)
    data: dict[str, Any] = Field(default=None, sa_column=Column(SealedJSON, nullable=False))
    expires_at: datetime


# --------------------------------------------------------------------- accounts
def account_of(db: Session, *, staff_id: int) -> StaffAccount | None:
    return db.get(StaffAccount, staff_id)


def account_by_email(db: Session, *, email: str) -> tuple[StaffAccount, Staff] | None:
    row = db.exec(select(StaffAccount, Staff).join(Staff, col(Staff.id) == col(StaffAccount.staff_id))
                  .where(StaffAccount.email == email.strip().lower())).first()
    return (row[0], row[1]) if row else None


def accounts(db: Session) -> dict[int, StaffAccount]:
    return {a.staff_id: a for a in db.exec(select(StaffAccount)).all()}


def add_web_staff(db: Session, *, name: str, role: str, languages: list[str], now: datetime) -> Staff:
    """A staff member who signs in to the web console only (no Telegram id)."""
    staff = Staff(telegram_user_id=None, name=name, role=role, languages=languages, created_at=now)
    db.add(staff)
    db.flush()
    return staff


def save_account(db: Session, *, account: StaffAccount) -> StaffAccount:
    db.add(account)
    db.flush()
    return account


def staff_with_accounts(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(StaffAccount)).one())


def access_log(db: Session, *, reference: str | None, limit: int, offset: int) -> list[tuple[CaseRead, str]]:
    """Reads of cases, newest first, each with its referral's reference (who read which case, when)."""
    query = select(CaseRead, Referral.reference).join(Referral, col(Referral.id) == col(CaseRead.referral_id))
    if reference:
        query = query.where(Referral.reference == reference)
    rows = db.exec(query.order_by(col(CaseRead.at).desc(), col(CaseRead.id).desc()).offset(offset).limit(limit))
    return [(read, ref) for read, ref in rows.all()]


def assigned_open(db: Session, *, interpreter_id: int) -> Sequence[Referral]:
    """The open cases assigned to this interpreter (for the console's badge)."""
    return db.exec(select(Referral).where(col(Referral.interpreter_id) == interpreter_id,
                                          col(Referral.status) != "closed")).all()


# --------------------------------------------------------------------- sessions
def add_session(db: Session, *, session: WebSession) -> WebSession:
    db.add(session)
    db.flush()
    return session


def get_session(db: Session, *, token_sha256: str) -> tuple[WebSession, Staff] | None:
    row = db.exec(select(WebSession, Staff).join(Staff, col(Staff.id) == col(WebSession.staff_id))
                  .where(WebSession.token_sha256 == token_sha256)).first()
    return (row[0], row[1]) if row else None


def touch_session(db: Session, *, session_id: int, now: datetime) -> None:
    db.exec(update(WebSession).where(col(WebSession.id) == session_id).values(last_seen_at=now))  # type: ignore[call-overload]


def set_flash(db: Session, *, session_id: int, text: str | None) -> None:
    db.exec(update(WebSession).where(col(WebSession.id) == session_id)  # type: ignore[call-overload]
            .values(flash=text[:500] if text else None))


def take_flash(db: Session, *, session_id: int) -> str | None:
    session = db.get(WebSession, session_id)
    if session is None or not session.flash:
        return None
    text = session.flash
    set_flash(db, session_id=session_id, text=None)
    return text


def revoke_sessions(db: Session, *, now: datetime, staff_id: int | None = None, session_id: int | None = None) -> int:
    """End one session, or every live session of a staff member."""
    query = update(WebSession).where(col(WebSession.revoked_at).is_(None))
    if session_id is not None:
        query = query.where(col(WebSession.id) == session_id)
    if staff_id is not None:
        query = query.where(col(WebSession.staff_id) == staff_id)
    return int(db.exec(query.values(revoked_at=now)).rowcount)  # type: ignore[call-overload]


def live_sessions(db: Session, *, now: datetime) -> Sequence[WebSession]:
    return db.exec(select(WebSession).where(col(WebSession.revoked_at).is_(None), col(WebSession.expires_at) > now)
                   .order_by(col(WebSession.last_seen_at).desc())).all()


# --------------------------------------------------------------------- attempts
def add_attempt(db: Session, *, account: str, address: str, ok: bool, now: datetime) -> None:
    db.add(SignInAttempt(account=account[:254], address=address[:64], ok=ok, at=now))


def failed_attempts(db: Session, *, since: datetime, account: str | None = None, address: str | None = None) -> int:
    query = select(func.count()).select_from(SignInAttempt).where(col(SignInAttempt.ok).is_(False),
                                                                  col(SignInAttempt.at) >= since)
    if account is not None:
        query = query.where(SignInAttempt.account == account)
    if address is not None:
        query = query.where(SignInAttempt.address == address)
    return int(db.exec(query).one())


def forget_old_attempts(db: Session, *, before: datetime) -> None:
    db.exec(delete(SignInAttempt).where(col(SignInAttempt.at) < before))  # type: ignore[call-overload]


# --------------------------------------------------------------- one-time links
def add_link(db: Session, *, link: SignInLink, replace_purpose: bool = False) -> SignInLink:
    """Store a new link; with `replace_purpose`, unused links of the same purpose and staff go."""
    if replace_purpose:
        db.exec(delete(SignInLink).where(SignInLink.purpose == link.purpose,  # type: ignore[call-overload]
                                         col(SignInLink.used_at).is_(None),
                                         col(SignInLink.staff_id).is_(None) if link.staff_id is None
                                         else col(SignInLink.staff_id) == link.staff_id))
    db.add(link)
    db.flush()
    return link


def peek_link(db: Session, *, token_sha256: str, now: datetime) -> SignInLink | None:
    link = db.get(SignInLink, token_sha256)
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


def take_link(db: Session, *, token_sha256: str, now: datetime) -> SignInLink | None:
    """Use a link once: a conditional update, so two browsers racing cannot both use it."""
    done = db.exec(update(SignInLink).where(SignInLink.token_sha256 == token_sha256,  # type: ignore[call-overload]
                                            col(SignInLink.used_at).is_(None), col(SignInLink.expires_at) > now)
                   .values(used_at=now)).rowcount
    return db.get(SignInLink, token_sha256) if done == 1 else None


# ------------------------------------------------------------------ handshakes
def add_flow(db: Session, *, cookie_sha256: str, data: dict[str, Any], expires_at: datetime, now: datetime) -> None:
    db.exec(delete(SignInFlow).where(col(SignInFlow.expires_at) < now))  # type: ignore[call-overload]
    db.add(SignInFlow(cookie_sha256=cookie_sha256, data=data, expires_at=expires_at))


def take_flow(db: Session, *, cookie_sha256: str, now: datetime) -> dict[str, Any] | None:
    flow = db.get(SignInFlow, cookie_sha256)
    if flow is None:
        return None
    db.delete(flow)
    return dict(flow.data) if flow.expires_at > now else None

