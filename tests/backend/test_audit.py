"""Audit events hold ids and masked values, never raw personal data; neither do logs."""
from __future__ import annotations

import json
import logging
import re

import pytest

from bot.backend import audit, outbox
from bot.backend.audit import PersonalDataInAudit
from bot.backend.handoff import open_ticket
from bot.backend.models import ActorType
from bot.backend.numbers import reissue_number, reveal_number
from bot.backend.passwords import consume_reset_token, request_password_reset
from bot.backend.verification import submit_factors, verify

LINE = "line:U4af4980629"


@pytest.mark.parametrize(
    "value",
    ["yamada.family@mail.example", "3104567821", "2014-05-12", "09012345678", "山田 太郎"],
    ids=["email", "member_number", "birthdate", "phone", "name"],
)
def test_raw_personal_value_in_details_is_refused(tx, clock, value) -> None:
    with pytest.raises(PersonalDataInAudit):
        with tx() as session:
            audit.record(session, "test.leak", actor=ActorType.SYSTEM, details={"value": value}, clock=clock)


@pytest.mark.parametrize("value", ["y***@mail.example", "31******21", "***-****-5678", "****-**-**", 3, True, None])
def test_masked_values_ids_and_counts_are_accepted(tx, clock, value) -> None:
    with tx() as session:
        audit.record(session, "test.ok", actor=ActorType.SYSTEM, details={"value": value}, clock=clock)
        [event] = audit.events(session, action="test.ok")
    assert event.details == {"value": value}


def test_action_names_are_dotted_codes(tx, clock) -> None:
    with pytest.raises(ValueError):
        with tx() as session:
            audit.record(session, "会員番号を再発行", actor=ActorType.SYSTEM, clock=clock)


def _full_story(tx, clock, taro) -> None:
    """Verify, reveal, reissue, reset the password and hand off, as one member would."""
    with tx() as session:
        submit_factors(
            session, LINE, "learning", email=taro.email, birthdate=taro.birthdate, phone=taro.phone, clock=clock
        )
        verify(session, LINE, "learning", "reissue", clock=clock)
    with tx() as session:
        reveal_number(session, LINE, "learning", clock=clock)
    with tx() as session:
        reissue_number(session, LINE, "learning", idempotency_key="k1", reason="シール紛失", clock=clock)
    with tx() as session:
        submit_factors(session, "web:2", "learning", email=taro.email, birthdate="2014-05-13", clock=clock)
        verify(session, "web:2", "learning", clock=clock)
    with tx() as session:
        request_password_reset(session, "learning", taro.email, conversation_id=LINE, clock=clock)
    with tx() as session:
        mail = outbox.mails_to(session, taro.email, outbox.MailKind.PASSWORD_RESET)[0]
    token = re.search(r"token=(\S+)", mail.body).group(1)
    with tx() as session:
        consume_reset_token(session, token, "あたらしい-Passw0rd", clock=clock)
    with tx() as session:
        open_ticket(
            session, LINE, "learning", reason="担当者希望", transcript=f"{taro.email} {taro.number}", clock=clock,
            redactor=lambda text: text,
        )


def _raw_values(tx, taro) -> list:
    with tx() as session:
        numbers = [m.body for m in outbox.mails_to(session, taro.email, outbox.MailKind.NUMBER_REISSUED)]
    new_number = re.search(r"新しい会員番号: (\d+)", numbers[0]).group(1)
    return [taro.email, taro.birthdate, taro.phone, taro.number, new_number, taro.name, "2014, 5, 12"]


def test_audit_trail_of_a_whole_conversation_has_no_personal_data(tx, clock, taro) -> None:
    _full_story(tx, clock, taro)
    with tx() as session:
        events = audit.events(session)
    dumped = json.dumps([e.__dict__ for e in events], default=str, ensure_ascii=False)
    assert {e.action for e in events} >= {"verification.succeeded", "number.revealed", "number.reissued",
                                          "verification.failed", "password.reset_requested",
                                          "password.reset_completed", "handoff.opened"}
    for value in _raw_values(tx, taro):
        assert value not in dumped


def test_logs_of_a_whole_conversation_have_no_personal_data(tx, clock, taro, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    _full_story(tx, clock, taro)
    for value in _raw_values(tx, taro):
        assert value not in caplog.text
