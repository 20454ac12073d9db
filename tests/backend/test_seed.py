"""Demo data: fictional, complete, idempotent."""
from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bot.backend.models import Member, MemberStatus, PendingRegistration
from bot.backend.seed import DEMO_MEMBERS, main, seed
from bot.backend.verification import submit_factors, verify

from .conftest import table_dump

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_seed_adds_twenty_members_and_two_pending_registrations(tx, clock) -> None:
    with tx() as session:
        report = seed(session, clock=clock)
    assert (report.members_added, report.pending_added) == (20, 2)


def test_running_the_seed_twice_changes_nothing(tx, clock) -> None:
    with tx() as session:
        seed(session, clock=clock)
    with tx() as session:
        before = table_dump(session)
    clock.advance(days=1)
    with tx() as session:
        report = seed(session, clock=clock)
    with tx() as session:
        after = table_dump(session)
    assert (report.members_added, report.pending_added) == (0, 0)
    assert after == before


def test_seed_covers_all_services_and_special_accounts(tx, clock) -> None:
    with tx() as session:
        seed(session, clock=clock)
        members = session.execute(select(Member)).scalars().all()
        pending = session.execute(select(PendingRegistration)).scalars().all()
    assert {m.service_id for m in members} == {"learning", "loan", "store"}
    statuses = {m.status for m in members}
    assert {MemberStatus.SUSPENDED.value, MemberStatus.LOCKED.value} <= statuses
    assert pending


def test_demo_addresses_use_the_reserved_example_domain() -> None:
    assert all(re.fullmatch(r"[a-z0-9._-]+@[a-z0-9.-]+\.example", m.email) for m in DEMO_MEMBERS)


def test_demo_member_can_verify_with_the_documented_data(tx, clock) -> None:
    with tx() as session:
        seed(session, clock=clock)
    with tx() as session:
        submit_factors(session, "demo", "loan", email="nakamura.kenichi@mail.example", birthdate="1985-03-14", clock=clock)
        assert verify(session, "demo", "loan", clock=clock).verified


def test_documented_demo_members_exist_in_the_seed() -> None:
    doc = (REPO_ROOT / "docs" / "demo-members.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`?(learning|loan|store)`?\s*\|.*$", doc, flags=re.M)
    assert rows
    seeded = {(m.service_id, m.email, m.birthdate, m.phone, m.number) for m in DEMO_MEMBERS}
    for line in re.findall(r"^\|\s*`?(?:learning|loan|store)`?\s*\|.*$", doc, flags=re.M):
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        service, email, birthdate, phone, number = cells[0], cells[2], cells[3], cells[4], cells[5]
        assert (service, email, birthdate, phone, number) in seeded, line


def test_seed_command_migrates_and_seeds_an_empty_database(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert main(["--url", url]) == 0
    assert main(["--url", url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "demo data: 20 members and 2 pending registrations added",
        "demo data: 0 members and 0 pending registrations added",
    ]
