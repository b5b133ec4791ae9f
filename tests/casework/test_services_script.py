"""`scripts/services.py` says exactly what is missing when a server does not answer."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(**env):
    return subprocess.run(
        [sys.executable, "scripts/services.py"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_passes_when_both_servers_answer():
    result = run()
    assert result.returncode == 0, result.stdout
    assert "answer" in result.stdout


def test_it_names_a_missing_redis_and_how_to_get_it():
    # 127.0.0.2 is loopback but not "this machine's default": nothing is installed for it.
    result = run(REDIS_URL="redis://127.0.0.2:1/0")
    assert result.returncode == 1
    assert "MISSING: Redis does not answer at 127.0.0.2:1" in result.stdout
    assert "apt-get install redis-server" in result.stdout


def test_it_names_a_missing_postgresql_and_how_to_get_it():
    result = run(DATABASE_URL="postgres://postgres@127.0.0.2:1/qamqor")
    assert result.returncode == 1
    assert "MISSING: PostgreSQL does not answer at 127.0.0.2:1" in result.stdout
