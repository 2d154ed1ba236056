"""Private services for the fault tests: a PostgreSQL cluster, a Redis server and gunicorn, on
free loopback ports in temporary folders. The machine's shared PostgreSQL (5432) and Redis
(6379) are never touched; each fixture stops its processes and removes its folders."""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the virtualenv running the tests
SECRET_KEY = "fault-tests-secret-key-not-for-production"
DATABASE = "faults"
# Failed logins are limited per account tightly and per address loosely here, so that the
# Redis test can reach a limit without locking the other tests (all from 127.0.0.1) out.
ACCOUNT_LIMIT = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, timeout: float, what: str, interval: float = 0.05):
    """Calls ``check`` until it returns something true, and returns that."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server programs installed (Debian's layout), if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(found[-1]).parent if found else None


def _version(path: str) -> int:
    return int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0


def _as_postgres() -> list[str]:
    """PostgreSQL refuses to run as root: under root its programs run as ``postgres``."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class PrivatePostgres:
    """A throwaway cluster: trust authentication, no fsync, its socket in its own folder."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        try:
            self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync",
                      "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _run(self, program: str, *arguments) -> None:
        command = [*_as_postgres(), str(self.bin / program), *map(str, arguments)]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _ctl(self, action: str, *arguments) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run("pg_ctl", action, "-D", self.data, "-l", self.folder / "server.log", "-w",
                  "-t", "60", "-o", options, *arguments)  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: open sessions are ended, the server comes back."""
        self._ctl("restart", "-m", "fast")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres", autocommit: bool = True) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database,
            autocommit=autocommit,
        )  # fmt: skip

    def execute(self, sql: str, database: str = "postgres") -> None:
        with self.connect(database) as connection:
            connection.execute(sql)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """redis-server without persistence; stopped and started again on the same port."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="faults-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, number: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{number}"

    def client(self, number: int = 0) -> redis.Redis:
        return redis.Redis.from_url(self.url(number), socket_timeout=2)

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no", "--dir", str(self.folder)]  # fmt: skip
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 (kept open by the server)
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        wait_until(self._answers, 20, "redis-server to answer")

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def remove(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=20)
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)


class Gunicorn:
    """``gunicorn -w 2 wsgi:app`` from the project's folder, in its own process group."""

    def __init__(self, environment: dict[str, str], workers: int = 2):
        self.folder = Path(tempfile.mkdtemp(prefix="faults-gunicorn-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("TEST_")}
        env.update({"SECRET_KEY": SECRET_KEY, "UPLOAD_FOLDER": str(self.folder / "uploads")})
        env.update(environment)
        command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
                   "--graceful-timeout", "3", "wsgi:app"]  # fmt: skip
        self.log = self.folder / "gunicorn.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.expected_workers = workers
        try:
            wait_until(self._serves, 90, f"gunicorn to serve /login (log: {self.log})", 0.2)
        except BaseException:
            self.stop()
            raise

    def _serves(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
        try:
            return requests.get(self.url + "/login", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def workers(self) -> set[int]:
        """The worker processes the arbiter runs now."""
        found = set()
        for status in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = Path(status).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid and fields[0] != "Z":
                    found.add(int(status.split("/")[2]))
        return found

    def worker_connected_from(self, port: int) -> int:
        """The worker whose socket has the local TCP port ``port`` (its database connection)."""
        inodes = _socket_inodes(port)
        for pid in self.workers():
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError):
                        link = os.readlink(f"/proc/{pid}/fd/{fd}")
                        if link.startswith("socket:[") and link[8:-1] in inodes:
                            return pid
        raise AssertionError(f"no worker holds the connection from port {port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # workers left behind, if any
        shutil.rmtree(self.folder, ignore_errors=True)


def _socket_inodes(port: int) -> set[str]:
    """Inodes of the loopback TCP sockets whose local port is ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    return inodes
