"""Value masks shown in chat, logs and the agent console."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

from bot.privacy.masking import mask_birthdate, mask_email, mask_number, mask_phone, mask_text


def test_member_number_keeps_first_and_last_two_digits() -> None:
    assert mask_number("1234567890") == "12******90"


def test_loan_and_store_numbers_are_masked_the_same_way() -> None:
    assert mask_number("510238476") == "51*****76"
    assert mask_number("100245873196") == "10********96"


def test_email_keeps_first_letter_and_domain() -> None:
    assert mask_email("taro@example.jp") == "t***@example.jp"


def test_mobile_phone_keeps_last_four_digits() -> None:
    assert mask_phone("09012345678") == "***-****-5678"


def test_full_width_hyphenated_phone_is_masked_like_ascii() -> None:
    assert mask_phone("０９０－１２３４－５６７８") == "***-****-5678"


def test_tokyo_landline_keeps_last_four_digits() -> None:
    assert mask_phone("0312345678") == "**-****-5678"


def test_birthdate_is_fully_masked() -> None:
    assert mask_birthdate("2014-05-12") == "****-**-**"


def test_free_text_mask_hides_number_mail_date_and_phone() -> None:
    text = "会員番号は3104567821、メールはyamada.family@mail.example、生年月日は平成26年5月12日、電話は090-1234-5678です。"
    masked = mask_text(text)
    assert masked == "会員番号は**********、メールはy***@mail.example、生年月日は****-**-**、電話は***-****-****です。"


def test_free_text_mask_keeps_small_numbers() -> None:
    assert mask_text("教材が3冊、2月号から届いていません") == "教材が3冊、2月号から届いていません"


def test_masking_module_uses_only_the_standard_library() -> None:
    source = Path(__file__).resolve().parents[2] / "bot" / "privacy" / "masking.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
