"""Texts of the mails the services send (Japanese, per service profile)."""
from __future__ import annotations

from typing import Tuple

from bot.backend.profiles import ServiceProfile

Message = Tuple[str, str]  # (subject, body)


def _footer(profile: ServiceProfile) -> str:
    lines = ["", "――", f"{profile.name} サポート"]
    if profile.support.phone:
        lines.append(f"電話: {profile.support.phone}（{profile.support.phone_hours}）")
    if profile.support.form:
        lines.append(f"お問い合わせ: {profile.support.form}")
    lines.append("このメールにお心当たりがない場合は、破棄してください。")
    return "\n".join(lines)


def number_notice(profile: ServiceProfile, name: str, number: str) -> Message:
    """The full member number, sent after identity verification."""
    label = profile.number.label
    subject = f"【{profile.name}】{label}のお知らせ"
    body = (
        f"{name} 様\n\n"
        f"チャットでのご本人確認ありがとうございました。\n"
        f"ご登録の{label}は次のとおりです。\n\n"
        f"  {label}: {number}\n\n"
        f"{label}は大切に保管してください。" + _footer(profile)
    )
    return subject, body


def number_reissued(profile: ServiceProfile, name: str, number: str, postal: bool) -> Message:
    """The new member number after a reissue."""
    label = profile.number.label
    subject = f"【{profile.name}】{label}再発行のお知らせ"
    body = (
        f"{name} 様\n\n"
        f"{label}を再発行しました。新しい{label}は次のとおりです。\n\n"
        f"  新しい{label}: {number}\n\n"
        f"これまでの{label}はご利用いただけなくなりました。\n"
    )
    if postal:
        body += "ご登録のご住所へ、新しい番号のお知らせを郵送します（1週間ほどでお届けします）。\n"
    return subject, body + _footer(profile)


def password_reset(profile: ServiceProfile, name: str, link: str, minutes: int) -> Message:
    """The password reset link."""
    subject = f"【{profile.name}】パスワード再設定のご案内"
    body = (
        f"{name} 様\n\n"
        f"パスワード再設定のお申し込みを受け付けました。\n"
        f"次のリンクから{minutes}分以内に新しいパスワードを設定してください（1回のみ有効）。\n\n"
        f"  {link}\n\n"
        f"お申し込みにお心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。"
        + _footer(profile)
    )
    return subject, body


def registration(profile: ServiceProfile, link: str) -> Message:
    """The provisional-registration confirmation link (resent)."""
    subject = profile.registration_mail.subject or f"【{profile.name}】仮登録完了のお知らせ"
    body = (
        f"{profile.name}への仮登録ありがとうございます。\n"
        f"次のリンクを開いて、本登録を完了してください。\n\n"
        f"  {link}\n" + _footer(profile)
    )
    return subject, body


def site_link(profile: ServiceProfile, path: str, token: str) -> str:
    """A link on the service's (fictional) website carrying ``token``."""
    return f"https://www.{profile.mail_domain}/{path}?token={token}"
