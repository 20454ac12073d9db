"""Handoff tickets with masked transcripts."""
from __future__ import annotations

from bot.backend import audit
from bot.backend.handoff import close_ticket, get_ticket, list_tickets, mask_transcript, open_ticket
from bot.backend.models import TicketStatus
from bot.backend.verification import submit_factors, verify

LINE = "line:U4af4980629"
TRANSCRIPT = (
    "ユーザー: 会員番号 3104567821 の再発行をお願いします\n"
    "ボット: ご登録のメールアドレスを教えてください\n"
    "ユーザー: yamada.family@mail.example です。生年月日は2014年5月12日、電話は090-1234-5678\n"
    "ユーザー: 担当者と話したい"
)
RAW_VALUES = ["3104567821", "yamada.family@mail.example", "2014年5月12日", "090-1234-5678"]


def no_redaction(text: str) -> str:
    return text


def open_for(tx, clock, conversation=LINE, service="learning", transcript=TRANSCRIPT, redactor=no_redaction):
    with tx() as session:
        return open_ticket(
            session, conversation, service, reason="担当者との会話を希望", transcript=transcript,
            redactor=redactor, clock=clock,
        )


def test_transcript_is_masked_again_even_if_the_caller_did_not(tx, clock) -> None:
    ticket = open_for(tx, clock)
    assert not any(value in ticket.transcript for value in RAW_VALUES)
    assert "会員番号 ********** の再発行" in ticket.transcript
    assert "y***@mail.example" in ticket.transcript


def test_default_redactor_also_leaves_no_personal_data(tx, clock) -> None:
    ticket = open_for(tx, clock, redactor=None)
    assert not any(value in ticket.transcript for value in RAW_VALUES)


def test_failing_redactor_does_not_block_the_handoff(tx, clock) -> None:
    def broken(text: str) -> str:
        raise RuntimeError("model not loaded")

    ticket = open_for(tx, clock, redactor=broken)
    assert "3104567821" not in ticket.transcript


def test_new_ticket_is_open_for_its_service(tx, clock) -> None:
    ticket = open_for(tx, clock)
    assert (ticket.status, ticket.service_id, ticket.conversation_id) == (TicketStatus.OPEN, "learning", LINE)
    assert ticket.reason == "担当者との会話を希望"


def test_ticket_of_a_verified_conversation_names_the_member(tx, clock, taro) -> None:
    with tx() as session:
        submit_factors(session, LINE, "learning", email=taro.email, birthdate=taro.birthdate, clock=clock)
        verify(session, LINE, "learning", clock=clock)
    assert open_for(tx, clock).member_id == taro.id


def test_unverified_ticket_names_no_member(tx, clock, taro) -> None:
    assert open_for(tx, clock).member_id is None


def test_second_handoff_of_a_conversation_updates_its_open_ticket(tx, clock) -> None:
    first = open_for(tx, clock)
    second = open_for(tx, clock, transcript=TRANSCRIPT + "\nユーザー: まだですか？")
    assert second.id == first.id
    assert second.transcript.endswith("まだですか？")


def test_agent_closes_a_ticket(tx, clock) -> None:
    ticket = open_for(tx, clock)
    clock.advance(minutes=12)
    with tx() as session:
        closed = close_ticket(session, ticket.id, agent_id="agent-sato", clock=clock)
    assert (closed.status, closed.agent_id, closed.closed_at) == (TicketStatus.CLOSED, "agent-sato", clock.now())


def test_closing_is_audited_as_the_agent(tx, clock) -> None:
    ticket = open_for(tx, clock)
    with tx() as session:
        close_ticket(session, ticket.id, agent_id="agent-sato", clock=clock)
        [event] = audit.events(session, action="handoff.closed")
    assert (event.actor_type.value, event.actor_id, event.ticket_id) == ("agent", "agent-sato", ticket.id)


def test_closing_an_unknown_ticket_returns_none(tx, clock) -> None:
    with tx() as session:
        assert close_ticket(session, 404, agent_id="agent-sato", clock=clock) is None


def test_open_tickets_are_listed_per_service_oldest_first(tx, clock) -> None:
    a = open_for(tx, clock, conversation="web:a")
    clock.advance(minutes=1)
    open_for(tx, clock, conversation="web:b", service="store")
    clock.advance(minutes=1)
    c = open_for(tx, clock, conversation="web:c")
    with tx() as session:
        assert [t.id for t in list_tickets(session, service_id="learning")] == [a.id, c.id]


def test_closed_tickets_leave_the_open_list(tx, clock) -> None:
    ticket = open_for(tx, clock)
    with tx() as session:
        close_ticket(session, ticket.id, agent_id="agent-sato", clock=clock)
    with tx() as session:
        assert list_tickets(session) == []
        assert get_ticket(session, ticket.id).status is TicketStatus.CLOSED


def test_very_long_transcript_keeps_its_latest_part() -> None:
    text = "ユーザー: 最初のメッセージ\n" + "あ" * 30000 + "\nユーザー: 最後のメッセージ"
    masked = mask_transcript(text, no_redaction)
    assert masked.endswith("最後のメッセージ") and masked.startswith("…")
    assert len(masked) == 20000
