"""A throw-away single-node Ceph cluster with a RADOS Gateway on loopback: a real S3 server for tests.

One monitor, one OSD keeping its objects in memory (memstore) and ``radosgw`` (beast) on a free port of
127.0.0.1, all under a fresh temporary folder with their own fsid and ports, so two runs on one machine never
meet. Cluster authentication is off (nothing leaves loopback); the gateway still checks every S3 request's
SigV4 signature against the user it creates. Needs Debian's ``ceph-mon ceph-osd radosgw ceph-common`` and
root (the daemons run as the calling user). The daemons die with the thread that started them (setpriv's
parent-death signal), so a killed test run leaves none behind: start the cluster from a thread that lives as
long as it is needed, such as the main one::

    python -m sanxiang.evidence.testing.ceph_rgw      # start, print the endpoint and keys; Ctrl-C stops it
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BINARIES = ("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph")
PACKAGES = "ceph-mon ceph-osd radosgw ceph-common"
# util-linux's setpriv: the kernel kills a daemon when the test run that started it dies.
DIE_WITH_PARENT = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []


class CephUnavailableError(RuntimeError):
    """The cluster cannot be started here; the message says why and what to install."""


def missing_binaries() -> list[str]:
    return [name for name in BINARIES if shutil.which(name) is None]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class CephRGW:
    """The cluster: :meth:`start` brings it up (in about a second), :meth:`stop` ends it and deletes it."""

    memory_bytes: int = 4 << 30
    root: Path = field(init=False)
    fsid: str = field(default_factory=lambda: str(uuid.uuid4()))
    access_key: str = field(default_factory=lambda: "SX" + secrets.token_hex(9).upper())
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(30))
    port: int = 0
    _daemons: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def conf(self) -> Path:
        return self.root / "ceph.conf"

    def start(self, timeout: float = 60.0) -> CephRGW:
        missing = missing_binaries()
        if missing:
            raise CephUnavailableError(
                f"Ceph is not installed here (missing {', '.join(missing)}): "
                f"apt-get install --no-install-recommends {PACKAGES}  (or: make system-packages)"
            )
        self.root = Path(tempfile.mkdtemp(prefix="sanxiang-ceph-"))
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        mon_port = _free_port()
        self.port = _free_port()
        self._write_conf(mon_port)
        self._run(
            "monmaptool",
            "--create",
            "--fsid",
            self.fsid,
            "--addv",
            "a",
            f"[v2:127.0.0.1:{mon_port}]",
            str(self.root / "monmap"),
        )
        self._run("ceph-mon", "--mkfs", "-i", "a", "--monmap", str(self.root / "monmap"))
        self._daemon("ceph-mon", "-i", "a")
        osd_uuid = str(uuid.uuid4())
        osd_id = self._run("ceph", "osd", "new", osd_uuid).strip()
        (self.root / "osd" / osd_id).mkdir()
        self._run("ceph-osd", "-i", osd_id, "--mkfs", "--osd-uuid", osd_uuid)
        self._daemon("ceph-osd", "-i", osd_id)
        self._daemon(
            "radosgw", "-n", "client.rgw", "--rgw-frontends", f"beast endpoint=127.0.0.1:{self.port}"
        )
        self._wait_for_gateway(deadline)
        self._run(
            "radosgw-admin", "user", "create", "--uid", "sanxiang",
            "--display-name", "sanxiang", "--access-key", self.access_key, "--secret-key", self.secret_key,
        )  # fmt: skip

    def _write_conf(self, mon_port: int) -> None:
        (self.root / "run").mkdir()
        (self.root / "mon").mkdir()
        (self.root / "osd").mkdir()
        self.conf.write_text(
            f"""[global]
fsid = {self.fsid}
mon host = v2:127.0.0.1:{mon_port}
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
run dir = {self.root}/run
admin socket = {self.root}/run/$name.asok
pid file = {self.root}/run/$name.pid
log file = {self.root}/$name.log
crash dir = {self.root}/crash
mon data = {self.root}/mon/$id
osd data = {self.root}/osd/$id
osd objectstore = memstore
memstore device bytes = {self.memory_bytes}
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
# The monitor commits each map change at once, not once a second: up in about a second instead of twelve.
paxos propose interval = 0.01
paxos min wait = 0.01
mon allow pool delete = true
mon warn on pool no redundancy = false
osd max object name len = 460
osd max object namespace len = 64
rgw dns name = 127.0.0.1
rgw enable usage log = false
rgw gc processor period = 3600
rgw lc debug interval = -1
rgw data = {self.root}/rgw
""",
            encoding="utf-8",
        )

    def _env(self) -> dict[str, str]:
        return {**os.environ, "CEPH_CONF": str(self.conf)}

    def _run(self, *command: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [*command, "-c", str(self.conf)] if command[0] != "monmaptool" else list(command),
            capture_output=True,
            env=self._env(),
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise CephUnavailableError(
                f"{' '.join(command)} failed ({done.returncode}): "
                f"{done.stderr.decode(errors='replace')[-2000:]}{self._logs()}"
            )
        return done.stdout.decode()

    def _daemon(self, *command: str) -> None:
        self._daemons.append(
            subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                [*DIE_WITH_PARENT, *command, "-f", "-c", str(self.conf)],
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=(self.root / f"{command[0]}.stderr").open("wb"),
                start_new_session=True,
            )
        )

    def _wait_for_gateway(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            for daemon in self._daemons:
                if daemon.poll() is not None:
                    raise CephUnavailableError(f"{daemon.args!r} exited ({daemon.returncode}){self._logs()}")
            try:
                urllib.request.urlopen(self.endpoint_url, timeout=2).close()  # noqa: S310 - http on loopback
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer: the gateway is serving
            except OSError:
                time.sleep(0.2)
        raise CephUnavailableError(f"the RADOS Gateway did not answer on {self.endpoint_url}{self._logs()}")

    def _logs(self) -> str:
        tails = []
        for log in sorted(self.root.glob("*.stderr")) + sorted(self.root.glob("*.log")):
            text = log.read_text(errors="replace").strip()
            if text:
                tails.append(f"\n--- {log.name} ---\n{text[-1500:]}")
        return "".join(tails)

    def stop(self) -> None:
        """Kill the daemons (their data lives in memory and in the folder, both thrown away) and delete it."""
        for daemon in reversed(self._daemons):
            if daemon.poll() is None:
                os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        self._daemons.clear()
        if getattr(self, "root", None) is not None:
            shutil.rmtree(self.root, ignore_errors=True)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # ``kill`` stops it as Ctrl-C does
    started = time.monotonic()
    cluster = CephRGW().start()
    print(f"RADOS Gateway up in {time.monotonic() - started:.1f} s at {cluster.endpoint_url}")
    print(f"SANXIANG_EVIDENCE_S3_ENDPOINT_URL={cluster.endpoint_url}")
    print(f"SANXIANG_EVIDENCE_S3_ACCESS_KEY={cluster.access_key}")
    print(f"SANXIANG_EVIDENCE_S3_SECRET_KEY={cluster.secret_key}")
    print(f"cluster folder: {cluster.root}  (Ctrl-C or kill stops it and deletes the folder)", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
