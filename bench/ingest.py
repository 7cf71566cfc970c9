"""Evidence ingest benchmark: import_media and the browser's HTTP upload path against the floor.

    .venv/bin/python bench/ingest.py [--size-mb 1024] [--chunk-mb 8] [--rounds 3] [--port N]

Works in a throwaway folder (SQLite database and evidence store under it). Each round writes two new files of
random bytes of the given size (new, so that no ingest is recognised as an earlier one's bytes), then times:

* the floor: ``cp`` of the file into the store's filesystem plus ``openssl dgst -sha256`` of it (the sum);
* ``manage.py import_media`` of a folder holding the first file, as a child process (its peak RSS is read
  from ``wait4``);
* the second file through the real upload path: gunicorn with the production settings
  (``config/gunicorn_settings.py``, 2 workers) serving the app, a session of a handling officer, the POST that
  opens the upload and PATCH requests of ``--chunk-mb`` each over one connection, as ``static/evidence/
  upload.js`` sends them (peak RSS of the workers from /proc: VmHWM).

Before each timed step the dirty pages of the previous one are written out (``sync``), so that no step pays
for another's writes; the rounds are interleaved and the medians compared, as the disk's speed drifts.
Prints MB/s for each, the ratios to the floor, and the peak memory, against the targets of DESIGN.md:
import_media ≥ 0.7 × the floor, HTTP ≥ 0.3 ×, app memory < 200 MB.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
GUNICORN_ARGS = ["--config", str(ROOT / "config" / "gunicorn_settings.py"), "--log-level", "warning"]
CASE_NUMBER = "（甲县）应急立〔2026〕1号"


def write_random(path: Path, size: int) -> None:
    with path.open("wb") as out:
        left = size
        while left:
            piece = os.urandom(min(left, 1 << 24))
            out.write(piece)
            left -= len(piece)


def timed(command: list[str], **kwargs: object) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, **kwargs)  # type: ignore[call-overload]  # noqa: S603
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed")
    return elapsed, usage.ru_maxrss


def setup(work: Path) -> dict[str, str]:
    os.environ["SANXIANG_VAR_DIR"] = str(work)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from sanxiang.cases.models import Case, CaseOfficer, CaseSource
    from sanxiang.core.personas import make_personas

    call_command("migrate", verbosity=0)
    p = make_personas()
    case = Case.objects.create(
        agency=p.agency_a,
        number=CASE_NUMBER,
        title="未按规定对安全设备进行经常性维护、保养",
        source=CaseSource.INSPECTION,
        category=p.category,
        created_by=p.alice,
    )
    CaseOfficer.objects.create(case=case, officer=p.alice_officer)
    client = Client()
    client.force_login(p.alice)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"session": f"{settings.SESSION_COOKIE_NAME}={session_key}", "case": str(case.pk)}


def peak_rss_of_children(master: int) -> int:
    """The largest VmHWM (KiB) among the master's worker processes."""
    peak = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", status, re.M):
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            peak = max(peak, int(found.group(1)) if found else 0)
    return peak


def http_upload(port: int, login: dict[str, str], path: Path, chunk: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    cookie = login["session"]
    conn.request("GET", f"/evidence/cases/{login['case']}/", headers={"Cookie": cookie})
    page = conn.getresponse()
    html = page.read().decode()
    if page.status != 200:
        sys.exit(f"evidence page: HTTP {page.status} {page.headers.get('Location')}")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", "") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not csrf_cookie or not token:
        sys.exit("no CSRF token on the evidence page")
    headers = {"Cookie": f"{cookie}; csrftoken={csrf_cookie.group(1)}", "X-CSRFToken": token.group(1)}
    size = path.stat().st_size
    started = time.perf_counter()
    body = f"name={path.name}&size={size}"
    conn.request(
        "POST",
        f"/evidence/cases/{login['case']}/uploads/",
        body=body,
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    opened = conn.getresponse()
    answer = opened.read().decode()
    if opened.status != 201:
        sys.exit(f"opening the upload: HTTP {opened.status} {answer}")
    url = re.search(r'"url": "([^"]+)"', answer)
    assert url is not None
    offset = 0
    with path.open("rb") as source:
        while offset < size:
            piece = source.read(chunk)
            conn.request(
                "PATCH",
                url.group(1),
                body=piece,
                headers={
                    **headers,
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            reply = conn.getresponse()
            text = reply.read().decode()
            if reply.status != 200:
                sys.exit(f"PATCH at {offset}: HTTP {reply.status} {text}")
            offset += len(piece)
    if '"complete": true' not in text:
        sys.exit("the upload did not complete")
    return time.perf_counter() - started


def settled() -> None:
    """Dirty pages of the previous step written out first, so that no step pays for another's writes."""
    os.sync()
    time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="each path timed this many times, interleaved")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    size = args.size_mb * 1024 * 1024
    megabytes = size / 1e6
    work = Path(tempfile.mkdtemp(prefix="sanxiang-bench-ingest-", dir=ROOT / "var"))
    floors: list[float] = []
    durable_floors: list[float] = []
    imports: list[float] = []
    uploads: list[float] = []
    import_rss = server_rss = 0
    try:
        login = setup(work)  # points SANXIANG_VAR_DIR at the work folder
        env = {**os.environ, "SANXIANG_ACCESS_LOG": "/dev/null"}
        server = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "2",
                *GUNICORN_ARGS,
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _attempt in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).connect()
                    break
                except OSError:
                    time.sleep(0.1)
            for round_ in range(1, args.rounds + 1):
                # New random bytes each round: the same bytes again would be recognised and not stored.
                card = work / f"card{round_}"
                card.mkdir()
                first, second = card / f"CLIP{round_:04}.MP4", work / f"upload{round_}.mp4"
                print(
                    f"round {round_}: writing two files of {args.size_mb} MiB of random bytes …", flush=True
                )
                write_random(first, size)
                write_random(second, size)

                settled()
                copy = work / "evidence-floor-copy"
                cp_seconds, _ = timed(["cp", str(first), str(copy)])
                sync_seconds, _ = timed(["sync", str(copy)])  # not in the floor: shown beside it
                dgst_seconds, _ = timed(["openssl", "dgst", "-sha256", str(first)], stdout=subprocess.DEVNULL)
                copy.unlink()
                floors.append(cp_seconds + dgst_seconds)
                durable_floors.append(cp_seconds + sync_seconds + dgst_seconds)

                settled()
                command = [str(PYTHON), str(ROOT / "manage.py"), "import_media", str(card)]
                command += ["--case", CASE_NUMBER, "--collector", "alice"]
                seconds, rss = timed(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
                imports.append(seconds)
                import_rss = max(import_rss, rss)

                settled()
                uploads.append(http_upload(args.port, login, second, args.chunk_mb * 1024 * 1024))
                server_rss = max(server_rss, peak_rss_of_children(server.pid))
                for done in (first, second):
                    done.unlink()
                print(
                    f"  floor {megabytes / floors[-1]:.0f} MB/s"
                    f" (cp {cp_seconds:.2f} s + dgst {dgst_seconds:.2f} s),"
                    f" import_media {megabytes / imports[-1]:.0f} MB/s,"
                    f" HTTP {megabytes / uploads[-1]:.0f} MB/s",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)

        floor = statistics.median(floors)
        print(
            f"file: {megabytes:,.0f} MB; HTTP pieces of {args.chunk_mb} MiB; medians of {args.rounds} rounds"
        )
        print(f"floor (cp + openssl dgst -sha256): {megabytes / floor:8.1f} MB/s")
        durable = statistics.median(durable_floors)
        print(
            f"  for reference, the copy synced to disk as an original must be: {megabytes / durable:.1f} MB/s"
        )
        for label, times, target in (
            ("import_media", imports, 0.7),
            ("HTTP upload (gunicorn)", uploads, 0.3),
        ):
            seconds = statistics.median(times)
            ratio = floor / seconds
            verdict = "ok" if ratio >= target else "BELOW TARGET"
            speed = megabytes / seconds
            print(
                f"{label:24} {speed:8.1f} MB/s  {ratio:5.2f} × floor (target ≥ {target}) {verdict};"
                f" {durable / seconds:.2f} × the synced floor"
            )
        for label, kib in (("import_media", import_rss), ("gunicorn worker", server_rss)):
            verdict = "ok" if kib < 200 * 1024 else "ABOVE TARGET"
            print(f"peak memory {label:16} {kib / 1024:6.1f} MB (target < 200 MB) {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
