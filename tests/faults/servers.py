"""Real servers and processes that a fault test starts, breaks and stops itself: a
private Redis, a private PostgreSQL, Celery workers and beats, gunicorn. Never the
shared PostgreSQL on 5432 or the shared Redis on 6379: other test runs use them."""

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email import policy
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
POLL = 0.05


def wait_for(predicate, *, timeout: float = 30, what: str = "the condition") -> None:
    """Poll a condition that another process makes true; fail (never hang) at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(POLL)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A child process in a process group of its own (so that a kill reaches whatever
    it forks), its output in a log file."""

    def __init__(self, name: str, command: list[str], *, env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.popen = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole group: no cleanup, no goodbye, as when a machine dies."""
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (a Celery worker finishes the task under way), SIGKILL after `timeout`."""
        if self.running:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        self.signal_group(signal.SIGKILL)  # whatever the group left behind
        self.popen.wait(timeout=10)

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)


class RedisServer:
    """A private redis-server on a port of its own, without persistence."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_dir = log_dir
        self.process: Process | None = None
        self.starts = 0

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)

    def start(self) -> None:
        self.starts += 1
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = Process(
            f"redis-{self.starts}", command, env=dict(os.environ), log_dir=self.log_dir
        )
        wait_for(self._answers, timeout=15, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def pause(self) -> None:
        """Hung, not dead: it still accepts connections and never answers."""
        self.process.signal_group(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.signal_group(signal.SIGCONT)


def _as_postgres(*command: str) -> list[str]:
    # initdb and postgres refuse to run as root (CI runs the tests as root).
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


class PostgresServer:
    """A private PostgreSQL 15 cluster in a temporary directory (run by the postgres user
    when we are root), listening on 127.0.0.1 on a port of its own and on a socket in
    that directory."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="qamqor-faults-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *command: str) -> None:
        subprocess.run(_as_postgres(*command), check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def _ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-w", "-t", "60",
            "-l", str(self.directory / "server.log"), "-o", options, *extra,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        """Stop (closing every client connection at once) and start again."""
        self._ctl("restart", "-m", "fast")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._ctl("stop", "-m", "immediate")
            except subprocess.SubprocessError:
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)


def celery_command(*arguments: str, app: str = "casework") -> list[str]:
    return [sys.executable, "-m", "celery", "-A", app, *arguments]


def worker_command(name: str, *extra: str) -> list[str]:
    return celery_command(
        "worker", "--pool=solo", "--without-mingle", "--without-gossip",
        "--loglevel=WARNING", f"--hostname={name}@%h", *extra,
    )  # fmt: skip


MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file backend, after each message


def mail_delivered(mail_dir: Path) -> Counter:
    """(recipient, subject) of every e-mail the processes wrote with the file backend."""
    delivered = Counter()
    for path in mail_dir.iterdir():
        for data in path.read_bytes().split(MAIL_SEPARATOR):
            if data.strip():
                message = email.message_from_bytes(data, policy=policy.default)
                delivered[(str(message["To"]).strip(), str(message["Subject"]).strip())] += 1
    return delivered
