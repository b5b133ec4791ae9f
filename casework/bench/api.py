"""The referral API's throughput under gunicorn, beside its floor's: wrk drives both from
a second process with the same connections, the same body and the same duration."""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from casework.models import Organisation, OrganisationKind
from casework.services.api_tokens import api_token_create

from .floor import floor_table_create

PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = 2
CONNECTIONS = 4
SECONDS = int(os.environ.get("BENCH_API_SECONDS", "15"))
LUA = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local body = string.gsub(template, "REF", "bench-" .. run .. "-" .. tid .. "-" .. counter)
  return wrk.format("POST", path, headers, body)
end
"""


def notice_body(district_code: str) -> str:
    """A police registration notice as a police system sends one (synthetic)."""
    return json.dumps(
        {
            "kind": "police_notice",
            "external_reference": "REF",
            "district_code": district_code,
            "family_name": "Синтетиковы",
            "child_name": "Синтетик Бенчмарков",
            "address": "ул. Примерная, 1, кв. 2",
            "categories": ["neglect"],
            "narrative": "Семья поставлена на профилактический учёт. " * 8,
            "registered_at": timezone.now().isoformat(),
            "police_unit": "Отдел полиции (синтетический)",
            "inspector": "Инспектор (синтетический)",
            "ground": "Профилактический учёт",
            "registration_number": "REF",
        },
        ensure_ascii=False,
    )


def police_token(district_id: int) -> tuple[str, str]:
    police = (
        Organisation.objects.filter(district_id=district_id, kind=OrganisationKind.POLICE)
        .select_related("district")
        .order_by("pk")
        .first()
    )
    if police is None:
        raise LookupError(f"no police unit in district {district_id}: generate a population")
    _, key = api_token_create(organisation=police, name="make bench", by=None)
    return key, police.district.code


@contextmanager
def gunicorn():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casework.bench.settings"}
    command = [
        sys.executable, "-m", "gunicorn", "casework.wsgi", "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True)
    try:
        _wait_until_listening(process)
        yield f"http://127.0.0.1:{PORT}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_listening(process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited before it listened")
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=1):
                return
        except OSError:
            time.sleep(0.2)  # the port opens when gunicorn has imported the app
    raise RuntimeError("gunicorn did not listen within 60 s")


def wrk(url: str, path: str, body: str, headers: dict[str, str], run: str) -> dict:
    lua = "\n".join(
        [
            f"template = {json.dumps(body, ensure_ascii=False)}",
            f"path = {json.dumps(path)}",
            f"run = {json.dumps(run)}",
            "headers = {" + ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items()) + "}",
            LUA,
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{SECONDS}s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    return parse_wrk(out)


def parse_wrk(out: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return {
        "rps": round(rps, 1),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
        "p50_ms": _ms(latency.get("50", "0ms")),
        "p99_ms": _ms(latency.get("99", "0ms")),
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


def bench_api(district_id: int) -> dict:
    key, code = police_token(district_id)
    floor_table_create()
    body = notice_body(code)
    run = timezone.now().strftime("%Y%m%d%H%M%S")
    headers = {"Content-Type": "application/json"}
    with gunicorn() as url:
        floor = wrk(url, "/bench/floor/", body, headers, run)
        api = wrk(
            url,
            "/api/v1/referrals/create/",
            body,
            {**headers, "Authorization": f"Token {key}"},
            run,
        )
    return {"api": api, "floor": floor}
