"""Settings from the environment: production refuses a default key and passes --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qp2LmZ9vR4tW8yB1nC6dF0gH5jK3sA" * 2,
    "ALLOWED_HOSTS": "qamqor.example.kz",
}


def manage(*args, **env):
    base = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_on_the_default_secret_key_without_debug():
    result = manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_hashes_passwords_with_a_slow_hash():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.contrib.auth.hashers import "
            "get_hasher; print(get_hasher().algorithm)",
        ],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "casework.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "pbkdf2_sha256"


def test_settings_follow_the_design():
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Almaty"
    assert settings.USE_TZ
    assert settings.LANGUAGE_CODE == "ru"
    assert [code for code, _ in settings.LANGUAGES] == ["kk", "ru", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_production_logs_are_one_json_object_a_line():
    import json

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('qamqor.test').warning('sweep late by %s s', 90)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}},
            **PRODUCTION,
            "DJANGO_SETTINGS_MODULE": "casework.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    [line] = result.stderr.strip().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "qamqor.test"
    assert entry["message"] == "sweep late by 90 s"
    assert entry["time"]
