"""Revealing and reissuing member numbers."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.backend import audit, outbox
from bot.backend.members import NumberTaken, create_member
from bot.backend.models import Member, MemberStatus, NumberHistory, PostalRequest
from bot.backend.numbers import (
    ReissueOutcome,
    RevealOutcome,
    generate_number,
    number_history,
    reissue_member_number,
    reissue_number,
    reveal_number,
)
from bot.backend.profiles import PostalItem, all_profiles
from bot.backend.verification import submit_factors, verify

LINE = "line:U4af4980629"


def verified(tx, clock, person, purpose="reveal", conversation=LINE):
    with tx() as session:
        submit_factors(
            session, conversation, person.service_id, email=person.email, birthdate=person.birthdate,
            phone=person.phone if purpose == "reissue" else None, clock=clock,
        )
        assert verify(session, conversation, person.service_id, purpose, clock=clock).verified


def current_number(tx, member_id):
    with tx() as session:
        return session.get(Member, member_id).member_number


def reissue(tx, clock, member_id, key="reissue:line:U4af4980629:1", reason="番号を忘れたため"):
    with tx() as session:
        return reissue_member_number(session, member_id, idempotency_key=key, reason=reason, clock=clock)


@pytest.mark.parametrize("service_id", ["learning", "loan", "store"])
def test_generated_numbers_follow_the_service_format(service_id) -> None:
    profile = all_profiles()[service_id]
    numbers = [generate_number(profile) for _ in range(500)]
    assert all(len(n) == profile.number.digits and n[0] != "0" and n.isdigit() for n in numbers)
    assert all(re.fullmatch(profile.number.pattern, n) for n in numbers)


def test_reveal_before_verification_is_refused(tx, clock, taro) -> None:
    with tx() as session:
        assert reveal_number(session, LINE, "learning", clock=clock).outcome is RevealOutcome.NOT_VERIFIED
        assert outbox.mails_to(session, taro.email) == []


def test_reveal_shows_masked_number_and_mails_the_full_one(tx, clock, taro) -> None:
    verified(tx, clock, taro)
    with tx() as session:
        result = reveal_number(session, LINE, "learning", clock=clock)
    assert result.outcome is RevealOutcome.MAILED
    assert (result.label, result.masked_number, result.masked_email) == ("会員番号", "31******21", "y***@mail.example")
    with tx() as session:
        [mail] = outbox.mails_to(session, "yamada.family@mail.example")
    assert mail.kind is outbox.MailKind.NUMBER_NOTICE
    assert "3104567821" in mail.body and "山田 太郎 様" in mail.body
    assert mail.subject == "【すくすくゼミ】会員番号のお知らせ"


def test_asking_twice_in_one_conversation_sends_one_mail(tx, clock, taro) -> None:
    verified(tx, clock, taro)
    with tx() as session:
        reveal_number(session, LINE, "learning", clock=clock)
    with tx() as session:
        again = reveal_number(session, LINE, "learning", clock=clock)
        assert len(outbox.mails_to(session, taro.email)) == 1
    assert again.masked_number == "31******21" and again.mail_sent is False


def test_reveal_is_audited_with_the_masked_number_only(tx, clock, taro) -> None:
    verified(tx, clock, taro)
    with tx() as session:
        reveal_number(session, LINE, "learning", clock=clock)
        [event] = audit.events(session, action="number.revealed")
    assert event.member_id == taro.id
    assert event.details["number"] == "31******21"


def test_suspended_card_member_number_is_not_revealed(tx, clock, add_member) -> None:
    kato = add_member(
        service_id="loan", number="530881245", name="加藤 誠", name_kana="カトウ マコト",
        email="kato.makoto@mail.example", birthdate="1978-10-05", phone="07033334444", status=MemberStatus.SUSPENDED,
    )
    verified(tx, clock, kato)
    with tx() as session:
        assert reveal_number(session, LINE, "loan", clock=clock).outcome is RevealOutcome.ACCOUNT_SUSPENDED
        assert outbox.mails_to(session, kato.email) == []


def test_reissue_without_phone_verification_is_refused(tx, clock, taro) -> None:
    verified(tx, clock, taro, "reveal")
    with tx() as session:
        result = reissue_number(session, LINE, "learning", idempotency_key="k1", reason="紛失", clock=clock)
    assert result.outcome is ReissueOutcome.NOT_VERIFIED
    assert current_number(tx, taro.id) == "3104567821"


def test_verified_conversation_gets_a_new_number_in_the_service_format(tx, clock, taro) -> None:
    verified(tx, clock, taro, "reissue")
    with tx() as session:
        result = reissue_number(session, LINE, "learning", idempotency_key="k1", reason="会員番号シールを紛失", clock=clock)
    new = current_number(tx, taro.id)
    assert result.outcome is ReissueOutcome.REISSUED
    assert new != "3104567821" and re.fullmatch(r"[1-9][0-9]{9}", new)
    assert result.masked_number == new[:2] + "******" + new[-2:]


def test_old_number_is_retired_with_when_and_why(tx, clock, taro) -> None:
    reissue(tx, clock, taro.id, reason="会員番号シールを紛失")
    with tx() as session:
        old, new = number_history(session, taro.id)
    assert (old.number, old.retired_at, old.retire_reason) == ("3104567821", clock.now(), "会員番号シールを紛失")
    assert new.retired_at is None and new.number == current_number(tx, taro.id)


def test_reason_quoting_personal_data_is_stored_masked(tx, clock, taro) -> None:
    reissue(tx, clock, taro.id, reason="3104567821 が第三者に知られた")
    with tx() as session:
        old = number_history(session, taro.id)[0]
    assert old.retire_reason == "********** が第三者に知られた"


def test_new_number_is_mailed_to_the_registered_address(tx, clock, taro) -> None:
    reissue(tx, clock, taro.id)
    new = current_number(tx, taro.id)
    with tx() as session:
        [mail] = outbox.mails_to(session, taro.email, outbox.MailKind.NUMBER_REISSUED)
    assert new in mail.body and "これまでの会員番号はご利用いただけなくなりました" in mail.body


@pytest.mark.parametrize(
    "service_id, number, items",
    [
        ("learning", "3104567821", ["notice", "sticker"]),
        ("loan", "510238476", ["notice"]),
        ("store", "100245873196", []),
    ],
)
def test_postal_items_follow_the_service(tx, clock, add_member, service_id, number, items) -> None:
    person = add_member(service_id=service_id, number=number)
    reissue(tx, clock, person.id)
    with tx() as session:
        sent = session.execute(select(PostalRequest.item).where(PostalRequest.member_id == person.id)).scalars()
        assert sorted(sent) == items


def test_store_reissue_result_lists_no_postal_items(tx, clock, add_member) -> None:
    person = add_member(service_id="store", number="100245873196")
    assert reissue(tx, clock, person.id).postal_items == ()


def test_learning_reissue_result_lists_sticker_and_notice(tx, clock, taro) -> None:
    assert reissue(tx, clock, taro.id).postal_items == (PostalItem.STICKER, PostalItem.NOTICE)


def test_repeating_a_request_with_its_key_gives_no_second_number(tx, clock, taro) -> None:
    first = reissue(tx, clock, taro.id, key="k1")
    clock.advance(hours=2)
    again = reissue(tx, clock, taro.id, key="k1")
    assert again.outcome is ReissueOutcome.ALREADY_REISSUED
    assert again.masked_number == first.masked_number
    with tx() as session:
        assert len(number_history(session, taro.id)) == 2


def test_second_request_within_the_cooldown_gives_no_second_number(tx, clock, taro) -> None:
    reissue(tx, clock, taro.id, key="k1")
    clock.advance(minutes=5)
    assert reissue(tx, clock, taro.id, key="k2").outcome is ReissueOutcome.ALREADY_REISSUED
    with tx() as session:
        assert len(outbox.mails_to(session, taro.email)) == 1


def test_request_after_the_cooldown_reissues_again(tx, clock, taro) -> None:
    reissue(tx, clock, taro.id, key="k1")
    clock.advance(minutes=31)
    assert reissue(tx, clock, taro.id, key="k2").outcome is ReissueOutcome.REISSUED
    with tx() as session:
        assert [r.retired_at is None for r in number_history(session, taro.id)] == [False, False, True]


def test_key_of_another_member_is_refused(tx, clock, taro, add_member) -> None:
    hanako = add_member(number="3104567838", name="山田 花子", name_kana="ヤマダ ハナコ", birthdate="2016-09-03")
    reissue(tx, clock, taro.id, key="k1")
    with pytest.raises(ValueError, match="another member"):
        reissue(tx, clock, hanako.id, key="k1")


def test_suspended_member_number_is_not_reissued(tx, clock, taro) -> None:
    with tx() as session:
        session.get(Member, taro.id).status = MemberStatus.SUSPENDED.value
    assert reissue(tx, clock, taro.id).outcome is ReissueOutcome.ACCOUNT_SUSPENDED
    assert current_number(tx, taro.id) == "3104567821"


def test_database_refuses_a_retired_number_for_anyone(tx, clock, taro, add_member) -> None:
    reissue(tx, clock, taro.id)
    hanako = add_member(number="3104567838", name="山田 花子", name_kana="ヤマダ ハナコ", birthdate="2016-09-03")
    with pytest.raises(IntegrityError):
        with tx() as session:
            session.add(NumberHistory(member_id=hanako.id, service_id="learning", number="3104567821", issued_at=clock.now()))


def test_creating_a_member_with_a_retired_number_is_refused(tx, clock, taro) -> None:
    reissue(tx, clock, taro.id)
    with pytest.raises(NumberTaken):
        with tx() as session:
            create_member(
                session, "learning", name="佐藤 陽菜", name_kana="サトウ ヒナ", email="sato.hina@mail.example",
                birthdate="2013-02-28", phone="08023456789", number="3104567821", clock=clock,
            )


def _race(engine_tx, clock, member_id, keys):
    barrier = threading.Barrier(len(keys))

    def one(key):
        barrier.wait()
        return reissue(engine_tx, clock, member_id, key=key)

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        return list(pool.map(one, keys))


def test_simultaneous_reissues_from_different_chats_make_exactly_one_number(tx, clock, taro) -> None:
    results = _race(tx, clock, taro.id, [f"reissue:chat-{i}" for i in range(8)])
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == ["already_reissued"] * 7 + ["reissued"]
    with tx() as session:
        history = number_history(session, taro.id)
        assert len(history) == 2
        assert len(outbox.mails_to(session, taro.email)) == 1


def test_simultaneous_retries_of_one_request_make_exactly_one_number(tx, clock, taro) -> None:
    results = _race(tx, clock, taro.id, ["reissue:line:U4af4980629:1"] * 6)
    assert len({r.masked_number for r in results}) == 1
    with tx() as session:
        assert len(number_history(session, taro.id)) == 2


def test_number_change_with_a_stale_version_writes_nothing(tx, clock, taro) -> None:
    from bot.backend import numbers
    from bot.backend.profiles import get_profile

    with tx() as session:
        member = session.get(Member, taro.id)
        stale = member.version - 1
        assert numbers._assign_new_number(session, member, get_profile("learning"), "k1", "紛失", stale, clock.now()) is None
    assert current_number(tx, taro.id) == "3104567821"
    with tx() as session:
        assert len(number_history(session, taro.id)) == 1
