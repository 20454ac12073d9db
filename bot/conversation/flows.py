"""The task flows as functions of (database session, conversation, service): each returns the replies.

Actions, the agent console and tests call these; nothing here knows about Rasa.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import List, Optional, Sequence

from sqlalchemy.orm import Session

from bot import knowledge
from bot.backend import handoff, numbers, passwords, registration, verification
from bot.backend.clock import Clock
from bot.backend.profiles import RevealPolicy, get_profile
from bot.backend.verification import VerificationStatus
from bot.conversation import messages
from bot.conversation.hours import is_open


@dataclass
class Step:
    """Replies to send and what the conversation should do next."""

    replies: List[str] = field(default_factory=list)
    status: Optional[str] = None  # verification status for the form: verified / mismatch / ...
    handoff: bool = False


def check_identity(session: Session, conversation_id: str, service_id: str, purpose: str,
                   *, clock: Optional[Clock] = None) -> Step:
    """Verify the factors collected so far; tells the form to continue, re-ask or stop."""
    profile = get_profile(service_id)
    result = verification.verify(session, conversation_id, service_id, purpose, clock=clock)
    status = result.status
    if status is VerificationStatus.VERIFIED:
        return Step(status="verified")
    if status is VerificationStatus.NEED_MORE:
        return Step(status="need_more")
    # Every other outcome ends this round: the collected factors are dropped.
    verification.forget(session, conversation_id, service_id)
    if status is VerificationStatus.MISMATCH:
        return Step([messages.MISMATCH.format(remaining=result.remaining_attempts)], status="mismatch")
    if status is VerificationStatus.CONVERSATION_EXHAUSTED:
        return Step([messages.EXHAUSTED.format(limit=profile.lockout.attempts_per_conversation)],
                    status="exhausted", handoff=True)
    if status is VerificationStatus.LOCKED:
        return Step([messages.LOCKED.format(minutes=profile.lockout.lock_minutes)], status="locked")
    return Step([messages.AMBIGUOUS], status="ambiguous", handoff=True)


def reveal(session: Session, conversation_id: str, service_id: str, *, clock: Optional[Clock] = None) -> Step:
    """Tell a verified member their number by the service's reveal policy."""
    profile = get_profile(service_id)
    result = numbers.reveal_number(session, conversation_id, service_id, clock=clock)
    verification.forget(session, conversation_id, service_id)
    if result.outcome is numbers.RevealOutcome.ACCOUNT_SUSPENDED:
        return Step([messages.ACCOUNT_SUSPENDED], handoff=True)
    if result.outcome is not numbers.RevealOutcome.MAILED:
        return Step([messages.NEXT_STEP])
    if not result.mail_sent:
        text = messages.REVEAL_ALREADY_SENT.format(label=result.label, email=result.masked_email)
    elif result.masked_number and profile.reveal_policy is RevealPolicy.MASKED_IN_CHAT_FULL_BY_MAIL:
        text = messages.REVEAL_MASKED.format(label=result.label, masked=result.masked_number,
                                             email=result.masked_email)
    else:
        text = messages.REVEAL_MAIL_ONLY.format(label=result.label, email=result.masked_email)
    return Step([text, messages.NEXT_STEP])


def reissue(session: Session, conversation_id: str, service_id: str, *, confirmed: bool,
            idempotency_key: str, clock: Optional[Clock] = None) -> Step:
    """Reissue the verified member's number once they said yes."""
    profile = get_profile(service_id)
    label = profile.number.label
    if not confirmed:
        verification.forget(session, conversation_id, service_id)
        return Step([messages.REISSUE_DECLINED.format(label=label), messages.NEXT_STEP])
    result = numbers.reissue_number(session, conversation_id, service_id, idempotency_key=idempotency_key,
                                    reason="チャットでの再発行依頼", clock=clock)
    verification.forget(session, conversation_id, service_id)
    if result.outcome is numbers.ReissueOutcome.ACCOUNT_SUSPENDED:
        return Step([messages.ACCOUNT_SUSPENDED], handoff=True)
    if result.outcome is numbers.ReissueOutcome.ALREADY_REISSUED:
        return Step([messages.REISSUE_ALREADY.format(label=label), messages.NEXT_STEP])
    if result.outcome is not numbers.ReissueOutcome.REISSUED:
        return Step([messages.NEXT_STEP])
    replies = [messages.REISSUE_DONE.format(label=label, masked=result.masked_number)]
    if result.postal_items:
        items = "と".join(messages.POSTAL_NAMES.get(item.value, item.value) for item in result.postal_items)
        replies.append(messages.REISSUE_POSTED.format(items=items))
    replies.append(messages.NEXT_STEP)
    return Step(replies)


def password_reset(session: Session, conversation_id: str, service_id: str, email: Optional[str],
                   *, answered: bool = False, clock: Optional[Clock] = None) -> Step:
    """Mail a reset link if the account exists; the same reply either way.

    ``answered``: the service's forgot_password answer was given in this turn.
    """
    profile = get_profile(service_id)
    result = passwords.request_password_reset(session, service_id, email or "", conversation_id=conversation_id,
                                              clock=clock)
    if result.outcome is passwords.ResetRequestOutcome.NOT_AVAILABLE_REMOTELY:
        answer = knowledge.answer(service_id, "forgot_password") if answered else ""
        if result.reset_places and all(place in answer for place in result.reset_places):
            # The answer just given names the places; saying them again reads as a second answer.
            return Step([messages.NEXT_STEP])
        places = "・".join(result.reset_places) or "店頭窓口"
        return Step([messages.RESET_NOT_REMOTE.format(name=profile.name, places=places), messages.NEXT_STEP])
    return Step([messages.RESET_SENT.format(minutes=result.token_minutes), messages.NEXT_STEP])


def resend_registration(session: Session, conversation_id: str, service_id: str, email: str,
                        *, clock: Optional[Clock] = None) -> Step:
    """Resend the registration mail if a pending registration exists; the same reply either way."""
    result = registration.resend_registration_mail(session, service_id, email, conversation_id=conversation_id,
                                                   clock=clock)
    return Step([messages.RESEND_ACCEPTED.format(subject=result.subject, limit=result.limit_per_hour),
                 messages.NEXT_STEP])


def open_handoff(session: Session, conversation_id: str, service_id: str, *, reason: str,
                 transcript: Sequence[str], now: Optional[datetime] = None,
                 clock: Optional[Clock] = None) -> Step:
    """Open (or refresh) a ticket with the masked transcript and say when a person will answer."""
    profile = get_profile(service_id)
    handoff.open_ticket(session, conversation_id, service_id, reason=reason,
                        transcript="\n".join(transcript) or "(発言なし)", clock=clock)
    verification.forget(session, conversation_id, service_id)
    moment = now or (clock.now() if clock else None)
    label = "handoff_opened" if is_open(profile.support.chat_hours, moment) else "handoff_closed_hours"
    replies = [knowledge.answer(service_id, label)]
    if profile.support.phone and profile.support.phone_hours:
        replies.append(messages.HANDOFF_PHONE.format(phone=profile.support.phone, hours=profile.support.phone_hours))
    return Step(replies)


def factor_not_known(session: Session, conversation_id: str, service_id: str, slot: str) -> Step:
    """The member cannot give a factor: drop what was collected, end the flow, say who can help."""
    support = get_profile(service_id).support
    verification.forget(session, conversation_id, service_id)
    if support.phone and support.phone_hours:
        contact = messages.NOT_KNOWN_BY_PHONE.format(phone=support.phone, hours=support.phone_hours)
    elif support.form:
        contact = messages.NOT_KNOWN_BY_FORM.format(form=support.form)
    else:
        contact = ""
    item = messages.FACTOR_NAMES[slot]
    return Step([messages.FACTOR_NOT_KNOWN.format(item=item, contact=contact)], status="not_known")


def faq_answer(service_id: str, label: str) -> str:
    """The service's answer for one FAQ label."""
    return knowledge.answer(service_id, label)
