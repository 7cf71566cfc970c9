"""Portal benchmark: 事后公开 over a province's published decisions, served by gunicorn, driven from outside.

    .venv/bin/python bench/portal.py [--count N] [--workers W] [--seconds S] [--searches Q] [--cache C]

Creates a throwaway PostgreSQL database (default ``sanxiang_bench_portal``) with LC_CTYPE 'C.UTF-8' (pg_trgm
needs a UTF-8-aware ctype to index Chinese, STACK.md), migrates it, creates a province's county agencies and
the enforcement categories through the services, and loads N published decisions and inspection results
(default 1,000,000) with PostgreSQL's COPY: varied Chinese titles, parties and redacted texts built from
township, trade, violation, provision and penalty vocabularies, as ``publication_publish`` leaves the
publication row (status, dates, search text, category, fine). The trigram index is rebuilt after the load
and the table analysed; both are timed. Versions are not written: the list and the search read only the
publication row (tests cover the detail pages).

The app is then served by gunicorn (W sync workers, persistent database connections, the cache shared in
Redis at 127.0.0.1:6379 database 13 as SANXIANG_CACHE_URL sets it in production; ``--cache local`` keeps each
worker's own) from a subprocess, with one extra minimal view (bench/portal_urls.py) on the same server.
From other processes:

(a) wrk (Debian's package) requests the minimal view, then the public list pages as the public browses
    them — first pages, agency, kind, category and date filters, later pages — each URL fetched once
    beforehand (caching is part of the design), for S seconds each: requests/s, target ≥ 0.5 × the minimal
    view of the same run.
(b) Q keyword + filter searches with keywords of 2–8 characters cut from the texts' vocabulary, each
    (keyword, filters) pair new to the cache, from 4 client threads: p50 / p95 / max in ms, target p95 ≤
    100 ms; the slowest search is run again in this process with its queries' times.

The load average is printed with the figures (the machine may be shared). The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sanxiang_bench_portal"
CACHE_URL = "redis://127.0.0.1:6379/13"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = free_port()
TARGET_RATIO = 0.5
TARGET_P95_MS = 100.0
FIRST_DAY = datetime.date(2023, 1, 1)
LAST_DAY = datetime.date(2026, 11, 20)

CITY = ("合肥市应急管理局", "合", "340100")
COUNTIES = [
    ("舒城县", "舒", "341523"),
    ("霍山县", "霍", "341525"),
    ("金寨县", "金", "341524"),
    ("霍邱县", "邱", "341522"),
    ("寿县", "寿", "340422"),
    ("肥西县", "肥", "340123"),
    ("长丰县", "丰", "340121"),
    ("庐江县", "庐", "340124"),
    ("凤台县", "凤", "340421"),
    ("怀远县", "怀", "340321"),
    ("五河县", "五", "340322"),
    ("固镇县", "固", "340323"),
    ("太和县", "太", "341222"),
    ("临泉县", "临", "341221"),
    ("阜南县", "阜", "341225"),
    ("颍上县", "颍", "341226"),
]
CATEGORIES = [
    ("AQZH", "安全生产综合监管"),
    ("WHP", "危险化学品安全监管"),
    ("FMKS", "非煤矿山安全监管"),
    ("GMHY", "工贸行业安全监管"),
    ("YHBZ", "烟花爆竹安全监管"),
]
TOWNS = [
    "城关镇",
    "杭埠镇",
    "千人桥镇",
    "百神庙镇",
    "桃溪镇",
    "万佛湖镇",
    "干汊河镇",
    "汤池镇",
    "春秋乡",
    "柏林乡",
    "棠树乡",
    "阙店乡",
    "高峰乡",
    "庐镇乡",
    "河棚镇",
    "南港镇",
    "张母桥镇",
    "五显镇",
    "山七镇",
    "晓天镇",
    "衡山镇",
    "佛子岭镇",
    "下符桥镇",
    "但家庙镇",
    "与儿街镇",
    "黑石渡镇",
    "落儿岭镇",
    "磨子潭镇",
    "大化坪镇",
    "漫水河镇",
    "单龙寺镇",
    "东西溪乡",
    "太平畈乡",
    "梅山镇",
    "青山镇",
    "燕子河镇",
    "天堂寨镇",
    "古碑镇",
    "南溪镇",
    "双河镇",
    "白塔畈镇",
    "铁冲乡",
    "花石乡",
    "沙河乡",
    "果子园乡",
    "长岭乡",
    "关庙乡",
    "油坊店乡",
    "槐树湾乡",
    "斑竹园镇",
    "吴家店镇",
    "全军乡",
    "汤家汇镇",
]
NAMES = [
    "宏达",
    "兴旺",
    "金鑫",
    "华泰",
    "永安",
    "顺发",
    "恒通",
    "鑫源",
    "瑞丰",
    "鼎盛",
    "隆昌",
    "佳和",
    "东方",
    "新华",
    "红星",
    "长江",
    "皖西",
    "大别山",
    "万佛",
    "龙腾",
    "福源",
    "汇丰",
    "德润",
    "天成",
    "正泰",
    "华兴",
    "建业",
    "振华",
    "国安",
    "惠民",
    "信达",
    "同创",
    "博远",
    "联众",
    "中联",
    "九州",
    "鸿运",
    "旭日",
    "晨光",
    "明珠",
    "绿源",
    "康达",
    "宝丰",
    "双龙",
    "凤凰",
    "泰和",
    "安信",
    "合力",
    "富民",
    "裕丰",
]
TRADES = [
    ("化工", "有限公司", "WHP"),
    ("危险化学品经营", "有限公司", "WHP"),
    ("加油站", "", "WHP"),
    ("烟花爆竹经营", "部", "YHBZ"),
    ("烟花爆竹零售", "店", "YHBZ"),
    ("矿业", "有限公司", "FMKS"),
    ("石料", "厂", "FMKS"),
    ("建材", "有限公司", "FMKS"),
    ("机械制造", "有限公司", "GMHY"),
    ("木业", "有限公司", "GMHY"),
    ("纺织", "有限公司", "GMHY"),
    ("食品", "有限公司", "GMHY"),
    ("竹木制品", "厂", "GMHY"),
    ("粮油加工", "厂", "GMHY"),
    ("铸造", "有限公司", "GMHY"),
    ("家具", "厂", "GMHY"),
    ("物流", "有限公司", "AQZH"),
    ("商贸", "有限公司", "AQZH"),
    ("建筑工程", "有限公司", "AQZH"),
    ("酒店管理", "有限公司", "AQZH"),
]
VIOLATIONS = [
    ("未对安全设备进行经常性维护、保养和定期检测", "第三十六条第二款", "第九十九条第二项"),
    ("未如实记录安全生产教育和培训情况", "第二十八条第四款", "第九十七条第四项"),
    (
        "特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业",
        "第三十条第一款",
        "第九十七条第七项",
    ),
    (
        "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志",
        "第三十五条",
        "第九十九条第一项",
    ),
    ("未建立事故隐患排查治理制度", "第四十一条第二款", "第一百零一条第五项"),
    ("未将事故隐患排查治理情况如实记录", "第四十一条第二款", "第九十七条第五项"),
    ("生产经营场所与员工宿舍在同一座建筑物内", "第四十二条第一款", "第一百零五条第二项"),
    ("未按照规定对从业人员进行安全生产教育和培训", "第二十八条第一款", "第九十七条第三项"),
    ("未为从业人员提供符合国家标准或者行业标准的劳动防护用品", "第四十五条", "第九十九条第五项"),
    ("未按照规定制定生产安全事故应急救援预案", "第八十一条", "第九十七条第六项"),
    ("危险物品的容器、运输工具未经具有专业资质的机构检测、检验合格", "第三十七条第一款", "第九十九条第四项"),
    ("使用应当淘汰的危及生产安全的工艺、设备", "第三十八条第三款", "第九十九条第六项"),
    ("储存烟花爆竹超过核定的存储限量", "《烟花爆竹经营许可实施办法》第二十一条", "第三十四条"),
    ("未按规定配备专职安全生产管理人员", "第二十四条第一款", "第九十七条第一项"),
    ("粉尘防爆安全设施未定期检查维护", "《工贸企业粉尘防爆安全规定》第十四条", "第三十条第三项"),
]
PENALTIES = ["警告", "罚款", "罚款", "罚款", "罚款", "罚款并责令限期改正", "责令停产停业整顿"]
FINES = [5_000, 8_000, 10_000, 20_000, 30_000, 50_000, 80_000, 100_000, 200_000]
KINDS = [
    ("penalty", "行政处罚决定", 0.62),
    ("inspection", "行政检查结果", 0.20),
    ("coercion", "行政强制决定", 0.08),
    ("no_penalty", "不予行政处罚决定", 0.05),
    ("permit", "行政许可决定", 0.05),
]
COLUMNS = [
    "agency_id",
    "kind",
    "status",
    "title",
    "number",
    "subject",
    "decided_on",
    "due_on",
    "created_at",
    "published_at",
    "ends_on",
    "minor",
    "not_published_reason",
    "revocation_ground",
    "context",
    "search_text",
    "category_id",
    "fine_fen",
]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000, help="published items to load")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration of each throughput run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--searches", type=int, default=400, help="uncached searches to time")
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients of the searches")
    parser.add_argument("--cache", choices=["redis", "local"], default="redis")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="throwaway database")
    parser.add_argument("--seed", type=int, default=20261128)
    return parser.parse_args()


def admin_dsn(url: str) -> tuple[str, str]:
    head, _, name = url.rpartition("/")
    return f"{head}/postgres", name


def create_database(url: str) -> None:
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )


def drop_database(url: str) -> None:
    import psycopg

    maintenance, name = admin_dsn(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_cache(args: argparse.Namespace) -> None:
    if args.cache == "redis":
        import redis

        redis.Redis.from_url(CACHE_URL).flushdb()


def main() -> int:
    args = parse()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SANXIANG_DEBUG", "0")
    sys.path.insert(0, str(ROOT))
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.database_url)
        flush_cache(args)


# ----------------------------------------------------------------------------------------------------
# The data


class World:
    def __init__(self) -> None:
        from sanxiang.agencies import services as agency_services
        from sanxiang.agencies.models import AgencyLevel, EnforcementCategory

        self.categories = {
            code: EnforcementCategory.objects.get_or_create(code=code, defaults={"name": name})[0].pk
            for code, name in CATEGORIES
        }
        province = agency_services.agency_create(
            actor=None,
            name="安徽省应急管理厅",
            short_name="皖",
            region_code="340000",
            level=AgencyLevel.PROVINCE,
        )
        city = agency_services.agency_create(
            actor=None, name=CITY[0], short_name=CITY[1], region_code=CITY[2], level=AgencyLevel.CITY
        )
        self.agencies = [(province.pk, "皖", "安徽省")]
        self.agencies += [(city.pk, CITY[1], "合肥市")]
        for county, short, region in COUNTIES:
            agency = agency_services.agency_create(
                actor=None,
                name=f"{county}应急管理局",
                short_name=short,
                region_code=region,
                level=AgencyLevel.COUNTY,
                parent=city,
            )
            self.agencies.append((agency.pk, short, county))


def rows(world: World, rng: random.Random, count: int) -> Any:
    """The COPY rows of ``count`` published items, spread over four years and the agencies."""
    import datetime as dt

    span = (LAST_DAY - FIRST_DAY).days
    kinds = [k for k, _label, _w in KINDS]
    labels = {k: label for k, label, _w in KINDS}
    weights = [w for _k, _label, w in KINDS]
    agency_weights = [1] + [2] + [8] * len(COUNTIES)
    serial: dict[tuple[int, int], int] = {}
    tz = dt.UTC
    for _ in range(count):
        agency_id, short, county = rng.choices(world.agencies, agency_weights)[0]
        kind = rng.choices(kinds, weights)[0]
        decided = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        town = rng.choice(TOWNS)
        trade, suffix, category = rng.choice(TRADES)
        party = f"{county}{rng.choice(NAMES)}{trade}{suffix}"
        if rng.random() < 0.3:
            party = f"{county}{town}{rng.choice(NAMES)}{trade}{suffix}"
        violation, provision, basis = rng.choice(VIOLATIONS)
        key = (agency_id, decided.year)
        serial[key] = serial.get(key, 0) + 1
        number = f"（{short}）应急罚〔{decided.year}〕{serial[key]}号"
        penalty = rng.choice(PENALTIES) if kind == "penalty" else ""
        fine = rng.choice(FINES) if "罚款" in penalty else 0
        person = rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗") + "某某"
        text = (
            f"{county}应急管理局{labels[kind]}书\n{number}\n当事人：{party}，住所：{county}{town}，"
            f"法定代表人：{person}。\n{decided.year}年{decided.month}月{decided.day}日，本局执法人员对"
            f"当事人进行安全生产检查时发现，当事人{violation}。以上事实有现场检查记录、询问笔录、现场照片等证据证实。"
            f"当事人的行为违反了《中华人民共和国安全生产法》{provision}的规定。"
        )
        if kind == "penalty":
            text += f"依据该法{basis}的规定，本局决定给予当事人{penalty}"
            text += f"人民币{fine // 100:,}元的行政处罚。" if fine else "的行政处罚。"
        elif kind == "inspection":
            text += "检查结果：发现事故隐患，已责令限期整改。"
        else:
            text += "依法作出本决定。"
        title = f"{party}{labels[kind]}"
        published = dt.datetime.combine(decided + dt.timedelta(days=rng.randrange(1, 9)), dt.time(9), tz)
        due = decided + dt.timedelta(days=9 if kind in ("penalty", "permit") else 28)
        ends = decided + dt.timedelta(days=365 * 3 + 30)
        search = "\n".join([title, number, party, text]).upper()
        yield (
            agency_id,
            kind,
            "published",
            title,
            number,
            party,
            decided,
            due,
            published,
            published,
            ends,
            False,
            "",
            "",
            "{}",
            search,
            world.categories[category],
            fine * 100,
        )


def load(world: World, rng: random.Random, count: int) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS publication_search_trgm")
        raw = cursor.cursor
        with raw.copy(f"COPY disclosure_publication ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(world, rng, count):
                copy.write_row(row)
    loaded = time.perf_counter()
    print(f"载入 {count:,} 条公示：{loaded - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute(
            "CREATE INDEX publication_search_trgm ON disclosure_publication "
            "USING gin (search_text gin_trgm_ops)"
        )
        indexed = time.perf_counter()
        print(f"三元组索引：{indexed - loaded:.1f} s")
        cursor.execute("VACUUM ANALYZE disclosure_publication")
        print(f"VACUUM ANALYZE：{time.perf_counter() - indexed:.1f} s")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('disclosure_publication'))")
        print(f"表和索引大小：{cursor.fetchone()[0]}")


# ----------------------------------------------------------------------------------------------------
# The server and the load


def serve(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal_site",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        "SANXIANG_DB_CONN_MAX_AGE": "600",
        "SANXIANG_DEBUG": "0",
    }
    if args.cache == "redis":
        env["SANXIANG_CACHE_URL"] = CACHE_URL
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(gunicorn),
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "--chdir",
            str(ROOT),
            "config.wsgi:application",
        ],
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/bench/minimal/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def list_urls(world: World, rng: random.Random) -> list[str]:
    """What the public browses: the first pages, each agency, kind and category, a month, later pages."""
    base = "/published/"
    urls = [base] + [f"{base}?page={n}" for n in range(2, 6)]
    for agency_id, _short, _county in world.agencies:
        urls += [f"{base}?agency={agency_id}", f"{base}?agency={agency_id}&page=2"]
        urls.append(f"{base}?agency={agency_id}&kind=penalty")
    for kind, _label, _w in KINDS:
        urls += [f"{base}?kind={kind}", f"{base}?kind={kind}&page=2"]
    for category in world.categories.values():
        urls.append(f"{base}?category={category}")
    for year, month in [(2026, m) for m in range(1, 12)] + [(2025, m) for m in range(1, 13)]:
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        urls.append(f"{base}?start={start}&end={end}")
    rng.shuffle(urls)
    return urls


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wrk(paths: list[str], args: argparse.Namespace) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    try:
        out = subprocess.run(  # noqa: S603 - our own command line
            [
                shutil.which("wrk") or "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    if "Non-2xx" in out:
        raise RuntimeError(out)
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found, out
    return float(found.group(1))


def fetch(path: str) -> tuple[int, float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, (time.perf_counter() - started) * 1000, body


def keywords(rng: random.Random, n: int) -> list[str]:
    """Keywords of 2–8 characters cut from the vocabulary the texts use (some match many, some few)."""
    sources = [v for v, _p, _b in VIOLATIONS] + [t for t, _s, _c in TRADES] + TOWNS
    sources += [f"{name}{trade}" for name in NAMES for trade, _s, _c in TRADES[:6]]
    sources += [county for county, _s, _r in COUNTIES]
    found: list[str] = []
    while len(found) < n:
        source = rng.choice(sources)
        length = rng.randint(2, 8)
        if len(source) < length:
            continue
        start = rng.randrange(len(source) - length + 1)
        found.append(source[start : start + length])
    return found


def searches(world: World, rng: random.Random, n: int) -> list[str]:
    """``n`` keyword + filter searches, each URL distinct (no cache has seen it)."""
    seen: set[str] = set()
    out: list[str] = []
    words = keywords(rng, n * 2)
    for word in words:
        query: dict[str, Any] = {"q": word}
        roll = rng.random()
        if roll < 0.35:
            query["agency"] = rng.choice(world.agencies)[0]
        elif roll < 0.55:
            query["kind"] = rng.choice(KINDS)[0]
        elif roll < 0.7:
            year = rng.choice([2024, 2025, 2026])
            query["start"], query["end"] = f"{year}-01-01", f"{year}-06-30"
        elif roll < 0.8:
            query["category"] = rng.choice(list(world.categories.values()))
        url = "/published/?" + urllib.parse.urlencode(query)
        if url not in seen:
            seen.add(url)
            out.append(url)
        if len(out) == n:
            break
    return out


def timed_searches(urls: list[str], threads: int = 4) -> list[tuple[float, str]]:
    results: list[tuple[float, str]] = []
    lock = threading.Lock()
    queue = list(urls)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                url = queue.pop()
            status, ms, _body = fetch(url)
            if status != 200:
                raise RuntimeError(f"{url}: {status}")
            with lock:
                results.append((ms, url))

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


def explain(url: str) -> None:
    """The slowest search again in this process: each query it ran and its time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.disclosure import published

    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        published.search_page(published.Filters.from_query(query), 1, 20)
        spent = (time.perf_counter() - started) * 1000
    print(f"    再次执行（本进程）：{spent:.1f} ms")
    for q in queries.captured_queries:
        print(f"      {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    world = World()
    load(world, rng, args.count)
    flush_cache(args)
    server = serve(args)
    ok = True
    try:
        urls = list_urls(world, rng)
        for url in [*urls, "/bench/minimal/"]:  # the cache fills as the public's first visits fill it
            status, _ms, _body = fetch(url)
            assert status == 200, (url, status)
        minimal = wrk(["/bench/minimal/"], args)
        lists = wrk(urls, args)
        ratio = lists / minimal
        ok &= ratio >= TARGET_RATIO
        print(
            f"(a) 最小视图 {minimal:,.0f} 次/秒；公示列表（{len(urls)} 个页面，筛选、翻页）{lists:,.0f} 次/秒"
        )
        verdict = "达标" if ratio >= TARGET_RATIO else "未达标"
        print(f"    比值 {ratio:.2f}（目标 ≥ {TARGET_RATIO}）{verdict}")

        queries = searches(world, rng, args.searches)
        fetch(queries[0])  # warm the workers' imports of the search path with one search (not counted)
        samples = timed_searches(queries[1:], threads=args.clients)
        times = [ms for ms, _url in samples]
        p95 = percentile(times, 0.95)
        ok &= p95 <= TARGET_P95_MS
        short = [ms for ms, url in samples if len(dict(urllib.parse.parse_qsl(url.split("?")[1]))["q"]) <= 2]
        verdict = "达标" if p95 <= TARGET_P95_MS else "未达标"
        print(
            f"(b) 未缓存的关键词+筛选检索 {len(times)} 次（{args.clients} 并发）："
            f"p50 {statistics.median(times):.1f} ms，"
            f"p95 {p95:.1f} ms，最大 {max(times):.1f} ms（目标 p95 ≤ {TARGET_P95_MS:.0f} ms）{verdict}"
        )
        if short:
            print(f"    其中一两个字的检索 {len(short)} 次：p95 {percentile(short, 0.95):.1f} ms")
        for ms, url in sorted(samples, reverse=True)[:2]:
            print(f"    最慢 {ms:.1f} ms：{urllib.parse.unquote(url)}")
        explain(sorted(samples, reverse=True)[0][1])
    finally:
        stop(server)
    load1, load5, load15 = os.getloadavg()
    print(f"负载（1/5/15 分钟）：{load1:.2f} {load5:.2f} {load15:.2f}；CPU {os.cpu_count()} 核")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
