"""Real-browser tests: Debian's Chromium driven by Selenium through Debian's chromedriver
(the two packages always have the same version), one headless browser per test process,
against pytest-django's live server on a transactional database.

`make test` installs the packages when they are missing (scripts/services.py --chromium).
"""

import base64
import json
import os
from pathlib import Path

import pytest
import selenium_axe_python
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from casework.celery import app as celery_project_app
from tests.cases.conftest import make_case, saule  # noqa: F401 - shared personas
from tests.children.conftest import make_child  # noqa: F401 - shared fixture
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "var" / "artifacts" / "screenshots"
AXE_SCRIPT = Path(selenium_axe_python.__file__).parent / "axe-core" / "axe.min.js"
LAPTOP = (1366, 768)
TABLET = (768, 1024)
WAIT_SECONDS = 10
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for every browser test of this process."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
    if missing:
        pytest.fail(
            f"The browser tests need {' and '.join(missing)}: `make test` installs them "
            "(as root), or run `apt-get install chromium chromium-driver`."
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests may run as root, where Chromium's sandbox refuses to start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--lang=ru",
        f"--window-size={LAPTOP[0]},{LAPTOP[1]}",
    ):
        options.add_argument(argument)
    # Russian is the interface's default language: the browser asks for it like our users'.
    options.add_experimental_option("prefs", {"intl.accept_languages": "ru"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def eager_notifications():
    """Deliver notification e-mails in the live server's request instead of queueing them
    on the shared Redis, where a developer's running worker would take them."""
    before = celery_project_app.conf.task_always_eager
    celery_project_app.conf.task_always_eager = True
    yield
    celery_project_app.conf.task_always_eager = before


@pytest.fixture
def short_lived_connections():
    """The live server answers a kept-alive browser connection from one thread; with
    persistent database connections that thread would hold one open past the test run,
    and the test database could not be dropped. (Every thread shares this dict.)"""
    database = connection.settings_dict
    before = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    yield
    database["CONN_MAX_AGE"] = before


@pytest.fixture
def browser(chromium, live_server, axe_source, eager_notifications, short_lived_connections):
    page = Browser(chromium, live_server.url, axe_source)
    page.viewport(*LAPTOP)
    yield page
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.get("about:blank")


class Browser:
    """What a test does with the page, waiting on conditions rather than on time."""

    def __init__(self, driver, base_url: str, axe_source: str):
        self.driver = driver
        self.base_url = base_url
        self.axe_source = axe_source

    # --- navigation

    def viewport(self, width: int, height: int) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)
        self.wait().until(lambda d: d.execute_script("return document.readyState") == "complete")

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base_url).split("?")[0]

    def wait(self, seconds: float = WAIT_SECONDS) -> WebDriverWait:
        return WebDriverWait(self.driver, seconds)

    def find(self, css: str):
        return self.wait().until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def find_all(self, css: str) -> list:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return self.find(css).text

    def submit(self, button) -> None:
        """Press a button that posts a form, and wait for the next page to load.

        The old page carries a mark the new one does not; while the browser is between
        the two, the driver may answer with errors, which only mean "not yet"."""
        self.driver.execute_script("window.qamqorOldPage = true")
        button.click()
        WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script(
                "return !window.qamqorOldPage && document.readyState === 'complete'"
            )
        )

    # --- people

    def log_in(self, user, password: str = PASSWORD) -> None:
        if self.path != "/accounts/login/":  # signing out lands there already
            self.open("/accounts/login/")
        for field, value in (("#id_username", user.username), ("#id_password", password)):
            self.find(field).clear()
            self.find(field).send_keys(value)
        self.submit(self.find("form button[type=submit].primary"))
        if self.path == "/accounts/two-factor/setup/":
            # First sign-in of a head: read the key off the page as a phone would scan it.
            key = self.find("code.key").text.replace(" ", "")
            self.enter_code(authenticator_code(base64.b32decode(key)))
        elif self.path == "/accounts/two-factor/":
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            self.enter_code(authenticator_code(device.bin_key, after=device.last_t))

    def enter_code(self, code: str) -> None:
        self.find("#id_token").send_keys(code)
        self.submit(self.find("form button[type=submit].primary"))

    def log_out(self) -> None:
        self.submit(self.find("header form[action$='/logout/'] button"))

    def nav_labels(self) -> list[str]:
        return [link.text for link in self.find_all("header nav a")]

    # --- evidence

    def screenshot(self, name: str) -> Path:
        """The whole page as a PNG in var/artifacts/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width, height = self.driver.execute_script(
            "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]"
        )
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        path = SCREENSHOTS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def axe(self) -> list[dict]:
        """axe-core's serious and critical violations on the current page."""
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(self.axe_source)
        try:
            results = self.driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']})"
                ".then(r => done(JSON.stringify(r.violations)), e => done('ERROR ' + e));"
            )
        except WebDriverException as error:  # pragma: no cover - reported as the failure
            pytest.fail(f"axe-core did not run on {self.path}: {error.msg}")
        if results.startswith("ERROR"):
            pytest.fail(f"axe-core failed on {self.path}: {results}")
        return [v for v in json.loads(results) if v["impact"] in BLOCKING_IMPACTS]

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0: no sideways scroll)."""
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )


def authenticator_code(key: bytes, after: int = -1) -> str:
    """What an authenticator app shows for `key`: the current code, or the next one when
    the current one was already used (a code is accepted once)."""
    totp = TOTP(key)
    if totp.t() <= after:
        totp.time += totp.step
    return f"{totp.token():06d}"


def axe_report(found: dict[str, list[dict]]) -> str:
    lines = []
    for page, violations in found.items():
        for violation in violations:
            targets = ", ".join(
                " ".join(map(str, node["target"])) for node in violation["nodes"][:5]
            )
            lines.append(
                f"{page}: {violation['id']} ({violation['impact']}) {violation['help']} — {targets}"
            )
    return "\n".join(lines)
