"""Staff lists benchmark: the case list and "my work" over 100,000 cases, against a minimal Django view.

    .venv/bin/python bench/cases.py [--cases N] [--requests R] [--work-requests W] [--database-url URL]

Creates a throwaway PostgreSQL database (default ``sanxiang_bench_cases``; a ``sqlite:///`` URL uses a file
under var/), migrates it, loads the shipped holiday tables, and creates a handful of county agencies with
officers and parties through the services. It then bulk-creates N cases with the rows ``case_open`` and
``case_transition`` would write for them — the case with the fields each action's effect sets, its parties
and officers, one ``CaseTransition`` per step of a path through the workflow table, the proposed, notified
and final penalties, and the bank payment of every executed fine — with stages spread across the table.
Audit events are not written: neither page reads them, and bench/audit.py measures the log. The bulk
creation bypasses the services, so the stored clocks "my work" reads are then rebuilt once (as
``check_deadlines`` does), and the rebuild is timed.

Through the Django test Client (whole middleware stack, sessions, templates), logged in as an officer and as
a leader of the first agency, it times R requests of the case list over varied filters and pages, W requests
of "my work" (worklist:my_work), and R requests of a minimal view (login required, a short text response) as
the baseline of the same process. It prints p50 / p95 / max in ms against the target (p95 ≤ 150 ms), and for
each page the number of queries and the slowest ones, with EXPLAIN ANALYZE of the slowest on PostgreSQL.
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench-cases.sqlite3"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sanxiang_bench_cases"
TARGET_P95_MS = 150.0
TODAY = datetime.date(2026, 11, 27)  # the "today" of every act and every page: a Friday, a working day
FIRST_DAY = datetime.date(2025, 1, 2)
LAST_FILING = datetime.date(2026, 9, 30)  # its 90-day clock ends inside the 2026 holiday table
AGENCIES = [("舒城县应急管理局", "舒", "341523"), ("霍山县应急管理局", "霍", "341525")]
AGENCIES += [("金寨县应急管理局", "金", "341524"), ("霍邱县应急管理局", "邱", "341522")]
AGENCIES += [("叶集区应急管理局", "叶", "341504")]
OFFICERS_PER_AGENCY = 20
PARTIES_PER_AGENCY = 2_000
BATCH = 2_000
PASSWORD = "Bench@2026-only"  # noqa: S105 - a throwaway database


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000, help="cases to create")
    parser.add_argument("--requests", type=int, default=200, help="case list and baseline requests per user")
    parser.add_argument("--work-requests", type=int, default=50, help='"my work" requests per user')
    parser.add_argument("--database-url", default=DEFAULT_URL, help="throwaway database")
    parser.add_argument("--seed", type=int, default=20261127)
    return parser.parse_args()


def admin_dsn(url: str) -> tuple[str, str]:
    head, _, name = url.rpartition("/")
    return f"{head}/postgres", name or "sanxiang_bench_cases"


def create_database(url: str) -> str:
    if url.startswith("sqlite"):
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        drop_database(url)
        return f"sqlite:///{SQLITE_FILE}"
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    args = parse()
    url = create_database(args.database_url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SANXIANG_DEBUG", "0")  # as in production: no query log kept in memory
    sys.path.insert(0, str(ROOT))
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url)


# ----------------------------------------------------------------------------------------------------
# Paths through the workflow table: the actions that bring a lead to each stage (variants for the endings).


def paths() -> dict[str, list[list[Any]]]:
    from sanxiang.cases.workflow import Action, Stage

    filed: list[Any] = [Action.SUBMIT_FILING, Action.REVIEW_FILING, Action.APPROVE_FILING]
    review = [*filed, Action.REPORT_INVESTIGATION, Action.SUBMIT_CASE_REVIEW]
    notified = [*review, Action.APPROVE_PENALTY_PROPOSAL, Action.NOTIFY_PENALTY]
    heard = [*notified, Action.RECORD_STATEMENT]
    waived = [*notified, Action.WAIVE_RIGHTS]
    hearing = [*notified, Action.REQUEST_HEARING, Action.SCHEDULE_HEARING, Action.NOTIFY_HEARING]
    reviewed = [*hearing, Action.RECORD_HEARING, Action.SUBMIT_LEGAL_REVIEW, Action.PASS_LEGAL_REVIEW]
    decided = [*waived, Action.DECIDE]
    delivered = [*decided, Action.DELIVER]
    executed = [*delivered, Action.COMPLETE_EXECUTION]
    closed = [*executed, Action.SUBMIT_CLOSING, Action.APPROVE_CLOSING]
    on_spot = [Action.DECIDE_ON_SPOT]
    no_penalty = [*review, Action.DECIDE_NO_PENALTY]
    return {
        Stage.LEAD: [[]],
        Stage.FILING_SUBMITTED: [filed[:1]],
        Stage.FILING_REVIEWED: [filed[:2]],
        Stage.INVESTIGATION: [filed],
        Stage.INVESTIGATION_REPORTED: [review[:-1]],
        Stage.CASE_REVIEW: [review],
        Stage.PENALTY_PROPOSED: [notified[:-1]],
        Stage.NOTIFIED: [notified],
        Stage.HEARING_REQUESTED: [hearing[:-2]],
        Stage.HEARING_SCHEDULED: [hearing[:-1]],
        Stage.HEARING_NOTIFIED: [hearing],
        Stage.DEFENCE_CONCLUDED: [heard, waived],
        Stage.LEGAL_REVIEW: [reviewed[:-1]],
        Stage.LEGAL_REVIEWED: [reviewed],
        Stage.DISCUSSED: [[*reviewed, Action.RECORD_COLLECTIVE_DISCUSSION]],
        Stage.DECIDED: [decided, no_penalty],
        Stage.ON_SPOT_DECIDED: [on_spot],
        Stage.DELIVERED: [delivered, [*on_spot, Action.REPORT_ON_SPOT]],
        Stage.COURT_ENFORCEMENT: [[*delivered, Action.APPLY_COURT_ENFORCEMENT]],
        Stage.EXECUTED: [executed],
        Stage.CONCLUDED: [
            [*review, Action.FIND_NOT_ESTABLISHED],
            [*review, Action.REFER],
            [*filed, Action.WITHDRAW_FILING],
        ],
        Stage.CLOSING_SUBMITTED: [
            [*executed, Action.SUBMIT_CLOSING],
            [*no_penalty, Action.DELIVER, Action.SUBMIT_CLOSING],
        ],
        Stage.CLOSED: [closed],
        Stage.ARCHIVED: [[*closed, Action.ARCHIVE]],
    }


def stage_weights() -> dict[str, float]:
    """Most cases of a bureau that has run for years are archived or closed; the rest spread evenly."""
    from sanxiang.cases.workflow import Stage

    weights = {stage: 0.45 / (len(Stage.values) - 2) for stage in Stage.values}
    weights[Stage.ARCHIVED] = 0.40
    weights[Stage.CLOSED] = 0.15
    return weights


# ----------------------------------------------------------------------------------------------------
# The setting: agencies, officers, users, parties


class World:
    def __init__(self) -> None:
        from sanxiang.accounts import services as account_services
        from sanxiang.accounts.models import Role
        from sanxiang.agencies import services as agency_services
        from sanxiang.agencies.models import AgencyLevel, EnforcementCategory

        self.categories = [
            EnforcementCategory.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in [
                ("AQZH", "安全生产综合监管"),
                ("WHP", "危险化学品安全监管"),
                ("FMKS", "非煤矿山安全监管"),
                ("GMHY", "工贸行业安全监管"),
                ("YHBZ", "烟花爆竹安全监管"),
            ]
        ]
        city = agency_services.agency_create(
            actor=None, name="六安市应急管理局", short_name="六", region_code="341500", level=AgencyLevel.CITY
        )
        self.agencies = [
            agency_services.agency_create(
                actor=None,
                name=name,
                short_name=short,
                region_code=region,
                level=AgencyLevel.COUNTY,
                parent=city,
            )
            for name, short, region in AGENCIES
        ]
        first = self.agencies[0]
        self.officer_user = account_services.user_create(
            actor=None,
            username="officer",
            password=PASSWORD,
            display_name="陈志远",
            agency=first,
            roles=[Role.OFFICER],
        )
        self.leader = account_services.user_create(
            actor=None,
            username="leader",
            password=PASSWORD,
            display_name="孙立国",
            agency=first,
            roles=[Role.LEADER],
        )
        self.officers: dict[int, list[Any]] = {}
        for a, agency in enumerate(self.agencies):
            self.officers[agency.pk] = [
                agency_services.officer_create(
                    actor=None,
                    agency=agency,
                    user=self.officer_user if (a, n) == (0, 0) else None,
                    name=f"执法人员{a:02d}{n:02d}",
                    certificate_number=f"34{a:03d}{n:06d}",
                    categories=self.categories,
                    valid_from=datetime.date(2024, 1, 1),
                    valid_to=datetime.date(2029, 12, 31),
                )
                for n in range(OFFICERS_PER_AGENCY)
            ]
        self.parties = {agency.pk: self._parties(agency) for agency in self.agencies}

    def _parties(self, agency: Any) -> list[Any]:
        from django.utils import timezone

        from sanxiang.parties.models import Party, PartyKind

        now = timezone.now()
        return Party.objects.bulk_create(
            [
                Party(
                    agency=agency,
                    kind=PartyKind.ORGANISATION,
                    name=f"{agency.short_name}县第{i}号生产经营单位有限公司",
                    legal_representative="负责人",
                    created_at=now,
                    updated_at=now,
                )
                for i in range(PARTIES_PER_AGENCY)
            ],
            batch_size=BATCH,
        )


# ----------------------------------------------------------------------------------------------------
# Cases, in batches


class Builder:
    """The rows the services would write for cases brought along paths of the table, dates over 2025–26."""

    def __init__(self, world: World, rng: random.Random) -> None:
        from sanxiang.cases.workflow import Stage

        self.world = world
        self.rng = rng
        self.paths = paths()
        self.weights = stage_weights()
        self.stages = list(self.weights)
        self.stage_weights = [self.weights[s] for s in self.stages]
        self.serials: Counter[tuple[int, str, int]] = Counter()
        self.lead = Stage.LEAD

    def serial(self, agency: Any, code: str, day: datetime.date) -> str:
        key = (agency.pk, code, day.year)
        self.serials[key] += 1
        return f"（{agency.short_name}）{code}〔{day.year}〕{self.serials[key]}号"

    def batch(self, start: int, count: int) -> None:
        from django.db import transaction
        from django.utils import timezone

        from sanxiang.cases import workflow
        from sanxiang.cases.models import (
            Case,
            CaseOfficer,
            CaseOutcome,
            CaseParty,
            CaseTransition,
            Penalty,
            Procedure,
        )
        from sanxiang.cases.workflow import Action
        from sanxiang.deadlines import calendar, clocks
        from sanxiang.payments.models import Payment, PaymentMethod

        rng = self.rng
        tz = timezone.get_current_timezone()
        world = self.world
        cases: list[Any] = []
        plans: list[tuple[Any, list[tuple[str, str, str, datetime.date]], list[Any], dict[str, Any]]] = []
        for i in range(start, start + count):
            agency = world.agencies[i % len(world.agencies)]
            stage = rng.choices(self.stages, self.stage_weights)[0]
            path = rng.choice(self.paths[stage])
            fine_yuan = rng.choice([0, 2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 80_000])
            if Action.REQUEST_HEARING in path:
                fine_yuan = max(fine_yuan, 50_000)  # a hearing right (行政处罚法 Art.63)
            outcome = {
                Action.DECIDE_NO_PENALTY: CaseOutcome.NO_PENALTY,
                Action.FIND_NOT_ESTABLISHED: "not_established",
            }
            opened = FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_FILING - FIRST_DAY).days - 20))
            opened = calendar.next_working_day(opened)
            officers = rng.sample(world.officers[agency.pk], 2)
            party = rng.choice(world.parties[agency.pk])
            created = datetime.datetime.combine(opened, datetime.time(9 + i % 8, i % 60), tzinfo=tz)
            case = Case(
                agency=agency,
                title=f"未按规定落实安全生产责任案（第{i}号）",
                source="inspection",
                category=rng.choice(world.categories),
                facts="检查发现……",
                act_date=opened - datetime.timedelta(days=20),
                discovered_on=opened,
                created_at=created,
                updated_at=created,
                created_by=world.officer_user,
            )
            steps: list[tuple[str, str, str, datetime.date]] = []
            penalties: list[Any] = []
            extra: dict[str, Any] = {}
            day = opened
            current = str(self.lead)
            for action in path:
                span = 170 if action == Action.APPLY_COURT_ENFORCEMENT else 3
                later = day + datetime.timedelta(days=rng.randint(1, span))
                day = calendar.next_working_day(min(later, TODAY))
                step = workflow.step(current, action)
                steps.append((current, str(step.target), str(action), day))
                current = str(step.target)
                fine_fen = fine_yuan * 100
                if action == Action.APPROVE_FILING:
                    case.filed_on = day
                    case.number = self.serial(agency, "应急立", day)
                    case.decision_due_on = clocks.decision_due(day)
                elif action == Action.SUBMIT_CASE_REVIEW:
                    case.outcome = outcome.get(
                        path[-1], CaseOutcome.REFERRAL if Action.REFER in path else "penalty"
                    )
                    if case.outcome == "penalty":
                        penalties.append(("proposed", len(steps) - 1))
                elif action == Action.NOTIFY_PENALTY:
                    case.notified_on = day
                    case.hearing_right = fine_fen >= 5_000_000
                    penalties.append(("notified", len(steps) - 1))
                elif action == Action.RECORD_STATEMENT:
                    case.defence_made = True
                elif action == Action.WAIVE_RIGHTS:
                    case.rights_waived_on = day
                elif action == Action.REQUEST_HEARING:
                    case.hearing_requested_on = day
                elif action == Action.SCHEDULE_HEARING:
                    case.hearing_on = calendar.add_working_days(day, 10)
                    chairs = [o for o in world.officers[agency.pk] if o not in officers]
                    case.hearing_chair = chairs[0]
                elif action == Action.NOTIFY_HEARING:
                    case.hearing_notified_on = day
                elif action == Action.RECORD_HEARING:
                    day = max(day, case.hearing_on or day)
                    steps[-1] = (*steps[-1][:3], day)
                    case.hearing_held_on = day
                    case.defence_made = True
                elif action == Action.RECORD_COLLECTIVE_DISCUSSION:
                    case.discussed_on = day
                elif action in (Action.DECIDE, Action.DECIDE_NO_PENALTY, Action.DECIDE_ON_SPOT):
                    case.decided_on = day
                    if action == Action.DECIDE_NO_PENALTY:
                        case.outcome = CaseOutcome.NO_PENALTY
                        case.decision_number = self.serial(agency, "应急不罚", day)
                        case.delivery_due_on = clocks.delivery_due(day)
                    elif action == Action.DECIDE:
                        case.outcome = "penalty"
                        case.fine_fen = fine_yuan * 100
                        case.decision_number = self.serial(agency, "应急罚", day)
                        case.delivery_due_on = clocks.delivery_due(day)
                        penalties.append(("final", len(steps) - 1))
                    else:
                        fine_yuan = 200
                        case.procedure = Procedure.SIMPLE
                        case.outcome = "penalty"
                        case.fine_fen = 20_000
                        case.delivered_on = day
                        case.delivery_method = "当场交付"
                        case.decision_number = f"{agency.short_name}应急简{i:07d}"
                        penalties.append(("final", len(steps) - 1))
                elif action == Action.DELIVER:
                    case.delivered_on = day
                    case.delivery_method = "直接送达"
                elif action == Action.COMPLETE_EXECUTION:
                    case.executed_on = day
                    if case.fine_fen:
                        extra["paid_on"] = day
                elif action == Action.APPROVE_CLOSING:
                    case.closed_on = day
                elif action == Action.ARCHIVE:
                    case.archived_on = day
                elif action == Action.WITHDRAW_FILING:
                    case.outcome = CaseOutcome.WITHDRAWN
            case.stage = current
            extra["fine_yuan"] = fine_yuan
            cases.append(case)
            plans.append((case, steps, officers, {"party": party, "penalties": penalties, **extra}))

        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=BATCH)
            CaseParty.objects.bulk_create(
                [CaseParty(case=case, party=plan["party"]) for case, _, _, plan in plans], batch_size=BATCH
            )
            CaseOfficer.objects.bulk_create(
                [CaseOfficer(case=case, officer=o) for case, _, officers, _ in plans for o in officers],
                batch_size=BATCH,
            )
            transitions: list[Any] = []
            owners: list[tuple[Any, list[Any], dict[str, Any]]] = []
            for case, steps, _, plan in plans:
                rows = [
                    CaseTransition(
                        case=case,
                        source=source,
                        target=target,
                        action=action,
                        actor=world.leader if action in LEADER_ACTIONS else world.officer_user,
                        at=datetime.datetime.combine(day, datetime.time(10), tzinfo=tz),
                        data={},
                    )
                    for source, target, action, day in steps
                ]
                transitions.extend(rows)
                owners.append((case, rows, plan))
            CaseTransition.objects.bulk_create(transitions, batch_size=BATCH)
            penalty_rows = [
                Penalty(
                    case=case,
                    transition=rows[index],
                    stage=kind,
                    kind="fine" if plan["fine_yuan"] else "warning",
                    amount_fen=plan["fine_yuan"] * 100,
                    violation="安全生产法第九十九条第二项",
                )
                for case, rows, plan in owners
                for kind, index in plan["penalties"]
            ]
            Penalty.objects.bulk_create(penalty_rows, batch_size=BATCH)
            Payment.objects.bulk_create(
                [
                    Payment(
                        case=case,
                        agency_id=case.agency_id,
                        method=PaymentMethod.BANK,
                        amount_fen=case.fine_fen,
                        paid_on=plan["paid_on"],
                        bank_transaction_number=f"BENCH{case.pk:09d}",
                        recorded_by=world.officer_user,
                    )
                    for case, _, plan in owners
                    if plan.get("paid_on") and case.fine_fen
                ],
                batch_size=BATCH,
            )

    def counters(self) -> None:
        from sanxiang.documents.models import NumberSeries

        NumberSeries.objects.bulk_create(
            [
                NumberSeries(agency_id=agency_id, code=code, year=year, last=last)
                for (agency_id, code, year), last in self.serials.items()
            ]
        )


LEADER_ACTIONS = {
    "approve_filing",
    "approve_penalty_proposal",
    "decide_no_penalty",
    "find_not_established",
    "refer",
    "withdraw_filing",
    "record_collective_discussion",
    "decide",
    "apply_court_enforcement",
    "approve_closing",
}


# ----------------------------------------------------------------------------------------------------
# Timing


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95, ordered[-1]


def timed(client: Any, urls: list[str], *, budget_s: float = 90.0) -> list[float]:
    """Milliseconds per request; stops early (after at least 5) once ``budget_s`` is spent on a slow page."""
    samples: list[float] = []
    spent = time.perf_counter()
    for url in urls:
        if len(samples) >= 5 and time.perf_counter() - spent > budget_s:
            break
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return samples


def list_urls(rng: random.Random, world: World, count: int) -> list[str]:
    from urllib.parse import urlencode

    from django.urls import reverse

    from sanxiang.cases.workflow import Stage

    base = reverse("cases:list")
    officers = world.officers[world.agencies[0].pk]
    urls = []
    for n in range(count):
        query: dict[str, Any] = {}
        kind = n % 6
        if kind == 1:
            query["stage"] = rng.choice(Stage.values)
        elif kind == 2:
            query["category"] = rng.choice(world.categories).pk
        elif kind == 3:
            query["officer"] = rng.choice(officers).pk
        elif kind == 4:
            query["overdue"] = "on"
        elif kind == 5:
            query["stage"] = rng.choice(Stage.values)
            query["category"] = rng.choice(world.categories).pk
        page = rng.choice([1, 1, 1, 2, 3, 5, 10, 40])
        if page > 1:
            query["page"] = page
        urls.append(f"{base}?{urlencode(query)}" if query else base)
    return urls


def _filters_of(url: str) -> str:
    """The filters of a list URL, without the values: "stage+category", "page>1", "(none)"."""
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(url).query)
    names: list[str] = [name for name in ("stage", "category", "officer", "overdue") if name in query]
    if "page" in query:
        names.append("page" if int(query["page"][0]) < 10 else "page≥10")
    return "+".join(names) or "(no filter, page 1)"


def report(label: str, samples: list[float], *, target: float | None) -> bool:
    p50, p95, worst = percentiles(samples)
    verdict = ""
    if target is not None:
        verdict = "  OK" if p95 <= target else f"  MISSES the target p95 ≤ {target:.0f} ms"
    print(f"  {label:<34} n={len(samples):>4}  p50 {p50:7.1f}  p95 {p95:7.1f}  max {worst:7.1f} ms{verdict}")
    return target is None or p95 <= target


def explain(client: Any, label: str, url: str, *, focus: str = "") -> None:
    """Queries of one request: how many, how long in all, the slowest three, and EXPLAIN of the slowest (or of
    the first whose SQL holds ``focus``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(url)
        total = (time.perf_counter() - started) * 1000
    queries = captured.captured_queries
    spent = sum(float(q["time"]) for q in queries) * 1000
    print(f"  {label}: {url}: {len(queries)} queries, {spent:.1f} ms in SQL of {total:.1f} ms")
    shapes = Counter(_shape(q["sql"]) for q in queries)
    for shape, n in shapes.most_common(3):
        if n > 1:
            print(f"    ×{n}: {shape[:160]}")
    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:3]
    for q in slowest:
        print(f"    {float(q['time']) * 1000:6.1f} ms: {q['sql'][:200]}")
    selects = [q for q in slowest if q["sql"].lstrip().upper().startswith("SELECT")]
    if focus:
        selects = [q for q in queries if focus in q["sql"]]
    if connection.vendor == "postgresql" and selects:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + selects[0]["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        for line in plan[: 40 if focus else 14]:
            print(f"      {line}")


def _shape(sql: str) -> str:
    import re

    return re.sub(r"\b\d+\b", "?", sql)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from unittest import mock

    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpRequest, HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path, reverse

    from config import urls as root_urls
    from sanxiang.cases import workflow
    from sanxiang.deadlines import holiday_data
    from sanxiang.deadlines import services as deadline_services

    call_command("migrate", verbosity=0)
    for file in holiday_data.shipped_files():
        deadline_services.holiday_year_load(data=holiday_data.read_file(file))
    rng = random.Random(args.seed)
    print(f"数据库：{connection.vendor}；案件 {args.cases:,} 件")

    started = time.perf_counter()
    world = World()
    builder = Builder(world, rng)
    with mock.patch.object(workflow, "today", lambda: TODAY):
        for offset in range(0, args.cases, BATCH):
            builder.batch(offset, min(BATCH, args.cases - offset))
    builder.counters()
    from sanxiang.worklist import services as worklist_services
    from sanxiang.worklist.models import Clock, ClockAudience

    built = time.perf_counter()
    with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
        worklist_services.clocks_rebuild()
    print(
        f"clocks rebuilt in {time.perf_counter() - built:.1f} s: {Clock.objects.count():,} clocks, "
        f"{ClockAudience.objects.count():,} audience rows"
    )
    # What check_deadlines pays every few minutes once the clocks are right: recompute, compare, no write.
    built = time.perf_counter()
    with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
        repaired = worklist_services.clocks_rebuild()
    spent = time.perf_counter() - built
    print(f"a second rebuild found {repaired.matters} matters to repair in {spent:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    from sanxiang.cases.models import Case, CaseTransition

    stages = Counter(Case.objects.values_list("stage", flat=True))
    handled = Case.objects.filter(case_officers__officer__user=world.officer_user).count()
    print(
        f"created {Case.objects.count():,} cases, {CaseTransition.objects.count():,} transitions "
        f"in {time.perf_counter() - started:.1f} s; {len(stages)} stages, "
        f"the officer handles {handled:,}"
    )

    def baseline(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponse(status=302)
        return HttpResponse("ok", content_type="text/plain")

    pattern: Any = path("bench-baseline/", baseline, name="bench_baseline")
    root_urls.urlpatterns.append(pattern)
    clear_url_caches()

    ok = True
    patches = [
        mock.patch.object(workflow, "today", lambda: TODAY),
        mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY),
    ]
    for patch in patches:
        patch.start()
    try:
        for user in (world.officer_user, world.leader):
            client = Client()
            client.force_login(user)
            # Warm up: templates, translations, the holiday table snapshot.
            timed(
                client, [reverse("cases:list"), reverse("worklist:my_work"), "/bench-baseline/"], budget_s=0
            )
            print(f"{user.username}:")
            report(
                "baseline (minimal view)", timed(client, ["/bench-baseline/"] * args.requests), target=None
            )
            urls = list_urls(rng, world, args.requests)
            samples = timed(client, urls)
            ok &= report("case list (filters, pages)", samples, target=TARGET_P95_MS)
            by_filter: dict[str, list[float]] = {}
            for url, ms in zip(urls, samples, strict=False):
                by_filter.setdefault(_filters_of(url), []).append(ms)
            for name, part in sorted(by_filter.items()):
                report(f"  {name}", part, target=None)
            work = [reverse("worklist:my_work")] * args.work_requests
            ok &= report("my work", timed(client, work), target=TARGET_P95_MS)
            slowest = sorted(zip(samples, urls, strict=False), reverse=True)[:2]
            for ms, url in slowest:
                explain(client, f"case list (slowest, {ms:.0f} ms when timed)", url)
            explain(client, "case list, first page", reverse("cases:list"))
            explain(client, "my work", reverse("worklist:my_work"))
            explain(client, "my work, the page", reverse("worklist:my_work"), focus='"worklist_clock" c')
            explain(client, "my work, the counts", reverse("worklist:my_work"), focus="SELECT COUNT(*), SUM")
    finally:
        for patch in patches:
            patch.stop()
    print("all pages within the target" if ok else "some pages miss the target: see the queries above")
    return 0


if __name__ == "__main__":
    sys.exit(main())
