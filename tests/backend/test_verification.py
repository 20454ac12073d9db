"""Identity verification: factors, attempt limits per conversation and per member, lockouts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.backend import keys
from bot.backend.models import Member, MemberStatus, VerificationSession
from bot.backend.profiles import Factor
from bot.backend.verification import (
    VerificationStatus,
    forget,
    lockout_until,
    submit_factors,
    verified_member_id,
    verify,
)

from .conftest import table_dump

LINE = "line:U4af4980629"  # a LINE conversation
WEB = "web:7c9e6679-7425-40de-944b"  # a browser chat


def attempt(tx, clock, conversation, purpose="reveal", service="learning", **factors):
    """Submit factors and verify in one action, as the form does."""
    with tx() as session:
        submit_factors(session, conversation, service, clock=clock, **factors)
        return verify(session, conversation, service, purpose, clock=clock)


def wrong(tx, clock, conversation, email="yamada.family@mail.example"):
    return attempt(tx, clock, conversation, email=email, birthdate="2014-05-13")


def test_registered_email_and_birthdate_verify_the_member(tx, clock, taro) -> None:
    result = attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.VERIFIED
    assert result.member_id == taro.id


def test_factors_given_one_message_at_a_time_are_combined(tx, clock, taro) -> None:
    with tx() as session:
        assert submit_factors(session, LINE, "learning", email="yamada.family@mail.example", clock=clock) == (
            Factor.EMAIL,
        )
    with tx() as session:
        submit_factors(session, LINE, "learning", birthdate="2014-05-12", clock=clock)
    with tx() as session:
        assert verify(session, LINE, "learning", clock=clock).member_id == taro.id


def test_missing_birthdate_asks_for_more(tx, clock, taro) -> None:
    result = attempt(tx, clock, LINE, email="yamada.family@mail.example")
    assert result.status is VerificationStatus.NEED_MORE
    assert result.missing == (Factor.BIRTHDATE,)


def test_verify_before_any_factor_asks_for_all(tx, clock, taro) -> None:
    with tx() as session:
        result = verify(session, LINE, "learning", "reissue", clock=clock)
    assert result.missing == (Factor.EMAIL, Factor.BIRTHDATE, Factor.PHONE)


def test_reissue_needs_the_phone_number_after_a_reveal_verification(tx, clock, taro) -> None:
    attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    with tx() as session:
        result = verify(session, LINE, "learning", "reissue", clock=clock)
    assert result.status is VerificationStatus.NEED_MORE
    assert result.missing == (Factor.PHONE,)


def test_phone_added_later_verifies_for_reissue(tx, clock, taro) -> None:
    attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    result = attempt(tx, clock, LINE, "reissue", phone="09012345678")
    assert result.status is VerificationStatus.VERIFIED
    with tx() as session:
        assert verified_member_id(session, LINE, "learning", "reissue", clock=clock) == taro.id


def test_full_width_hyphenated_phone_matches(tx, clock, taro) -> None:
    result = attempt(
        tx, clock, LINE, "reissue",
        email="yamada.family@mail.example", birthdate="2014-05-12", phone="０９０－１２３４－５６７８",
    )
    assert result.status is VerificationStatus.VERIFIED


def test_wrong_birthdate_is_a_mismatch_with_two_attempts_left(tx, clock, taro) -> None:
    result = wrong(tx, clock, LINE)
    assert result.status is VerificationStatus.MISMATCH
    assert result.remaining_attempts == 2


def test_unknown_address_gets_the_same_answer_as_a_wrong_birthdate(tx, clock, taro) -> None:
    known = wrong(tx, clock, LINE)
    unknown = attempt(tx, clock, WEB, email="nobody@mail.example", birthdate="2014-05-12")
    assert unknown == known


def test_after_a_mismatch_every_factor_is_asked_again(tx, clock, taro) -> None:
    wrong(tx, clock, LINE)
    with tx() as session:
        result = verify(session, LINE, "learning", clock=clock)
    assert result.missing == (Factor.EMAIL, Factor.BIRTHDATE)


def test_third_failure_ends_verification_in_the_conversation(tx, clock, taro) -> None:
    wrong(tx, clock, LINE)
    wrong(tx, clock, LINE)
    assert wrong(tx, clock, LINE).status is VerificationStatus.CONVERSATION_EXHAUSTED


def test_exhausted_conversation_refuses_even_correct_factors(tx, clock, taro) -> None:
    for _ in range(3):
        wrong(tx, clock, LINE)
    result = attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.CONVERSATION_EXHAUSTED


def test_another_conversation_may_still_verify_after_three_failures(tx, clock, taro) -> None:
    for _ in range(3):
        wrong(tx, clock, LINE)
    result = attempt(tx, clock, WEB, email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.VERIFIED


def test_fifth_failure_across_conversations_locks_the_member(tx, clock, taro) -> None:
    for _ in range(3):
        wrong(tx, clock, LINE)
    assert wrong(tx, clock, WEB).status is VerificationStatus.MISMATCH
    result = wrong(tx, clock, WEB)
    assert result.status is VerificationStatus.LOCKED
    assert result.locked_until == clock.now() + timedelta(minutes=30)


def test_lock_applies_to_every_channel_even_with_correct_factors(tx, clock, taro) -> None:
    for conversation in (LINE, LINE, LINE, WEB, WEB):
        wrong(tx, clock, conversation)
    result = attempt(tx, clock, "phone-ivr:0001", email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.LOCKED


def test_lock_still_holds_after_29_minutes(tx, clock, taro) -> None:
    for conversation in (LINE, LINE, LINE, WEB, WEB):
        wrong(tx, clock, conversation)
    clock.advance(minutes=29)
    result = attempt(tx, clock, "web:next", email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.LOCKED


def test_lock_expires_after_30_minutes(tx, clock, taro) -> None:
    for conversation in (LINE, LINE, LINE, WEB, WEB):
        wrong(tx, clock, conversation)
    clock.advance(minutes=30)
    result = attempt(tx, clock, "web:next", email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.VERIFIED


def test_one_failure_after_the_lock_expired_does_not_lock_again(tx, clock, taro) -> None:
    for conversation in (LINE, LINE, LINE, WEB, WEB):
        wrong(tx, clock, conversation)
    clock.advance(minutes=31)
    assert wrong(tx, clock, "web:next").status is VerificationStatus.MISMATCH


def test_failures_older_than_the_window_do_not_count(tx, clock, taro) -> None:
    for conversation in (LINE, LINE, LINE, WEB):
        wrong(tx, clock, conversation)
    clock.advance(minutes=31)
    assert wrong(tx, clock, "web:next").status is VerificationStatus.MISMATCH


def test_success_restarts_the_member_failure_count(tx, clock, taro) -> None:
    for conversation in (LINE, LINE, WEB, WEB):
        wrong(tx, clock, conversation)
    attempt(tx, clock, "web:ok", email="yamada.family@mail.example", birthdate="2014-05-12")
    assert wrong(tx, clock, "web:after").status is VerificationStatus.MISMATCH


def test_unknown_address_is_locked_too_so_locks_reveal_nothing(tx, clock, taro) -> None:
    for conversation in ("a", "a", "a", "b", "b"):
        last = wrong(tx, clock, conversation, email="nobody@mail.example")
    assert last.status is VerificationStatus.LOCKED
    with tx() as session:
        assert lockout_until(session, "learning", "nobody@mail.example", clock=clock) is not None


def test_lockout_limits_follow_the_service(tx, clock, add_member) -> None:
    add_member(
        service_id="loan", number="510238476", name="中村 健一", name_kana="ナカムラ ケンイチ",
        email="nakamura.kenichi@mail.example", birthdate="1985-03-14", phone="09011112222",
    )
    results = [
        attempt(tx, clock, conv, service="loan", email="nakamura.kenichi@mail.example", birthdate="1985-03-15")
        for conv in ("loan-1", "loan-1", "loan-1", "loan-2", "loan-2")
    ]
    assert [r.status for r in results][-1] is VerificationStatus.LOCKED


def test_conversation_keeps_only_digests_of_factors(tx, clock, taro) -> None:
    with tx() as session:
        submit_factors(
            session, LINE, "learning", email="yamada.family@mail.example", birthdate="2014-05-12",
            phone="09012345678", clock=clock,
        )
        row = session.execute(select(VerificationSession)).scalar_one()
        stored = [value for value in (row.email_digest, row.birthdate_digest, row.phone_digest)]
    assert stored == [
        keys.email_digest("yamada.family@mail.example"),
        keys.birthdate_digest("2014-05-12"),
        keys.phone_digest("09012345678"),
    ]
    assert all(len(value) == 64 for value in stored)


def test_no_raw_factor_is_stored_anywhere_after_a_failure(tx, clock, taro) -> None:
    attempt(tx, clock, LINE, email="someone.else@mail.example", birthdate="1999-12-31", phone="08099998888")
    with tx() as session:
        dump = repr(table_dump(session))
    assert "someone.else" not in dump
    assert "1999-12-31" not in dump and "1999, 12, 31" not in dump
    assert "08099998888" not in dump


def test_digests_depend_on_the_server_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    first = keys.email_digest("yamada.family@mail.example")
    monkeypatch.setenv("BOT_SECRET_KEY", "another-secret")
    assert keys.email_digest("yamada.family@mail.example") != first


def test_verification_expires_after_thirty_quiet_minutes(tx, clock, taro) -> None:
    attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    clock.advance(minutes=31)
    with tx() as session:
        assert verified_member_id(session, LINE, "learning", clock=clock) is None


def test_changing_the_email_after_verification_drops_it(tx, clock, taro) -> None:
    attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    with tx() as session:
        submit_factors(session, LINE, "learning", email="other.family@mail.example", clock=clock)
        assert verified_member_id(session, LINE, "learning", clock=clock) is None


def test_forget_drops_verification_of_the_conversation(tx, clock, taro) -> None:
    attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    with tx() as session:
        forget(session, LINE, "learning")
    with tx() as session:
        assert verified_member_id(session, LINE, "learning", clock=clock) is None


def test_siblings_on_one_family_address_are_told_apart_by_birthdate(tx, clock, taro, add_member) -> None:
    hanako = add_member(number="3104567838", name="山田 花子", name_kana="ヤマダ ハナコ", birthdate="2016-09-03")
    result = attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2016-09-03")
    assert result.member_id == hanako.id


def test_twins_matching_every_factor_go_to_an_agent(tx, clock, taro, add_member) -> None:
    add_member(number="3104567845", name="山田 次郎", name_kana="ヤマダ ジロウ")
    result = attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.AMBIGUOUS


def test_withdrawn_member_cannot_verify(tx, clock, taro) -> None:
    with tx() as session:
        session.get(Member, taro.id).status = MemberStatus.WITHDRAWN.value
    result = attempt(tx, clock, LINE, email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.MISMATCH


def test_member_of_another_service_is_not_found(tx, clock, taro) -> None:
    result = attempt(tx, clock, LINE, service="store", email="yamada.family@mail.example", birthdate="2014-05-12")
    assert result.status is VerificationStatus.MISMATCH
