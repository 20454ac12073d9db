"""Resending the provisional-registration mail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.backend import outbox
from bot.backend.models import PendingRegistration
from bot.backend.registration import ResendOutcome, create_pending_registration, resend_registration_mail

IKEDA = "ikeda.riku@mail.example"


@pytest.fixture
def pending(tx, clock) -> int:
    """池田 陸 registered provisionally at まなびブックストア (first mail already sent)."""
    with tx() as session:
        return create_pending_registration(session, "store", IKEDA, name="池田 陸", clock=clock)


def resend(tx, clock, email=IKEDA, service="store"):
    with tx() as session:
        return resend_registration_mail(session, service, email, conversation_id="web:99", clock=clock)


def mails(tx, email=IKEDA):
    with tx() as session:
        return outbox.mails_to(session, email)


def test_resend_mails_a_new_confirmation_link(tx, clock, pending) -> None:
    clock.advance(minutes=10)
    assert resend(tx, clock).outcome is ResendOutcome.ACCEPTED
    first, second = mails(tx)
    assert second.subject == "【まなびブックストア】仮登録完了のお知らせ"
    assert "https://www.manabi-books.example/register/confirm?token=" in second.body
    assert first.body != second.body


def test_resend_replaces_the_previous_link(tx, clock, pending) -> None:
    with tx() as session:
        before = session.get(PendingRegistration, pending).token_digest
    resend(tx, clock)
    with tx() as session:
        assert session.get(PendingRegistration, pending).token_digest != before


def test_unknown_address_gets_the_same_reply_and_no_mail(tx, clock, pending) -> None:
    assert resend(tx, clock, email="nobody@mail.example") == resend(tx, clock)
    assert mails(tx, "nobody@mail.example") == []


def test_at_most_three_resends_per_hour(tx, clock, pending) -> None:
    results = [resend(tx, clock) for _ in range(4)]
    assert len(set(results)) == 1  # the reply never changes
    kinds = [mail.kind for mail in mails(tx)]
    assert kinds == [outbox.MailKind.REGISTRATION] + [outbox.MailKind.REGISTRATION_RESENT] * 3


def test_resend_possible_again_after_an_hour(tx, clock, pending) -> None:
    for _ in range(3):
        resend(tx, clock)
    clock.advance(minutes=61)
    resend(tx, clock)
    assert len(mails(tx)) == 5


def test_expired_registration_gets_no_mail(tx, clock, pending) -> None:
    clock.advance(hours=73)
    resend(tx, clock)
    assert len(mails(tx)) == 1


def test_completed_registration_gets_no_mail(tx, clock, pending) -> None:
    with tx() as session:
        session.get(PendingRegistration, pending).completed_at = clock.now()
    resend(tx, clock)
    assert len(mails(tx)) == 1


def test_learning_uses_its_default_subject(tx, clock) -> None:
    with tx() as session:
        create_pending_registration(session, "learning", "hashimoto.family@mail.example", clock=clock)
    [mail] = mails(tx, "hashimoto.family@mail.example")
    assert mail.subject == "【すくすくゼミ】仮登録完了のお知らせ"


def test_only_the_link_digest_is_stored(tx, clock, pending) -> None:
    [mail] = mails(tx)
    token = mail.body.split("token=")[1].split()[0]
    with tx() as session:
        stored = session.execute(select(PendingRegistration.token_digest)).scalar_one()
    assert token not in stored and len(stored) == 64
