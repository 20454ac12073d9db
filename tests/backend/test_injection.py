"""Hostile text in every text field: refused cleanly or stored as plain text, never half-written."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict

import pytest
from sqlalchemy import select

from bot.backend import audit, outbox
from bot.backend.handoff import close_ticket, open_ticket
from bot.backend.inputs import InvalidInput
from bot.backend.members import create_member
from bot.backend.models import ActorType, HandoffTicket, Member
from bot.backend.numbers import reissue_member_number
from bot.backend.passwords import consume_reset_token, request_password_reset
from bot.backend.profiles import UnknownServiceError
from bot.backend.registration import create_pending_registration, resend_registration_mail
from bot.backend.verification import submit_factors, verify

from .conftest import row_counts

PAYLOADS: Dict[str, str] = {
    "sql": "'; DROP TABLE members; --",
    "script": "<script>alert('会員番号')</script>",
    "10000_chars": "あ" * 10000,
    "emoji": "🙇‍♀️😀会員番号🎌",
    "nul": "山田\x00太郎",
    "control": "\x07\x1b[31m山田\r\n太郎\x7f",
}
# Clean refusals: raised before anything is written.
REFUSALS = (InvalidInput, UnknownServiceError, audit.PersonalDataInAudit)


@dataclass
class Context:
    member_id: int
    token: str
    ticket_id: int


MEMBER = dict(name="山田 太郎", name_kana="ヤマダ タロウ", email="yamada.family@mail.example", birthdate="2014-05-12",
              phone="09012345678")


def _member(session, clock, **overrides):
    return create_member(session, "learning", clock=clock, **{**MEMBER, "email": "sato.hina@mail.example", **overrides})


OPERATIONS: Dict[str, Callable] = {
    "member.name": lambda s, p, c, k: _member(s, k, name=p),
    "member.name_kana": lambda s, p, c, k: _member(s, k, name_kana=p),
    "member.email": lambda s, p, c, k: _member(s, k, email=p),
    "member.phone": lambda s, p, c, k: _member(s, k, phone=p),
    "member.birthdate": lambda s, p, c, k: _member(s, k, birthdate=p),
    "verification.conversation_id": lambda s, p, c, k: submit_factors(s, p, "learning", email=MEMBER["email"], clock=k),
    "verification.service": lambda s, p, c, k: submit_factors(s, "web:1", p, email=MEMBER["email"], clock=k),
    "verification.email": lambda s, p, c, k: (
        submit_factors(s, "web:1", "learning", email=p, birthdate="2014-05-12", clock=k),
        verify(s, "web:1", "learning", clock=k),
    ),
    "verification.birthdate": lambda s, p, c, k: (
        submit_factors(s, "web:1", "learning", email=MEMBER["email"], birthdate=p, clock=k),
        verify(s, "web:1", "learning", clock=k),
    ),
    "verification.phone": lambda s, p, c, k: (
        submit_factors(s, "web:1", "learning", email=MEMBER["email"], birthdate="2014-05-12", phone=p, clock=k),
        verify(s, "web:1", "learning", "reissue", clock=k),
    ),
    "password_reset.email": lambda s, p, c, k: request_password_reset(s, "learning", p, clock=k),
    "password_reset.conversation_id": lambda s, p, c, k: request_password_reset(
        s, "learning", MEMBER["email"], conversation_id=p, clock=k
    ),
    "password_reset.token": lambda s, p, c, k: consume_reset_token(s, p, "あたらしい-Passw0rd", clock=k),
    "password_reset.new_password": lambda s, p, c, k: consume_reset_token(s, c.token, p, clock=k),
    "registration.resend_email": lambda s, p, c, k: resend_registration_mail(s, "store", p, clock=k),
    "registration.email": lambda s, p, c, k: create_pending_registration(s, "store", p, clock=k),
    "registration.name": lambda s, p, c, k: create_pending_registration(s, "store", "ikeda.riku@mail.example", name=p, clock=k),
    "reissue.idempotency_key": lambda s, p, c, k: reissue_member_number(s, c.member_id, idempotency_key=p, reason="紛失", clock=k),
    "reissue.reason": lambda s, p, c, k: reissue_member_number(s, c.member_id, idempotency_key="k-1", reason=p, clock=k),
    "handoff.conversation_id": lambda s, p, c, k: open_ticket(s, p, "learning", reason="担当者希望", transcript="こんにちは", clock=k),
    "handoff.reason": lambda s, p, c, k: open_ticket(s, "web:2", "learning", reason=p, transcript="こんにちは", clock=k),
    "handoff.transcript": lambda s, p, c, k: open_ticket(
        s, "web:2", "learning", reason="担当者希望", transcript=p, redactor=lambda t: t, clock=k
    ),
    "handoff.agent_id": lambda s, p, c, k: close_ticket(s, c.ticket_id, agent_id=p, clock=k),
    "audit.details": lambda s, p, c, k: audit.record(s, "test.input", actor=ActorType.SYSTEM, details={"v": p}, clock=k),
}


@pytest.fixture
def context(tx, clock) -> Context:
    with tx() as session:
        member_id = create_member(session, "learning", clock=clock, **MEMBER)
        request_password_reset(session, "learning", MEMBER["email"], clock=clock)
        ticket = open_ticket(session, "web:0", "learning", reason="担当者希望", transcript="こんにちは", clock=clock)
    with tx() as session:
        body = outbox.mails_to(session, MEMBER["email"], outbox.MailKind.PASSWORD_RESET)[0].body
    return Context(member_id, re.search(r"token=(\S+)", body).group(1), ticket.id)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_hostile_text_is_refused_cleanly_or_stored_whole(tx, clock, context, operation) -> None:
    for name, payload in PAYLOADS.items():
        with tx() as session:
            before = row_counts(session)
        try:
            with tx() as session:
                OPERATIONS[operation](session, payload, context, clock)
        except REFUSALS:
            with tx() as session:
                assert row_counts(session) == before, f"{operation} wrote rows before refusing {name}"
        clock.advance(minutes=1)
        with tx() as session:
            # The members table is still there, with the member intact.
            assert session.get(Member, context.member_id).name == "山田 太郎", f"{operation}/{name}"


@pytest.mark.parametrize("payload", ["'; DROP TABLE members; --", "<script>alert('x')</script>", "🙇‍♀️山田 太郎😀"])
def test_odd_but_printable_names_are_stored_exactly(tx, clock, payload) -> None:
    with tx() as session:
        member_id = _member(session, clock, name=payload)
    with tx() as session:
        assert session.get(Member, member_id).name == payload


def test_ten_thousand_character_name_is_refused(tx, clock) -> None:
    with pytest.raises(InvalidInput, match="name: is longer than 100"):
        with tx() as session:
            _member(session, clock, name="あ" * 10000)


def test_nul_in_a_name_is_refused(tx, clock) -> None:
    with pytest.raises(InvalidInput, match="control characters"):
        with tx() as session:
            _member(session, clock, name="山田\x00太郎")


def test_control_characters_are_dropped_from_transcripts(tx, clock) -> None:
    with tx() as session:
        ticket = open_ticket(
            session, "web:3", "learning", reason="担当者希望", transcript="山田\x00太郎\x1b[31m\r\nです",
            redactor=lambda t: t, clock=clock,
        )
    with tx() as session:
        stored = session.execute(select(HandoffTicket.transcript).where(HandoffTicket.id == ticket.id)).scalar_one()
    assert stored == "山田太郎[31m\nです"


def test_sql_in_the_email_factor_never_matches_anyone(tx, clock, context) -> None:
    with tx() as session:
        submit_factors(session, "web:4", "learning", email="' OR '1'='1", birthdate="' OR '1'='1", clock=clock)
        assert not verify(session, "web:4", "learning", clock=clock).verified
