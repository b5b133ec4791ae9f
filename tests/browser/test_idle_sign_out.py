"""A specialist who leaves a long form open is warned, signed out, and finds the text
again after signing back in; accepting the form then drops the draft."""

import pytest
from selenium.webdriver.common.by import By

from casework.models import FormDraft

pytestmark = pytest.mark.browser

TYPED = "Синтетика: мальчик 9 лет две недели не приходит в школу, соседи слышат крики."


def dialog_open(driver) -> bool:
    return driver.execute_script("return document.getElementById('idle-warning').open")


def test_the_warning_comes_first_and_the_typing_survives_the_sign_out(browser, alice, settings):
    settings.IDLE_TIMEOUT_SECONDS = 12
    settings.IDLE_WARNING_SECONDS = 9
    browser.log_in(alice)
    browser.open("/referrals/new/")
    browser.find("#id_family_name").send_keys("Синтетиковы")
    browser.find("#id_narrative").send_keys(TYPED)
    browser.wait().until(lambda d: FormDraft.objects.filter(user=alice).exists())

    browser.wait(15).until(dialog_open)  # "Are you still working?"
    browser.screenshot("idle-warning")
    browser.find("[data-idle-stay]").click()
    assert not dialog_open(browser.driver)

    # Nobody answers the second warning: signed out, on the way back to the form.
    browser.wait(30).until(lambda d: browser.path == "/accounts/login/")
    assert "next=%2Freferrals%2Fnew%2F" in browser.driver.current_url
    settings.IDLE_TIMEOUT_SECONDS = 1800
    browser.log_in(alice)
    assert browser.path == "/referrals/new/"
    browser.wait().until(lambda d: browser.find("#id_narrative").get_attribute("value") == TYPED)
    assert browser.find("#id_family_name").get_attribute("value") == "Синтетиковы"
    assert browser.find(".draft-note").is_displayed()

    browser.driver.find_elements(By.CSS_SELECTOR, "#id_categories input")[0].click()
    browser.submit(browser.find("form[data-draft] button[type=submit]"))
    assert browser.path.startswith("/referrals/")
    assert browser.path != "/referrals/new/", browser.text("main")
    assert not FormDraft.objects.filter(user=alice).exists()
    browser.open("/referrals/new/")
    assert browser.find("#id_narrative").get_attribute("value") == ""
    assert not browser.find_all(".draft-note")
