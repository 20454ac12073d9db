"""Mail outbox and the sender interface."""
from __future__ import annotations

from typing import List

from bot.backend import outbox
from bot.backend.outbox import Mail, MailKind


class RecordingSender:
    """Stands in for SMTP."""

    def __init__(self) -> None:
        self.sent: List[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


def queue(tx, clock, to="mori.aoi@mail.example"):
    with tx() as session:
        outbox.queue_mail(
            session, service_id="store", kind=MailKind.NUMBER_NOTICE, to=to,
            subject="【まなびブックストア】お客様番号のお知らせ", body="お客様番号: 100734160298", clock=clock,
        )


def test_queued_mail_is_readable_by_address(tx, clock) -> None:
    queue(tx, clock)
    with tx() as session:
        [mail] = outbox.mails_to(session, "mori.aoi@mail.example")
    assert (mail.kind, mail.sent_at, mail.created_at) == (MailKind.NUMBER_NOTICE, None, clock.now())


def test_deliver_hands_every_unsent_mail_to_the_sender(tx, clock) -> None:
    queue(tx, clock)
    queue(tx, clock, to="kimura.aya@mail.example")
    sender = RecordingSender()
    with tx() as session:
        assert outbox.deliver(session, sender, clock=clock) == 2
    assert [m.to for m in sender.sent] == ["mori.aoi@mail.example", "kimura.aya@mail.example"]
    assert "100734160298" in sender.sent[0].body


def test_delivered_mail_is_not_sent_twice_and_its_body_is_dropped(tx, clock) -> None:
    queue(tx, clock)
    with tx() as session:
        outbox.deliver(session, RecordingSender(), clock=clock)
    with tx() as session:
        assert outbox.deliver(session, RecordingSender(), clock=clock) == 0
        [mail] = outbox.mails_to(session, "mori.aoi@mail.example")
    assert mail.sent_at == clock.now() and mail.body == ""
