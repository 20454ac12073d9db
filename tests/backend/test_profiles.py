"""Service profiles: typed view of data/services/<id>.yml."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.backend import profiles
from bot.backend.profiles import Factor, PostalItem, ProfileError, RevealPolicy, UnknownServiceError, get_profile

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_profiles():
    profiles.reload()
    yield
    profiles.reload()


def test_all_three_services_are_loaded() -> None:
    assert sorted(profiles.all_profiles()) == ["learning", "loan", "store"]


def test_learning_number_is_ten_digits_never_starting_with_zero() -> None:
    number = get_profile("learning").number
    assert (number.label, number.digits) == ("会員番号", 10)
    assert number.matches("3104567821")
    assert not number.matches("0104567821")
    assert not number.matches("310456782")


def test_store_calls_its_number_okyakusama_bangou_with_twelve_digits() -> None:
    number = get_profile("store").number
    assert (number.label, number.digits) == ("お客様番号", 12)
    assert number.matches("100245873196")


def test_reveal_needs_email_and_birthdate_reissue_also_phone() -> None:
    verification = get_profile("learning").verification
    assert verification.reveal == (Factor.EMAIL, Factor.BIRTHDATE)
    assert verification.reissue == (Factor.EMAIL, Factor.BIRTHDATE, Factor.PHONE)


def test_default_reveal_policy_is_masked_in_chat_full_by_mail() -> None:
    assert get_profile("loan").reveal_policy is RevealPolicy.MASKED_IN_CHAT_FULL_BY_MAIL


def test_loan_pin_is_reset_only_at_kiosk_or_branch() -> None:
    password = get_profile("loan").password
    assert password.remote_reset is False
    assert password.reset_places == ("自動契約機", "店頭窓口")


def test_postal_items_after_reissue_differ_per_service() -> None:
    assert get_profile("learning").reissue.postal_items == (PostalItem.STICKER, PostalItem.NOTICE)
    assert get_profile("loan").reissue.postal_items == (PostalItem.NOTICE,)
    assert get_profile("store").reissue.postal_items == ()


def test_lockout_limits_come_from_the_profile() -> None:
    lockout = get_profile("learning").lockout
    assert (lockout.attempts_per_conversation, lockout.attempts_per_member) == (3, 5)
    assert (lockout.window_minutes, lockout.lock_minutes) == (30, 30)


def test_store_has_no_phone_line_but_a_form() -> None:
    support = get_profile("store").support
    assert support.phone is None
    assert "お問い合わせフォーム" in support.form
    assert support.chat_hours == "平日 10:00〜17:00"


def test_things_a_service_never_does_are_listed() -> None:
    assert "本人確認の前に会員番号をお伝えすること" in get_profile("learning").never


def test_unknown_service_error_names_the_known_ones() -> None:
    with pytest.raises(UnknownServiceError, match="unknown service 'bank'.*learning, loan, store"):
        get_profile("bank")


def test_default_service_is_learning_without_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOT_DEFAULT_SERVICE", raising=False)
    assert get_profile().id == "learning"


def test_default_service_comes_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DEFAULT_SERVICE", "store")
    assert profiles.default_service() == "store"
    assert get_profile().id == "store"


def _data_dir_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    services = tmp_path / "services"
    services.mkdir()
    text = (REPO_ROOT / "data" / "services" / "learning.yml").read_text(encoding="utf-8")
    assert old in text
    (services / "learning.yml").write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))


def test_profile_without_email_factor_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _data_dir_with(tmp_path, monkeypatch, "reveal: [email, birthdate]", "reveal: [birthdate]")
    with pytest.raises(ProfileError, match="must include email"):
        profiles.all_profiles()


def test_profile_with_unknown_postal_item_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _data_dir_with(tmp_path, monkeypatch, "postal_items: [sticker, notice]", "postal_items: [pigeon]")
    with pytest.raises(ProfileError, match="postal_items"):
        profiles.all_profiles()


def test_profile_with_text_as_lockout_limit_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _data_dir_with(tmp_path, monkeypatch, "attempts_per_member: 5", "attempts_per_member: five")
    with pytest.raises(ProfileError, match="attempts_per_member"):
        profiles.all_profiles()
