"""Evidence ingest benchmark: import_media and the browser's HTTP upload path against the floor.

    .venv/bin/python bench/ingest.py [--size-mb 1024] [--chunk-mb 8] [--port N]

Works in a throwaway folder (SQLite database and evidence store under it). Writes two files of random bytes
of the given size (two, so that the second ingest is not recognised as the first's bytes), then in one run:

* the floor: ``cp`` of the file into the store's filesystem plus ``openssl dgst -sha256`` of it (the sum);
* ``manage.py import_media`` of a folder holding the first file, as a child process (its peak RSS is read
  from ``wait4``);
* the second file through the real upload path: gunicorn (2 sync workers) serving the app, a session of a
  handling officer, the POST that opens the upload and PATCH requests of ``--chunk-mb`` each, exactly as
  ``static/evidence/upload.js`` sends them (peak RSS of the workers from /proc: VmHWM).

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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
GUNICORN_ARGS = ["--timeout", "600", "--log-level", "warning"]
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--chunk-mb", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    size = args.size_mb * 1024 * 1024
    megabytes = size / 1e6
    work = Path(tempfile.mkdtemp(prefix="sanxiang-bench-ingest-", dir=ROOT / "var"))
    try:
        login = setup(work)
        card = work / "card"
        card.mkdir()
        first, second = card / "CLIP0001.MP4", work / "upload.mp4"
        print(f"writing two files of {args.size_mb} MiB of random bytes …", flush=True)
        write_random(first, size)
        write_random(second, size)
        env = {**os.environ}

        copy = work / "evidence-floor-copy"
        cp_seconds, _ = timed(["cp", str(first), str(copy)])
        dgst_seconds, _ = timed(["openssl", "dgst", "-sha256", str(first)], stdout=subprocess.DEVNULL)
        copy.unlink()
        floor = cp_seconds + dgst_seconds

        command = [str(PYTHON), str(ROOT / "manage.py"), "import_media", str(card)]
        command += ["--case", CASE_NUMBER, "--collector", "alice"]
        import_seconds, import_rss = timed(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)

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
            http_seconds = http_upload(args.port, login, second, args.chunk_mb * 1024 * 1024)
            server_rss = peak_rss_of_children(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

        print(f"file: {megabytes:,.0f} MB; HTTP pieces of {args.chunk_mb} MiB")
        floor_parts = f"cp {cp_seconds:.2f} s + openssl dgst {dgst_seconds:.2f} s"
        print(f"floor ({floor_parts}): {megabytes / floor:8.1f} MB/s")
        for label, seconds, target in (
            ("import_media", import_seconds, 0.7),
            ("HTTP upload (gunicorn)", http_seconds, 0.3),
        ):
            ratio = floor / seconds
            verdict = "ok" if ratio >= target else "BELOW TARGET"
            speed = megabytes / seconds
            print(f"{label:24} {speed:8.1f} MB/s  {ratio:5.2f} × floor (target ≥ {target}) {verdict}")
        for label, kib in (("import_media", import_rss), ("gunicorn worker", server_rss)):
            verdict = "ok" if kib < 200 * 1024 else "ABOVE TARGET"
            print(f"peak memory {label:16} {kib / 1024:6.1f} MB (target < 200 MB) {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
