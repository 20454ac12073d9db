"""Password hashing and e-mailed reset links."""
from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from bot.backend import keys, outbox, passwords
from bot.backend.models import Member, MemberStatus, PasswordResetToken
from bot.backend.passwords import (
    ResetOutcome,
    ResetRequestOutcome,
    check_password,
    consume_reset_token,
    hash_password,
    request_password_reset,
)

from .conftest import table_dump


def ask_reset(tx, clock, email="yamada.family@mail.example", service="learning"):
    with tx() as session:
        return request_password_reset(session, service, email, conversation_id="web:42", clock=clock)


def mailed_token(tx, email="yamada.family@mail.example") -> str:
    with tx() as session:
        mail = outbox.mails_to(session, email, outbox.MailKind.PASSWORD_RESET)[-1]
    return re.search(r"token=([A-Za-z0-9_-]+)", mail.body).group(1)


def use(tx, clock, token, password="あたらしい-Passw0rd"):
    with tx() as session:
        return consume_reset_token(session, token, password, clock=clock)


def test_password_hash_is_argon2id_and_checks() -> None:
    hashed = hash_password("すくすく2024!")
    assert hashed.startswith("$argon2id$")
    assert check_password(hashed, "すくすく2024!")
    assert not check_password(hashed, "すくすく2024?")


def test_reset_link_is_mailed_to_the_registered_address(tx, clock, taro) -> None:
    result = ask_reset(tx, clock)
    assert result.outcome is ResetRequestOutcome.MAIL_SENT_IF_REGISTERED
    with tx() as session:
        [mail] = outbox.mails_to(session, "yamada.family@mail.example")
    assert mail.subject == "【すくすくゼミ】パスワード再設定のご案内"
    assert "https://www.sukusuku-zemi.example/password/reset?token=" in mail.body


def test_unknown_address_gets_the_same_reply_and_no_mail(tx, clock, taro) -> None:
    known = ask_reset(tx, clock)
    unknown = ask_reset(tx, clock, email="nobody@mail.example")
    assert unknown == known
    with tx() as session:
        assert outbox.mails_to(session, "nobody@mail.example") == []


def test_both_paths_do_the_same_hashing_work(tx, clock, taro, monkeypatch) -> None:
    calls = []
    real = keys.token_digest
    monkeypatch.setattr(passwords.keys, "token_digest", lambda token: calls.append(token) or real(token))
    ask_reset(tx, clock)
    known = len(calls)
    ask_reset(tx, clock, email="nobody@mail.example")
    assert known == 1 and len(calls) - known == 1


def test_only_the_digest_of_the_token_is_stored(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    token = mailed_token(tx)
    with tx() as session:
        row = session.execute(select(PasswordResetToken)).scalar_one()
        dump_without_outbox = {k: v for k, v in table_dump(session).items() if k != "outbox"}
    assert row.token_digest == keys.token_digest(token)
    assert token not in repr(dump_without_outbox)


def test_link_sets_the_new_password(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    assert use(tx, clock, mailed_token(tx)).outcome is ResetOutcome.PASSWORD_CHANGED
    with tx() as session:
        assert check_password(session.get(Member, taro.id).password_hash, "あたらしい-Passw0rd")


def test_link_works_only_once(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    token = mailed_token(tx)
    use(tx, clock, token)
    assert use(tx, clock, token, "もういちど-Passw0rd").outcome is ResetOutcome.INVALID_OR_EXPIRED


def test_link_expires_after_thirty_minutes(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    clock.advance(minutes=30)
    assert use(tx, clock, mailed_token(tx)).outcome is ResetOutcome.INVALID_OR_EXPIRED


def test_link_still_works_after_29_minutes(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    clock.advance(minutes=29)
    assert use(tx, clock, mailed_token(tx)).outcome is ResetOutcome.PASSWORD_CHANGED


def test_made_up_token_is_invalid(tx, clock, taro) -> None:
    assert use(tx, clock, "not-a-real-token").outcome is ResetOutcome.INVALID_OR_EXPIRED


def test_too_short_password_keeps_the_link_usable(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    token = mailed_token(tx)
    rejected = use(tx, clock, token, "abc")
    assert (rejected.outcome, rejected.problem) == (ResetOutcome.PASSWORD_REJECTED, "too_short")
    assert use(tx, clock, token).outcome is ResetOutcome.PASSWORD_CHANGED


def test_using_one_link_cancels_earlier_links(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    first = mailed_token(tx)
    ask_reset(tx, clock)
    second = mailed_token(tx)
    use(tx, clock, second)
    assert use(tx, clock, first).outcome is ResetOutcome.INVALID_OR_EXPIRED


def test_reset_ends_a_login_lock(tx, clock, add_member) -> None:
    hayashi = add_member(
        service_id="store", number="100471920364", name="林 大輔", name_kana="ハヤシ ダイスケ",
        email="hayashi.daisuke@mail.example", birthdate="1975-02-11", phone="09099990000", status=MemberStatus.LOCKED,
    )
    ask_reset(tx, clock, email=hayashi.email, service="store")
    use(tx, clock, mailed_token(tx, hayashi.email))
    with tx() as session:
        assert session.get(Member, hayashi.id).status == MemberStatus.ACTIVE.value


def test_suspended_member_gets_the_same_reply_but_no_mail(tx, clock, taro) -> None:
    with tx() as session:
        session.get(Member, taro.id).status = MemberStatus.SUSPENDED.value
    assert ask_reset(tx, clock).outcome is ResetRequestOutcome.MAIL_SENT_IF_REGISTERED
    with tx() as session:
        assert outbox.mails_to(session, taro.email) == []


def test_loan_pin_cannot_be_reset_remotely(tx, clock, add_member) -> None:
    nakamura = add_member(
        service_id="loan", number="510238476", name="中村 健一", name_kana="ナカムラ ケンイチ",
        email="nakamura.kenichi@mail.example", birthdate="1985-03-14", phone="09011112222",
    )
    result = ask_reset(tx, clock, email=nakamura.email, service="loan")
    assert result.outcome is ResetRequestOutcome.NOT_AVAILABLE_REMOTELY
    assert result.reset_places == ("自動契約機", "店頭窓口")
    with tx() as session:
        assert outbox.mails_to(session, nakamura.email) == []


def test_loan_answer_is_the_same_for_unknown_addresses(tx, clock) -> None:
    known = ask_reset(tx, clock, email="nakamura.kenichi@mail.example", service="loan")
    assert ask_reset(tx, clock, email="nobody@mail.example", service="loan") == known


def test_simultaneous_uses_of_one_link_change_the_password_once(tx, clock, taro) -> None:
    ask_reset(tx, clock)
    token = mailed_token(tx)
    barrier = threading.Barrier(4)

    def one(i):
        barrier.wait()
        return use(tx, clock, token, f"パスワード-{i}-abcdef").outcome

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(one, range(4)))
    assert sorted(o.value for o in outcomes) == ["invalid_or_expired"] * 3 + ["password_changed"]
