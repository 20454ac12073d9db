"""Each custom action against a real, seeded SQLite database."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from actions.actions import (
    ActionAnswerFaq,
    ActionCancelFlow,
    ActionClarify,
    ActionForgotNumberSubmit,
    ActionHandoff,
    ActionOfferReset,
    ActionPasswordResetSubmit,
    ActionReissueNumberSubmit,
    ActionSessionStart,
    ValidateForgotNumberForm,
    ValidatePasswordResetForm,
    ValidateReissueNumberForm,
    ValidateResendMailForm,
)
from bot.backend import verification
from bot.backend.db import session_scope
from bot.backend.models import HandoffTicket, Member, OutboxMail, VerificationSession
from bot.conversation import messages
from tests.actions.conftest import form_turn, run, slot_events, tracker

INOUE = {"email": "inoue.takuya@mail.example", "birthdate": "2005-04-18", "phone": "09077778888"}
ITO = {"email": "ito.sakura@family.example", "birthdate": "2011-12-24", "phone": "09056789012"}


def _verified_forgot(database, who=INOUE, service="store", sender="conv-1"):
    """Give e-mail and birth date in one message, as a member would."""
    turn = form_turn(f"{who['email']} {who['birthdate']}", {"email": who["email"], "birthdate": who["birthdate"]},
                     form="forgot_number_form", requested="email", service=service, sender=sender)
    return run(ValidateForgotNumberForm(), turn)


def _mails(engine, kind=None):
    with session_scope(engine) as session:
        query = select(OutboxMail)
        if kind:
            query = query.where(OutboxMail.kind == kind)
        return [(m.to_address, m.body) for m in session.execute(query).scalars()]


def _faq_mid_form(text, intent, *, asked):
    """ActionAnswerFaq for a message sent while forgot_number_form asks for ``asked``."""
    return run(ActionAnswerFaq(), tracker(text, intent, active_loop="forgot_number_form",
                                          slots={"requested_slot": asked}))


# --- session and FAQ -------------------------------------------------------------------------

def test_session_start_takes_the_service_from_the_page_metadata(database):
    _, _, events = run(ActionSessionStart(), tracker("", service="loan"))
    assert slot_events(events)["service"] == "loan"


def test_session_start_falls_back_to_the_default_service_for_an_unknown_page(database):
    _, _, events = run(ActionSessionStart(), tracker("", service="no-such-service"))
    assert slot_events(events)["service"] == "learning"


def test_faq_answer_fits_the_service_the_member_chats_on(database):
    store, _, _ = run(ActionAnswerFaq(), tracker("お客様番号はどこに書いてありますか", "where_is_number", service="store"))
    learning, _, _ = run(ActionAnswerFaq(), tracker("会員番号はどこ？", "where_is_number", service="learning"))
    assert "アカウント情報ページ" in store[0]
    assert store[0] != learning[0]


def test_faq_warns_when_a_password_is_typed(database):
    texts, _, _ = run(ActionAnswerFaq(), tracker("ログインできません。パスワードは abc12345 です", "login_failed"))
    assert texts[0] == messages.PASSWORD_WARNING


def test_loan_offers_the_kiosk_instead_of_a_reset_mail(database):
    texts, buttons, _ = run(ActionOfferReset(), tracker("", "login_failed", service="loan"))
    assert "自動契約機" in texts[0] and len(buttons) == 2


# --- forgot_number form ----------------------------------------------------------------------

def test_a_malformed_email_gets_a_specific_reask(database):
    turn = form_turn("taro.example.jp", {"email": "taro.example.jp"}, form="forgot_number_form", requested="email")
    texts, _, events = run(ValidateForgotNumberForm(), turn)
    assert messages.EMAIL_FORMAT in texts
    assert slot_events(events)["email"] is None
    assert slot_events(events)["requested_slot"] == "email"


def test_a_no_instead_of_the_email_is_told_how_to_stop(database):
    turn = form_turn("いいえ", {"email": "いいえ"}, form="forgot_number_form", requested="email", intent="deny")
    texts, _, events = run(ValidateForgotNumberForm(), turn)
    assert texts == [messages.EMAIL_FORMAT, messages.HOW_TO_STOP]
    assert slot_events(events)["email"] is None


def test_a_mistyped_email_is_not_told_how_to_stop(database):
    turn = form_turn("taro@example", {"email": "taro@example"}, form="forgot_number_form", requested="email")
    texts, _, _ = run(ValidateForgotNumberForm(), turn)
    assert messages.HOW_TO_STOP not in texts


def test_a_no_in_the_password_reset_form_turns_the_mail_down_and_ends_it(database):
    turn = form_turn("いらないです。自分でやります", {"email": "いらないです。自分でやります"},
                     form="password_reset_form", requested="email", intent="deny")
    texts, _, events = run(ValidatePasswordResetForm(), turn)
    assert texts == [messages.MAIL_DECLINED]
    assert slot_events(events)["verification_status"] == "declined"
    assert slot_events(events)["requested_slot"] is None


def test_an_impossible_birth_date_is_refused_with_the_example_format(database):
    turn = form_turn("2010年2月30日", {"birthdate": "2010年2月30日"}, form="forgot_number_form",
                     requested="birthdate", slots={"email": "t***@example.jp"})
    texts, _, events = run(ValidateForgotNumberForm(), turn)
    assert messages.BIRTHDATE_IMPOSSIBLE in texts
    assert slot_events(events)["birthdate"] is None


def test_a_birth_date_in_the_future_is_refused(database):
    turn = form_turn("2090年1月1日", {"birthdate": "2090-01-01"}, form="forgot_number_form",
                     requested="birthdate", slots={"email": "t***@example.jp"})
    texts, _, _ = run(ValidateForgotNumberForm(), turn)
    assert messages.BIRTHDATE_FUTURE in texts


def test_verified_member_gets_masked_slots_and_the_form_ends(database):
    _, _, events = _verified_forgot(database)
    slots = slot_events(events)
    assert slots["email"] == "i***@mail.example"
    assert slots["birthdate"] == "****-**-**"
    assert slots["verification_status"] == "verified"
    assert slots["requested_slot"] is None


def test_wareki_birth_date_verifies_like_the_iso_one(database):
    turn = form_turn(f"{ITO['email']} 平成23年12月24日", {"email": ITO["email"], "birthdate": "平成23年12月24日"},
                     form="forgot_number_form", requested="email", service="learning")
    _, _, events = run(ValidateForgotNumberForm(), turn)
    assert slot_events(events)["verification_status"] == "verified"


def test_a_mismatch_clears_the_factors_and_says_how_many_tries_are_left(database):
    wrong = dict(INOUE, birthdate="2005-04-19")
    texts, _, events = _verified_forgot(database, wrong)
    slots = slot_events(events)
    assert messages.MISMATCH.format(remaining=2) in texts
    assert slots["email"] is None and slots["birthdate"] is None
    assert slots["requested_slot"] == "email"


def test_three_mismatches_end_verification_in_the_conversation(database):
    wrong = dict(INOUE, birthdate="2005-04-19")
    for _ in range(2):
        _verified_forgot(database, wrong)
    texts, _, events = _verified_forgot(database, wrong)
    assert slot_events(events)["verification_status"] == "exhausted"
    assert slot_events(events)["requested_slot"] is None
    assert any("3回" in t for t in texts)


def test_reveal_shows_a_masked_number_and_mails_the_full_one(database):
    _verified_forgot(database)
    done = tracker("", slots={"verification_status": "verified", "email": "i***@mail.example"}, service="store")
    texts, _, events = run(ActionForgotNumberSubmit(), done)
    assert "10********96" in texts[0]
    assert "100245873196" not in " ".join(texts)
    assert any("100245873196" in body for to, body in _mails(database, "number_notice"))
    assert all(value is None for value in slot_events(events).values())


def test_exhausted_verification_hands_over_with_a_ticket(database):
    done = tracker("", slots={"verification_status": "exhausted"}, service="store")
    texts, _, _ = run(ActionForgotNumberSubmit(), done)
    with session_scope(database) as session:
        assert session.execute(select(func.count(HandoffTicket.id))).scalar_one() == 1
    assert any("引き継ぎ" in t for t in texts)


# --- reissue ---------------------------------------------------------------------------------

def _verified_reissue(database, sender="conv-r"):
    turn = form_turn(f"{ITO['email']} {ITO['birthdate']} {ITO['phone']}",
                     {"email": ITO["email"], "birthdate": ITO["birthdate"], "phone_number": ITO["phone"]},
                     form="reissue_number_form", requested="email", service="learning", sender=sender)
    return run(ValidateReissueNumberForm(), turn)


def test_reissue_asks_for_confirmation_only_after_the_stronger_factors_match(database):
    _, _, events = _verified_reissue(database)
    assert slot_events(events)["verification_status"] == "verified"
    assert slot_events(events)["requested_slot"] == "reissue_confirmed"


def test_reissue_without_the_phone_number_asks_for_it(database):
    turn = form_turn(f"{ITO['email']} {ITO['birthdate']}", {"email": ITO["email"], "birthdate": ITO["birthdate"]},
                     form="reissue_number_form", requested="email", service="learning")
    _, _, events = run(ValidateReissueNumberForm(), turn)
    assert slot_events(events)["requested_slot"] == "phone_number"


def test_an_unclear_answer_to_the_reissue_question_is_asked_again(database):
    turn = form_turn("うーん", {"reissue_confirmed": "うーん"}, form="reissue_number_form",
                     requested="reissue_confirmed", intent="out_of_scope",
                     slots={"email": "i***@family.example", "birthdate": "****-**-**", "phone_number": "***-****-9012",
                            "verification_status": "verified"})
    texts, _, events = run(ValidateReissueNumberForm(), turn)
    assert messages.CONFIRM_REISSUE in texts
    assert slot_events(events)["requested_slot"] == "reissue_confirmed"


def test_confirmed_reissue_issues_a_new_number_and_posts_the_sticker(database):
    _verified_reissue(database)
    done = tracker("はい", "affirm", slots={"verification_status": "verified", "reissue_confirmed": True},
                   sender="conv-r")
    texts, _, _ = run(ActionReissueNumberSubmit(), done)
    with session_scope(database) as session:
        member = session.execute(select(Member).where(Member.name == "伊藤 さくら")).scalar_one()
        new_number = member.member_number
    assert new_number != "7035520184"
    assert new_number not in " ".join(texts)
    assert "会員番号シール" in " ".join(texts)


def test_declined_reissue_keeps_the_number(database):
    _verified_reissue(database)
    done = tracker("いいえ", "deny", slots={"verification_status": "verified", "reissue_confirmed": False},
                   sender="conv-r")
    texts, _, _ = run(ActionReissueNumberSubmit(), done)
    with session_scope(database) as session:
        member = session.execute(select(Member).where(Member.name == "伊藤 さくら")).scalar_one()
        assert member.member_number == "7035520184"
    assert "再発行は行っていません" in texts[0]


# --- password reset and resend ---------------------------------------------------------------

def _reset(email, sender):
    turn = form_turn(email, {"email": email}, form="password_reset_form", requested="email", service="store",
                     sender=sender)
    return run(ValidatePasswordResetForm(), turn)


def test_password_reset_reply_is_the_same_whether_the_account_exists(database):
    known, _, _ = _reset("hayashi.daisuke@mail.example", "conv-a")
    unknown, _, _ = _reset("nobody@mail.example", "conv-b")
    assert known == unknown
    assert [to for to, _ in _mails(database, "password_reset")] == ["hayashi.daisuke@mail.example"]


def test_password_reset_for_the_loan_card_skips_the_email_and_names_the_places(database):
    turn = form_turn("", {}, form="password_reset_form", requested="email", service="loan")
    _, _, events = run(ValidatePasswordResetForm(), turn)
    assert slot_events(events)["requested_slot"] is None
    texts, _, _ = run(ActionPasswordResetSubmit(), tracker("", service="loan"))
    assert "自動契約機" in texts[0]


def test_loan_pin_places_are_not_said_twice_right_after_the_forgot_password_answer(database):
    # the rule gives the forgot_password answer (it names the kiosk and the branch), then the form ends
    texts, _, _ = run(ActionPasswordResetSubmit(), tracker("暗証番号を忘れました", "forgot_password", service="loan"))
    assert not any("自動契約機" in text for text in texts)
    assert texts == [messages.NEXT_STEP]


def test_loan_pin_places_are_named_when_the_reset_offer_is_accepted(database):
    # after 「手続きの流れをご案内しましょうか？」 → はい, no answer named the places yet
    texts, _, _ = run(ActionPasswordResetSubmit(), tracker("はい", "affirm", service="loan"))
    assert "自動契約機" in texts[0] and "店頭窓口" in texts[0]


def test_resend_reply_is_the_same_whether_a_registration_is_pending(database):
    def resend(email, sender):
        turn = form_turn(email, {"email": email}, form="resend_mail_form", requested="email", service="store",
                         sender=sender)
        return run(ValidateResendMailForm(), turn)[0]

    assert resend("ikeda.riku@mail.example", "c1") == resend("nobody@mail.example", "c2")
    assert [to for to, _ in _mails(database, "registration_resent")] == ["ikeda.riku@mail.example"]


# --- handoff, clarify, cancel ----------------------------------------------------------------

def test_handoff_ticket_keeps_no_personal_data(database):
    history = [{"event": "user", "text": "メールは inoue.takuya@mail.example で、番号は100245873196です"},
               {"event": "bot", "text": "確認します"}]
    run(ActionHandoff(), tracker("担当者と話したい", "human_handoff", service="store", events=history))
    with session_scope(database) as session:
        transcript = session.execute(select(HandoffTicket.transcript)).scalar_one()
    assert "inoue.takuya@mail.example" not in transcript
    assert "100245873196" not in transcript
    assert "担当者と話したい" in transcript


def test_low_confidence_asks_back_with_topic_buttons(database):
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "login_failed", "confidence": 0.3}]
    texts, buttons, _ = run(ActionClarify(), tracker("あれがこうで", "nlu_fallback", ranking=ranking))
    assert buttons[0]["payload"] == "/login_failed"
    assert buttons[-1]["payload"] == "/human_handoff"


def test_topic_buttons_offer_a_person_only_once(database):
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "human_handoff", "confidence": 0.3},
               {"name": "contact_support", "confidence": 0.2}]
    _, buttons, _ = run(ActionClarify(), tracker("🙇‍♀️", "nlu_fallback", ranking=ranking))
    payloads = [button["payload"] for button in buttons]
    assert payloads.count("/human_handoff") == 1
    assert len(payloads) == 4


def test_two_fallbacks_in_a_row_hand_over(database):
    history = [{"event": "user", "text": "あれ"}, {"event": "action", "name": "action_clarify"},
               {"event": "action", "name": "action_listen"}]
    texts, _, _ = run(ActionClarify(), tracker("これ", "nlu_fallback", events=history))
    assert messages.SECOND_FALLBACK in texts
    with session_scope(database) as session:
        assert session.execute(select(func.count(HandoffTicket.id))).scalar_one() == 1


def test_an_empty_message_before_does_not_count_as_a_fallback(database):
    history = [{"event": "user", "text": ""}, {"event": "action", "name": "action_clarify"},
               {"event": "action", "name": "action_listen"}]
    texts, buttons, _ = run(ActionClarify(), tracker("あれがこうで", "nlu_fallback", events=history))
    assert messages.SECOND_FALLBACK not in texts
    assert buttons


def test_an_empty_message_gets_a_polite_prompt(database):
    texts, _, _ = run(ActionClarify(), tracker("   ", "nlu_fallback"))
    assert texts == [messages.EMPTY_MESSAGE]


def test_cancel_forgets_the_collected_factors(database):
    _verified_forgot(database, sender="conv-c")
    _, _, events = run(ActionCancelFlow(), tracker("やめます", "cancel", slots={"email": "i***@mail.example"},
                                                   sender="conv-c", service="store"))
    assert all(value is None for value in slot_events(events).values())
    done = tracker("", slots={"verification_status": "verified"}, service="store", sender="conv-c")
    texts, _, _ = run(ActionForgotNumberSubmit(), done)
    assert not any("10********96" in t for t in texts)


def test_a_very_long_message_is_asked_to_be_shortened(database):
    texts, _, _ = run(ActionAnswerFaq(), tracker("会員番号を忘れました" + "あ" * 9990, "out_of_scope"))
    assert texts[0] == messages.TOO_LONG


# --- the member does not know the factor asked for --------------------------------------------

def test_not_knowing_the_email_ends_the_form_and_names_the_phone(database):
    turn = form_turn("登録したメールアドレスがわかりません", {"email": "登録したメールアドレスがわかりません"},
                     form="forgot_number_form", requested="email", intent="deny", service="learning")
    texts, _, events = run(ValidateForgotNumberForm(), turn)
    assert texts == [messages.FACTOR_NOT_KNOWN.format(
        item="メールアドレス", contact=messages.NOT_KNOWN_BY_PHONE.format(
            phone="0120-000-101", hours="平日・土曜 9:00〜21:00（日曜・祝日 9:00〜18:00）"))]
    assert slot_events(events)["verification_status"] == "not_known"
    assert slot_events(events)["requested_slot"] is None


def test_a_service_without_a_phone_desk_names_its_form_instead(database):
    turn = form_turn("忘れました", {"email": "忘れました"}, form="forgot_number_form", requested="email",
                     service="store")
    texts, _, _ = run(ValidateForgotNumberForm(), turn)
    assert "お問い合わせフォーム" in texts[0] and "お電話" not in texts[0]


def test_not_knowing_the_birth_date_drops_the_email_already_given(database):
    _, _, _ = run(ValidateForgotNumberForm(), form_turn(
        ITO["email"], {"email": ITO["email"]}, form="forgot_number_form", requested="email"))
    run(ValidateForgotNumberForm(), form_turn(
        "誕生日は覚えてないです", {"birthdate": "誕生日は覚えてないです"}, form="forgot_number_form",
        requested="birthdate", slots={"email": "i***@family.example"}))
    with session_scope(database) as session:
        row = session.execute(select(VerificationSession)).scalar_one()
        assert row.email_digest is None


def test_the_password_reset_ends_without_the_places_when_the_email_is_not_known(database):
    texts, _, events = run(ActionPasswordResetSubmit(), tracker(
        "", slots={"verification_status": "not_known"}, service="store"))
    assert texts == []
    assert slot_events(events)["verification_status"] is None


def test_an_out_of_scope_message_that_says_the_asked_email_is_not_known_ends_the_form(database):
    texts, _, events = _faq_mid_form("登録したメアド、どれだったか全然思い出せないんだよね", "out_of_scope", asked="email")
    assert texts[0].startswith("承知しました。ご登録のメールアドレスが分からない場合は")
    assert slot_events(events)["verification_status"] == "not_known"


def test_a_topic_question_with_a_not_knowing_about_something_else_gets_its_answer(database):
    texts, _, events = _faq_mid_form("サポートの電話番号がわからない", "contact_support", asked="email")
    assert "0120-000-101" in texts[0]
    assert "verification_status" not in slot_events(events)


# --- values typed before a form started ----------------------------------------------------------

def test_a_masked_address_the_form_never_checked_is_asked_for_again(database):
    # An address typed outside any form fills the slot; the tracker store keeps only its mask.
    turn = form_turn("会員番号を忘れました", {"email": "i***@family.example"}, form="forgot_number_form",
                     requested="email")
    _, _, events = run(ValidateForgotNumberForm(), turn)
    assert slot_events(events)["email"] is None
    assert slot_events(events)["requested_slot"] == "email"


def test_a_masked_address_the_form_took_is_kept(database):
    run(ValidateForgotNumberForm(), form_turn(ITO["email"], {"email": ITO["email"]}, form="forgot_number_form",
                                              requested="email"))
    turn = form_turn("i***@family.example", {"email": "i***@family.example"}, form="forgot_number_form",
                     requested="birthdate")
    _, _, events = run(ValidateForgotNumberForm(), turn)
    assert slot_events(events)["email"] == "i***@family.example"
    assert slot_events(events)["requested_slot"] == "birthdate"


def test_a_question_about_whose_birth_date_gets_an_explanation_and_the_form_goes_on(database):
    texts, _, events = _faq_mid_form("生年月日って、子どもの誕生日ですか？それとも親の私のですか？", "bot_challenge",
                                     asked="birthdate")
    assert texts == [messages.FACTOR_HELP["birthdate"]]
    assert "verification_status" not in slot_events(events)


def test_a_topic_question_that_names_the_asked_factor_still_gets_its_answer(database):
    texts, _, events = _faq_mid_form("メールが届かないのはなぜですか？", "mail_not_arriving", asked="email")
    assert "迷惑メール" in texts[0]
    assert "verification_status" not in slot_events(events)


def test_not_understanding_the_question_gets_an_explanation_not_the_end_of_the_form(database):
    turn = form_turn("何を入力すればいいのかわかりません", {"email": "何を入力すればいいのかわかりません"},
                     form="forgot_number_form", requested="email", intent="deny")
    texts, _, events = run(ValidateForgotNumberForm(), turn)
    assert texts == [messages.FACTOR_HELP["email"]]
    assert slot_events(events)["requested_slot"] == "email"


def test_a_factor_given_beside_a_not_known_one_is_dropped_too(database):
    turn = form_turn("メアドは忘れたけど生年月日は2011年12月24日です",
                     {"email": "メアドは忘れたけど生年月日は2011年12月24日です", "birthdate": "2011-12-24"},
                     form="forgot_number_form", requested="email")
    _, _, events = run(ValidateForgotNumberForm(), turn)
    assert slot_events(events)["birthdate"] is None
    with session_scope(database) as session:
        assert verification.held_factors(session, "conv-1", "learning") == ()


def test_a_no_with_an_address_in_the_reset_form_is_a_typo_to_fix_not_a_refusal(database):
    turn = form_turn("違います、アドレスは taro@example,jp", {"email": "違います、アドレスは taro@example,jp"},
                     form="password_reset_form", requested="email", intent="deny")
    texts, _, events = run(ValidatePasswordResetForm(), turn)
    assert messages.EMAIL_FORMAT in texts
    assert slot_events(events)["requested_slot"] == "email"


def test_a_goodbye_mid_form_says_the_procedure_was_dropped_then_takes_leave(database):
    texts, _, events = run(ActionCancelFlow(), tracker("また今度にします。さようなら", "goodbye", service="loan"))
    assert texts[0] == messages.CANCELLED_ON_LEAVING
    assert "ありがとうございました" in texts[1]
    assert slot_events(events)["requested_slot"] is None
