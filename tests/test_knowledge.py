"""Tests for bot/knowledge.py and the FAQ answers in data/knowledge/*.yml."""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # allow a plain `pytest` run without installing
    sys.path.insert(0, str(REPO_ROOT))

from bot import knowledge  # noqa: E402

SERVICES = ["learning", "loan", "store"]

FAQ_LABELS = [
    "where_is_number",
    "forgot_number",
    "reissue_number",
    "mail_not_arriving",
    "login_failed",
    "forgot_password",
    "account_locked",
    "id_difference",
    "how_to_register",
    "email_already_registered",
    "withdraw",
    "contact_support",
    "change_registration",
    "number_validity",
]
SMALL_TALK_LABELS = [
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "out_of_scope",
    "fallback_clarify",
    "handoff_opened",
    "handoff_closed_hours",
]
LABELS = FAQ_LABELS + SMALL_TALK_LABELS

# Real brands named in the source articles; the product uses fictional names only.
REAL_BRANDS = ["進研ゼミ", "ベネッセ", "チャレンジタッチ", "プロミス", "Lentrance", "lentrance"]

BULLET_RE = re.compile(r"^\s*(?:[・•●\-*]|\d+[.)．])\s*")
TERMINATOR_RE = re.compile(r"[。！？!?]")
MAX_SENTENCES = 4
MAX_BULLETS = 7
MAX_BULLET_CHARS = 90

SECRET_WORDS = ("パスワード", "暗証番号")
NEGATION_RE = re.compile(r"(ありません|しません|いません|できません|できず|しておらず|ておらず|ないので|ないため|不要)")
ASK_RE = re.compile(
    r"(教えて(ください|いただけ)|お知らせください|お書きください|ご?入力(して)?ください|"
    r"お送りください|送って(ください|ほしい)|ご記入ください|お聞かせください|"
    r"お伺い|お聞き|お尋ね|伺います)"
)
TELL_RE = re.compile(r"(お伝えします|お送りします|お知らせします|表示します|お教えします|メールします)")
PHONE_NUMBER_RE = re.compile(r"0\d{1,4}[-‐ー－]\d{1,4}[-‐ー－]\d{3,4}|0120|0570|\b0\d{9,10}\b")


def _profile(service: str) -> dict:
    with (REPO_ROOT / "data" / "services" / f"{service}.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _all_answers():
    for service in SERVICES:
        for label in LABELS:
            yield pytest.param(service, label, knowledge.answer(service, label), id=f"{service}-{label}")


def _lines(text: str):
    return [line for line in text.splitlines() if line.strip()]


def _sentences(text: str) -> list[str]:
    """Sentences of every line (bullet lines are one item each)."""
    out: list[str] = []
    for line in _lines(text):
        body = BULLET_RE.sub("", line) if BULLET_RE.match(line) else line
        out.extend(s for s in TERMINATOR_RE.split(body) if s.strip())
    return out


def _prose_sentence_count(text: str) -> int:
    count = 0
    for line in _lines(text):
        if BULLET_RE.match(line):
            continue
        count += len([s for s in TERMINATOR_RE.split(line) if s.strip()])
    return count


@pytest.fixture(autouse=True)
def _default_data_dir(monkeypatch):
    monkeypatch.delenv("BOT_DATA_DIR", raising=False)
    yield


# --- loader ---------------------------------------------------------------------------


def test_services_are_discovered():
    assert knowledge.services() == SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_every_label(service):
    assert set(knowledge.labels(service)) == set(LABELS)


@pytest.mark.parametrize("service", SERVICES)
def test_knowledge_file_names_its_service(service):
    with (REPO_ROOT / "data" / "knowledge" / f"{service}.yml").open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    assert doc["service"] == service


def test_unknown_service_raises_keyerror_with_message():
    with pytest.raises(KeyError) as err:
        knowledge.answer("bank", "greet")
    assert isinstance(err.value, knowledge.UnknownServiceError)
    assert "bank" in str(err.value) and "learning" in str(err.value)
    with pytest.raises(KeyError):
        knowledge.labels("bank")


def test_unknown_label_raises_keyerror_with_message():
    with pytest.raises(KeyError) as err:
        knowledge.answer("learning", "order_pizza")
    assert isinstance(err.value, knowledge.UnknownLabelError)
    assert "order_pizza" in str(err.value) and "where_is_number" in str(err.value)


def test_answers_are_cached():
    assert knowledge.answer("loan", "greet") is knowledge.answer("loan", "greet")


@pytest.mark.parametrize("service", SERVICES)
def test_profile_facts_are_filled_from_the_profile(service):
    profile = _profile(service)
    assert profile["name"] in knowledge.answer(service, "greet")
    assert profile["number"]["label"] in knowledge.answer(service, "where_is_number")
    assert "@" + profile["mail_domain"] in knowledge.answer(service, "mail_not_arriving")
    contact = knowledge.answer(service, "contact_support")
    assert profile["support"]["form"] in contact
    assert profile["support"]["chat_hours"] in contact
    if profile["support"]["phone"]:
        assert profile["support"]["phone"] in contact
        assert profile["support"]["phone_hours"] in contact
    assert profile["support"]["chat_hours"] in knowledge.answer(service, "handoff_opened")
    assert profile["support"]["chat_hours"] in knowledge.answer(service, "handoff_closed_hours")


def test_bot_data_dir_override(tmp_path, monkeypatch):
    shutil.copytree(REPO_ROOT / "data" / "services", tmp_path / "services")
    shutil.copytree(REPO_ROOT / "data" / "knowledge", tmp_path / "knowledge")
    profile_path = tmp_path / "services" / "learning.yml"
    profile = yaml.safe_load(profile_path.read_text(encoding="utf-8"))
    profile["support"]["phone"] = "0120-999-999"
    profile_path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    assert "0120-999-999" in knowledge.answer("learning", "contact_support")
    monkeypatch.delenv("BOT_DATA_DIR")
    assert "0120-999-999" not in knowledge.answer("learning", "contact_support")


def test_placeholder_without_profile_value_is_reported(tmp_path, monkeypatch):
    (tmp_path / "services").mkdir()
    (tmp_path / "knowledge").mkdir()
    shutil.copy(REPO_ROOT / "data" / "services" / "store.yml", tmp_path / "services")
    (tmp_path / "knowledge" / "store.yml").write_text(
        "service: store\nanswers:\n  contact_support: 電話は{support_phone}です。\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    with pytest.raises(knowledge.KnowledgeError, match="support_phone"):
        knowledge.answer("store", "contact_support")


def test_unknown_placeholder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "services").mkdir()
    (tmp_path / "knowledge").mkdir()
    shutil.copy(REPO_ROOT / "data" / "services" / "loan.yml", tmp_path / "services")
    (tmp_path / "knowledge" / "loan.yml").write_text(
        "service: loan\nanswers:\n  greet: こんにちは、{nmae}です。\n", encoding="utf-8"
    )
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    with pytest.raises(knowledge.KnowledgeError, match="nmae"):
        knowledge.labels("loan")


# --- content rules for every answer ----------------------------------------------------


@pytest.mark.parametrize("service,label,text", list(_all_answers()))
def test_no_unfilled_placeholders(service, label, text):
    assert text.strip()
    assert not re.search(r"[{}｛｝]", text), text


@pytest.mark.parametrize("service,label,text", list(_all_answers()))
def test_answer_is_short(service, label, text):
    assert _prose_sentence_count(text) <= MAX_SENTENCES, text
    bullets = [line for line in _lines(text) if BULLET_RE.match(line)]
    if bullets:
        assert not BULLET_RE.match(_lines(text)[0]), "a list needs an intro line"
        assert len(bullets) <= MAX_BULLETS, text
        for line in bullets:
            assert len(line) <= MAX_BULLET_CHARS, line
            assert len(TERMINATOR_RE.findall(line)) <= 1, line


@pytest.mark.parametrize("service,label,text", list(_all_answers()))
def test_polite_japanese(service, label, text):
    prose = [line for line in _lines(text) if not BULLET_RE.match(line)]
    assert prose, text
    assert re.search(r"(です|ます|ません|ください|ございます|でした)", text), text


@pytest.mark.parametrize("service,label,text", list(_all_answers()))
def test_no_real_brand_names(service, label, text):
    for brand in REAL_BRANDS:
        assert brand.lower() not in text.lower(), brand


@pytest.mark.parametrize("service,label,text", list(_all_answers()))
def test_never_asks_for_or_reveals_a_password(service, label, text):
    assert "仮パスワード" not in text
    # nothing that looks like a secret value after the word
    assert not re.search(
        r"(パスワード|暗証番号)\s*(は|：|:|＝|=)\s*[「\"']?[\x21-\x7e]{4,}(?=[」\"'。、\s]|$)", text
    ), text
    for sentence in _sentences(text):
        if not any(word in sentence for word in SECRET_WORDS):
            continue
        if NEGATION_RE.search(sentence):
            continue  # e.g. 「パスワードをお尋ねすることはありません」
        assert not ASK_RE.search(sentence), f"asks for a secret: {sentence}"
        assert not TELL_RE.search(sentence), f"offers to tell a secret: {sentence}"


@pytest.mark.parametrize("service,label,text", list(_all_answers()))
def test_no_member_number_like_digits(service, label, text):
    # static answers never contain a real-looking member / customer number
    assert not re.search(r"(?<!\d)[1-9]\d{8,}(?!\d)", text), text


# --- service-specific facts --------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_forgot_password_says_it_is_never_told(service):
    text = knowledge.answer(service, "forgot_password")
    assert re.search(r"お伝えして(い|お)", text) or "お伝えできません" in text
    assert "電話" not in text or service != "store"


def test_loan_pin_reset_only_at_kiosk_or_branch():
    text = knowledge.answer("loan", "forgot_password")
    assert "暗証番号" in text
    for place in _profile("loan")["password"]["reset_places"]:
        assert place in text
    assert "自動契約機" in text and "店頭窓口" in text
    assert "再設定用のリンク" not in text


def test_loan_number_is_not_printed_but_on_member_page():
    text = knowledge.answer("loan", "where_is_number")
    assert "ログイン" in text and "トップページ" in text
    assert "書かれていません" in text or "印字されていません" in text


def test_loan_account_locked_mentions_card_suspension():
    assert "利用停止" in knowledge.answer("loan", "account_locked")


def test_loan_id_difference_names_all_ids():
    text = knowledge.answer("loan", "id_difference")
    for word in ("会員番号", "カード番号", "暗証番号", "Web-ID", "パスワード"):
        assert word in text


def test_loan_registration_needs_number_and_email():
    text = knowledge.answer("loan", "how_to_register")
    assert "Web-ID" in text and "9桁" in text and "メールアドレス" in text


def test_learning_mentions_tablet_sticker_and_reset_link():
    assert "シール" in knowledge.answer("learning", "where_is_number")
    assert "リンク" in knowledge.answer("learning", "forgot_password")


def test_learning_id_difference_names_all_ids():
    text = knowledge.answer("learning", "id_difference")
    for word in ("会員番号", "パスワード", "アカウントID"):
        assert word in text


def test_store_registration_routes():
    text = knowledge.answer("store", "how_to_register")
    for word in ("仮登録", "パスワード", "Apple", "Google", "Microsoft"):
        assert word in text
    assert "戻りません" in knowledge.answer("store", "withdraw")
    assert "ログイン" in knowledge.answer("store", "email_already_registered")


def test_store_id_difference_names_all_ids():
    text = knowledge.answer("store", "id_difference")
    for word in ("お客様番号", "メールアドレス", "パスワード", "Apple"):
        assert word in text


@pytest.mark.parametrize("label", LABELS)
def test_store_never_mentions_tablet_sticker_or_phone_number(label):
    # The member's own registered phone number is an identity factor, not a support line.
    text = knowledge.answer("store", label).replace("メールアドレス・生年月日・電話番号", "")
    assert "タブレット" not in text and "シール" not in text
    assert "電話番号" not in text
    assert not PHONE_NUMBER_RE.search(text), text
    for sentence in _sentences(text):
        if "電話" in sentence:  # only to say there is no phone line
            assert re.search(r"(なく|ありません|ございません|行っていません)", sentence), sentence


def test_store_contact_says_there_is_no_phone_line():
    text = knowledge.answer("store", "contact_support")
    assert "電話窓口がなく" in text or "電話窓口はありません" in text


@pytest.mark.parametrize("service", ["learning", "loan"])
def test_phone_services_give_their_phone(service):
    phone = _profile(service)["support"]["phone"]
    assert phone in knowledge.answer(service, "contact_support")


# --- sentences are our own (opt-in: BOT_SOURCES_DIR=/path/to/source/articles) -----------


COPY_WINDOW = 20  # characters in a row shared with a source article


def _windows(text: str, size: int = COPY_WINDOW) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@pytest.mark.skipif(not os.environ.get("BOT_SOURCES_DIR"), reason="BOT_SOURCES_DIR not set")
def test_answers_do_not_copy_source_sentences():
    folder = Path(os.environ["BOT_SOURCES_DIR"])
    windows: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        windows |= _windows(path.read_text(encoding="utf-8"))
    assert windows
    for service in SERVICES:
        for label in LABELS:
            text = knowledge.answer(service, label)
            for line in _lines(text):
                copied = _windows(line) & windows
                assert not copied, (service, label, sorted(copied)[:1])
