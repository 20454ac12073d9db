"""Creating and finding members (used by the seed, the agent console and the tests)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import List, Optional, Union

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.backend import inputs, keys
from bot.backend.clock import Clock, resolve
from bot.backend.models import NAME_LENGTH, Member, MemberStatus, NumberHistory, PendingRegistration
from bot.backend.passwords import hash_password
from bot.backend.profiles import ServiceProfile, get_profile
from bot.privacy.masking import mask_email, mask_number


class NumberTaken(ValueError):
    """The requested member number is (or was) already issued."""


@dataclass(frozen=True)
class MemberSummary:
    """Masked view of a member, safe to show an agent before verification."""

    id: int
    service_id: str
    masked_number: str
    masked_email: str
    status: MemberStatus


def create_member(
    session: Session,
    service_id: str,
    *,
    name: str,
    name_kana: str,
    email: str,
    birthdate: Union[str, date],
    phone: str,
    password: Optional[str] = None,
    status: MemberStatus = MemberStatus.ACTIVE,
    number: Optional[str] = None,
    clock: Optional[Clock] = None,
) -> int:
    """Add a member with ``number`` or a new random one; returns the member id."""
    from bot.backend.numbers import generate_number  # numbers imports this module

    profile = get_profile(service_id)
    values = dict(
        name=inputs.short_text(name, "name", NAME_LENGTH),
        name_kana=inputs.short_text(name_kana, "name_kana", NAME_LENGTH),
        email=inputs.email(email),
        birthdate=inputs.birthdate(birthdate),
        phone=inputs.phone(phone),
    )
    if number is not None and not profile.number.matches(number):
        raise inputs.InvalidInput("member_number", f"does not match the {profile.id} number format")
    password_hash = hash_password(password) if password is not None else None
    now = resolve(clock).now()
    for _ in range(5):
        candidate = number or generate_number(profile)
        try:
            # A savepoint keeps the caller's transaction usable when the number is taken.
            with session.begin_nested():
                member = Member(
                    service_id=profile.id,
                    member_number=candidate,
                    email_digest=keys.email_digest(values["email"]),
                    status=MemberStatus(status).value,
                    password_hash=password_hash,
                    version=1,
                    number_issued_at=now,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
                session.add(member)
                session.flush()
                session.add(NumberHistory(member_id=member.id, service_id=profile.id, number=candidate, issued_at=now))
                session.flush()
            return member.id
        except IntegrityError:
            if number is not None:
                raise NumberTaken(f"{profile.number.label} {mask_number(number)} is already issued") from None
    raise RuntimeError("could not find a free member number")  # pragma: no cover - 5 collisions in a row


def find_by_email(session: Session, service_id: str, email: str) -> List[Member]:
    """Members of a service registered with ``email`` (withdrawn members excluded)."""
    digest = keys.email_digest(email)
    return find_by_email_digest(session, get_profile(service_id), digest)


def find_by_email_digest(session: Session, profile: ServiceProfile, digest: str) -> List[Member]:
    """Members of a service whose e-mail digest is ``digest`` (withdrawn members excluded)."""
    query = (
        select(Member)
        .where(Member.service_id == profile.id, Member.email_digest == digest)
        .where(Member.status != MemberStatus.WITHDRAWN.value)
        .order_by(Member.id)
    )
    return list(session.execute(query).scalars())


def get_member(session: Session, member_id: int) -> Optional[Member]:
    """The member row with ``member_id``, if any."""
    return session.get(Member, member_id)


def summary(member: Member) -> MemberSummary:
    """Masked view of ``member``."""
    return MemberSummary(
        id=member.id,
        service_id=member.service_id,
        masked_number=mask_number(member.member_number),
        masked_email=mask_email(member.email),
        status=MemberStatus(member.status),
    )


def rekey_members(session: Session) -> int:
    """Recompute stored e-mail digests with the current BOT_SECRET_KEY; returns how many changed."""
    changed = 0
    for model in (Member, PendingRegistration):
        for row in session.execute(select(model)).scalars():
            digest = keys.email_digest(row.email)
            if row.email_digest != digest:
                row.email_digest = digest
                changed += 1
    return changed
