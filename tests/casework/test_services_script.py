"""`scripts/services.py` says exactly what is missing when a server does not answer."""

import importlib.util
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


def test_it_names_the_browser_packages_it_cannot_install(monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("services_script", ROOT / "scripts/services.py")
    services = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(services)
    monkeypatch.setattr(
        services,
        "CHROMIUM_PACKAGES",
        {"chromium": "/nonexistent/chromium", "chromium-driver": "/nonexistent/chromedriver"},
    )
    monkeypatch.setattr(services, "can_install", lambda: False)  # not root, or not Debian
    assert services.check_chromium() is False
    out = capsys.readouterr().out
    assert "MISSING: the browser tests need chromium and chromium-driver." in out
    assert "apt-get install chromium chromium-driver" in out


def test_it_finds_the_browser_tests_chromium():
    result = subprocess.run(
        [sys.executable, "scripts/services.py", "--chromium"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "Chromium and chromedriver for the browser tests are installed" in result.stdout
