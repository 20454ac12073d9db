"""SQLAlchemy models of the member database (SQLAlchemy 1.4, 2.0-style usage)."""
from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

# Lengths shared by models and input validation.
SERVICE_ID_LENGTH = 32
CONVERSATION_ID_LENGTH = 255
NAME_LENGTH = 100
EMAIL_LENGTH = 254
DIGEST_LENGTH = 64
REASON_LENGTH = 200
TRANSCRIPT_LENGTH = 20000


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (stored as naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        """Aware datetime -> naive UTC for the database."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use the clock (timezone-aware UTC)")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        """Naive UTC from the database -> aware datetime."""
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _in(values: type) -> str:
    return ", ".join(f"'{member.value}'" for member in values)  # type: ignore[attr-defined]


class MemberStatus(str, Enum):
    """Account state."""

    ACTIVE = "active"
    LOCKED = "locked"  # login locked after failed logins; a password reset unlocks it
    SUSPENDED = "suspended"  # stopped by the company; only an agent can help
    WITHDRAWN = "withdrawn"


class ActorType(str, Enum):
    """Who did something recorded in the audit log."""

    MEMBER = "member"
    AGENT = "agent"
    SYSTEM = "system"


class TicketStatus(str, Enum):
    """State of a handoff ticket."""

    OPEN = "open"
    CLOSED = "closed"


class PostalStatus(str, Enum):
    """State of a postal request."""

    REQUESTED = "requested"
    SENT = "sent"


class Member(Base):
    """A member (会員) of one service."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("service_id", "member_number"),
        Index("ix_members_service_email_digest", "service_id", "email_digest"),
        CheckConstraint(f"status IN ({_in(MemberStatus)})", name="status"),
    )

    id = Column(Integer, primary_key=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    member_number = Column(String(20), nullable=False)
    name = Column(String(NAME_LENGTH), nullable=False)
    name_kana = Column(String(NAME_LENGTH), nullable=False)
    email = Column(String(EMAIL_LENGTH), nullable=False)
    # Keyed digest of the e-mail: finds the member from the digests a conversation holds.
    email_digest = Column(String(DIGEST_LENGTH), nullable=False)
    birthdate = Column(Date, nullable=False)
    phone = Column(String(20), nullable=False)
    status = Column(String(16), nullable=False, default=MemberStatus.ACTIVE.value)
    password_hash = Column(String(255), nullable=True)
    # Bumped on every number change; a conditional UPDATE on it lets one concurrent reissue win.
    version = Column(Integer, nullable=False, default=1)
    number_issued_at = Column(UTCDateTime, nullable=False)
    created_at = Column(UTCDateTime, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)


class NumberHistory(Base):
    """Every number ever issued (current and retired); the unique key means none is reused."""

    __tablename__ = "number_history"
    __table_args__ = (UniqueConstraint("service_id", "number"),)

    id = Column(Integer, primary_key=True)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    number = Column(String(20), nullable=False)
    issued_at = Column(UTCDateTime, nullable=False)
    retired_at = Column(UTCDateTime, nullable=True)
    retire_reason = Column(String(REASON_LENGTH), nullable=True)
    # Idempotency key of the reissue request that issued this number.
    reissue_key = Column(String(255), nullable=True, unique=True)


class PendingRegistration(Base):
    """A provisional registration waiting for the confirmation link in its mail."""

    __tablename__ = "pending_registrations"
    __table_args__ = (Index("ix_pending_registrations_service_email_digest", "service_id", "email_digest"),)

    id = Column(Integer, primary_key=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    email = Column(String(EMAIL_LENGTH), nullable=False)
    email_digest = Column(String(DIGEST_LENGTH), nullable=False)
    name = Column(String(NAME_LENGTH), nullable=True)
    token_digest = Column(String(DIGEST_LENGTH), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    completed_at = Column(UTCDateTime, nullable=True)


class VerificationSession(Base):
    """Identity verification state of one conversation: factor digests only, never values."""

    __tablename__ = "verification_sessions"
    __table_args__ = (
        UniqueConstraint("conversation_id", "service_id"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(CONVERSATION_ID_LENGTH), nullable=False)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    email_digest = Column(String(DIGEST_LENGTH), nullable=True)
    birthdate_digest = Column(String(DIGEST_LENGTH), nullable=True)
    phone_digest = Column(String(DIGEST_LENGTH), nullable=True)
    failed_attempts = Column(Integer, nullable=False, default=0)
    exhausted_at = Column(UTCDateTime, nullable=True)
    verified_member_id = Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True)
    verified_factors = Column(String(64), nullable=True)  # comma-separated Factor values
    verified_at = Column(UTCDateTime, nullable=True)
    revealed_at = Column(UTCDateTime, nullable=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)


class VerificationAttempt(Base):
    """One evaluated verification; the subject is the e-mail digest, known member or not."""

    __tablename__ = "verification_attempts"
    __table_args__ = (
        Index("ix_verification_attempts_subject", "service_id", "subject_digest", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    conversation_id = Column(String(CONVERSATION_ID_LENGTH), nullable=False)
    subject_digest = Column(String(DIGEST_LENGTH), nullable=False)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True)
    succeeded = Column(Boolean, nullable=False)
    created_at = Column(UTCDateTime, nullable=False)


class Lockout(Base):
    """Verification for one subject (e-mail digest) is locked until ``locked_until``."""

    __tablename__ = "lockouts"
    __table_args__ = (Index("ix_lockouts_subject", "service_id", "subject_digest", "locked_until"),)

    id = Column(Integer, primary_key=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    subject_digest = Column(String(DIGEST_LENGTH), nullable=False)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True)
    locked_at = Column(UTCDateTime, nullable=False)
    locked_until = Column(UTCDateTime, nullable=False)


class PasswordResetToken(Base):
    """A password-reset link: only the token's digest is stored; usable once before expiry."""

    __tablename__ = "password_reset_tokens"

    id = Column(Integer, primary_key=True)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True)
    token_digest = Column(String(DIGEST_LENGTH), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False)
    used_at = Column(UTCDateTime, nullable=True)


class OutboxMail(Base):
    """A mail waiting to be sent (tests read these instead of an SMTP server)."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    kind = Column(String(32), nullable=False)
    to_address = Column(String(EMAIL_LENGTH), nullable=False, index=True)
    subject = Column(String(255), nullable=False)
    body = Column(Text, nullable=False)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True)
    pending_registration_id = Column(
        Integer, ForeignKey("pending_registrations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at = Column(UTCDateTime, nullable=False)
    sent_at = Column(UTCDateTime, nullable=True)


class PostalRequest(Base):
    """Something to send by post (number sticker, notice card) to the registered address."""

    __tablename__ = "postal_requests"
    __table_args__ = (CheckConstraint(f"status IN ({_in(PostalStatus)})", name="status"),)

    id = Column(Integer, primary_key=True)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    item = Column(String(16), nullable=False)
    reason = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default=PostalStatus.REQUESTED.value)
    created_at = Column(UTCDateTime, nullable=False)
    sent_at = Column(UTCDateTime, nullable=True)


class AuditEvent(Base):
    """Who did what to which record; ids and masked values only, never raw personal data."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(f"actor_type IN ({_in(ActorType)})", name="actor_type"),
        Index("ix_audit_events_member", "member_id", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    created_at = Column(UTCDateTime, nullable=False)
    actor_type = Column(String(16), nullable=False)
    actor_id = Column(String(64), nullable=True)
    action = Column(String(64), nullable=False, index=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=True)
    # Plain ids, not foreign keys: the audit trail outlives the rows it mentions.
    member_id = Column(Integer, nullable=True)
    conversation_id = Column(String(CONVERSATION_ID_LENGTH), nullable=True)
    ticket_id = Column(Integer, nullable=True)
    details = Column(JSON, nullable=True)


class HandoffTicket(Base):
    """A conversation handed to a human agent, with a masked transcript."""

    __tablename__ = "handoff_tickets"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(TicketStatus)})", name="status"),
        Index("ix_handoff_tickets_status", "status", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(CONVERSATION_ID_LENGTH), nullable=False, index=True)
    service_id = Column(String(SERVICE_ID_LENGTH), nullable=False)
    reason = Column(String(REASON_LENGTH), nullable=False)
    transcript = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default=TicketStatus.OPEN.value)
    member_id = Column(Integer, ForeignKey("members.id", ondelete="SET NULL"), nullable=True)
    agent_id = Column(String(64), nullable=True)
    created_at = Column(UTCDateTime, nullable=False)
    updated_at = Column(UTCDateTime, nullable=False)
    closed_at = Column(UTCDateTime, nullable=True)
