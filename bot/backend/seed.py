"""Demo data: fictional members of the three services (``python -m bot.backend.seed``).

Running it again changes nothing: a member is only added when its number was never issued,
a pending registration only when none exists for its address. Every name is made up and
every address uses the reserved ``.example`` domain.
"""
from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backend import keys
from bot.backend.clock import Clock, resolve
from bot.backend.members import create_member
from bot.backend.models import Member, MemberStatus, NumberHistory, PendingRegistration
from bot.backend.passwords import hash_password
from bot.backend.registration import create_pending_registration

logger = logging.getLogger(__name__)

# Every demo account has this password (demo data only).
DEMO_PASSWORD = "demo-pass-2024"


@dataclass(frozen=True)
class DemoMember:
    """One fictional member."""

    service_id: str
    number: str
    name: str
    name_kana: str
    email: str
    birthdate: str
    phone: str
    status: MemberStatus = MemberStatus.ACTIVE
    # (number, issued, retired, reason) of a number this member had before.
    retired: Optional[Tuple[str, str, str, str]] = None


DEMO_MEMBERS: Tuple[DemoMember, ...] = (
    # すくすくゼミ: the member is the child; the address and phone are the guardian's.
    DemoMember("learning", "3104567821", "山田 太郎", "ヤマダ タロウ", "yamada.family@mail.example", "2014-05-12", "09012345678"),
    DemoMember("learning", "3104567838", "山田 花子", "ヤマダ ハナコ", "yamada.family@mail.example", "2016-09-03", "09012345678"),
    DemoMember("learning", "2208915546", "佐藤 陽菜", "サトウ ヒナ", "sato.hina@mail.example", "2013-02-28", "08023456789"),
    DemoMember("learning", "4471203359", "鈴木 大翔", "スズキ ヒロト", "suzuki-home@family.example", "2015-07-07", "07034567890"),
    DemoMember("learning", "5093318842", "高橋 結衣", "タカハシ ユイ", "takahashi.yui@mail.example", "2012-11-20", "09045678901"),
    DemoMember("learning", "6120447719", "田中 蓮", "タナカ レン", "tanaka.ren@family.example", "2017-04-02", "0312345678"),
    DemoMember(
        "learning", "7035520184", "伊藤 さくら", "イトウ サクラ", "ito.sakura@family.example", "2011-12-24", "09056789012",
        retired=("7035520100", "2019-04-01", "2023-06-15", "タブレットのシール紛失のため再発行"),
    ),
    DemoMember("learning", "8316642207", "渡辺 湊", "ワタナベ ミナト", "watanabe.minato@mail.example", "2014-08-15", "08067890123"),
    # あおばカード
    DemoMember("loan", "510238476", "中村 健一", "ナカムラ ケンイチ", "nakamura.kenichi@mail.example", "1985-03-14", "09011112222"),
    DemoMember("loan", "520447913", "小林 美咲", "コバヤシ ミサキ", "kobayashi.misaki@mail.example", "1990-06-30", "08022223333"),
    DemoMember(
        "loan", "530881245", "加藤 誠", "カトウ マコト", "kato.makoto@mail.example", "1978-10-05", "07033334444",
        status=MemberStatus.SUSPENDED,
    ),
    DemoMember("loan", "541276308", "吉田 真由美", "ヨシダ マユミ", "yoshida.mayumi@mail.example", "1982-01-19", "09044445555"),
    DemoMember("loan", "552190764", "山本 翔太", "ヤマモト ショウタ", "yamamoto.shota@mail.example", "1995-09-09", "08055556666"),
    DemoMember("loan", "563307851", "松本 恵", "マツモト メグミ", "matsumoto.megumi@mail.example", "1988-12-01", "09066667777"),
    # まなびブックストア
    DemoMember("store", "100245873196", "井上 拓也", "イノウエ タクヤ", "inoue.takuya@mail.example", "2005-04-18", "09077778888"),
    DemoMember("store", "100388214507", "木村 彩", "キムラ アヤ", "kimura.aya@mail.example", "2003-08-25", "08088889999"),
    DemoMember(
        "store", "100471920364", "林 大輔", "ハヤシ ダイスケ", "hayashi.daisuke@mail.example", "1975-02-11", "09099990000",
        status=MemberStatus.LOCKED,
    ),
    DemoMember("store", "100512873049", "清水 七海", "シミズ ナナミ", "shimizu.nanami@school.example", "2006-10-10", "07012121212"),
    DemoMember("store", "100693041752", "山口 悠真", "ヤマグチ ユウマ", "yamaguchi.yuma@mail.example", "2004-01-31", "08034343434"),
    DemoMember("store", "100734160298", "森 葵", "モリ アオイ", "mori.aoi@mail.example", "2002-06-06", "09056565656"),
)

# (service, e-mail, name) of provisional registrations still waiting for confirmation.
DEMO_PENDING: Tuple[Tuple[str, str, str], ...] = (
    ("store", "ikeda.riku@mail.example", "池田 陸"),
    ("learning", "hashimoto.family@mail.example", "橋本 結菜"),
)


@dataclass(frozen=True)
class SeedReport:
    """How many rows the seed added."""

    members_added: int
    pending_added: int


def _utc(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def seed(session: Session, *, clock: Optional[Clock] = None) -> SeedReport:
    """Add the demo members and pending registrations that are not there yet."""
    now = resolve(clock).now()
    members_added = 0
    demo_hash: Optional[str] = None
    for demo in DEMO_MEMBERS:
        numbers = [demo.number] + ([demo.retired[0]] if demo.retired else [])
        issued = session.execute(
            select(NumberHistory.id).where(NumberHistory.service_id == demo.service_id, NumberHistory.number.in_(numbers))
        ).first()
        if issued:
            continue
        member_id = create_member(
            session, demo.service_id, name=demo.name, name_kana=demo.name_kana, email=demo.email,
            birthdate=demo.birthdate, phone=demo.phone, status=demo.status, number=demo.number, clock=clock,
        )
        # One Argon2 hash (salted once) serves every demo account: hashing is slow on purpose.
        demo_hash = demo_hash or hash_password(DEMO_PASSWORD)
        session.get(Member, member_id).password_hash = demo_hash
        if demo.retired:
            old, issued_on, retired_on, reason = demo.retired
            session.add(
                NumberHistory(
                    member_id=member_id, service_id=demo.service_id, number=old, issued_at=_utc(issued_on),
                    retired_at=_utc(retired_on), retire_reason=reason,
                )
            )
        members_added += 1
    pending_added = 0
    for service_id, email, name in DEMO_PENDING:
        exists = session.execute(
            select(PendingRegistration.id).where(
                PendingRegistration.service_id == service_id,
                PendingRegistration.email_digest == keys.email_digest(email),
            )
        ).first()
        if exists:
            continue
        create_pending_registration(session, service_id, email, name=name, send_mail=False, clock=clock)
        pending_added += 1
    session.flush()
    logger.debug("seed at %s added %d members", now.isoformat(), members_added)
    return SeedReport(members_added, pending_added)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line entry point: migrate, then seed."""
    from bot.backend.db import database_url, make_engine, session_scope
    from bot.backend.migrate import upgrade

    parser = argparse.ArgumentParser(description="Load fictional demo members (idempotent).")
    parser.add_argument("--url", help="database URL (default: BOT_DATABASE_URL or var/bot.sqlite3)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    url = args.url or database_url()
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            report = seed(session)
    finally:
        engine.dispose()
    print(f"demo data: {report.members_added} members and {report.pending_added} pending registrations added")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
