"""Fixtures of the fault tests: private servers and child processes that are stopped
(process group and all) when the test ends, pass or fail."""

import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from casework.services.api_tokens import api_token_create
from tests.conftest import celery_app_on

from .servers import ROOT, Process, RedisServer, wait_for


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every persona gets a password: hashed for real, that is a second each on a busy
    machine, and no fault here is about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.resume()  # a paused server ignores SIGTERM until it runs again
    server.stop()


@pytest.fixture
def broker(redis_server, worker_id, project_celery_app_restored):
    """The Celery app of this process (the web app's and the test's side), on the
    private Redis."""
    return celery_app_on(redis_server.url, worker_id)


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


def _database_url_of_this_test() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Processes:
    def __init__(self, log_dir, base_env):
        self.log_dir = log_dir
        self.base_env = base_env
        self.started: list[Process] = []

    def start(self, name: str, command: list[str], **env) -> Process:
        process = Process(name, command, env={**self.base_env, **env}, log_dir=self.log_dir)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop(timeout=20)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.log()[-3000:]}" for p in self.started)

    def wait_for(self, predicate, *, timeout: float = 30, what: str = "the condition") -> None:
        """Wait on the processes' work; on a timeout, say what they logged."""
        try:
            wait_for(predicate, timeout=timeout, what=what)
        except AssertionError as timed_out:
            raise AssertionError(f"{timed_out}\n{self.logs()}") from None


@pytest.fixture
def processes(tmp_path, redis_server, broker, mail_dir):
    """Start child processes (Celery workers and beats, web servers) on the test database,
    the private Redis and this test's queue; all are stopped at the end."""
    base_env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_this_test(),
        "REDIS_URL": redis_server.url,
        "CELERY_QUEUE": broker.conf.task_default_queue,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "FAULTS_MAIL_DIR": str(mail_dir),
        "DEBUG": "1",
        "PYTHONPATH": str(ROOT),
    }
    registry = Processes(tmp_path, base_env)
    yield registry
    registry.stop_all()


@pytest.fixture
def police_api(police):
    """The police unit's system, calling the referral API with its token."""
    _token, key = api_token_create(organisation=police, name="police system", by=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def queue_drained(client, queue: str, *, dead: frozenset = frozenset()) -> bool:
    """Nothing waits in the queue and nothing is being worked on, except the messages of
    workers killed on purpose (`dead` delivery tags), which Redis keeps as unacknowledged
    until their visibility timeout."""
    return client.llen(queue) == 0 and set(client.hkeys("unacked")) <= dead
