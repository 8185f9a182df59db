#!/usr/bin/env python3
"""Drives the Dragnet console in headless Chromium (Debian's chromium-driver,
python3-selenium), against a `dragnet serve` started by browser_test.cc.

Each check raises AssertionError with what was seen; the exit code is 0 only
when all pass. Screenshots of the main pages go to --screenshots (docs/console/).
Only 127.0.0.1 is contacted."""
import argparse
import http.cookiejar
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

HOSTILE = "<img src=x onerror=alert(1)>"


def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1000", "--no-proxy-server", "--disable-extensions",
              "--hide-scrollbars", "--force-device-scale-factor=1"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def post_raw(base, path, cookie, fields):
    """A form POST outside the browser, carrying the browser's session cookie."""
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(base + path, data=data, method="POST",
                                 headers={"Cookie": "dn_session=" + cookie,
                                          "Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(req, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submit(d, by, value):
    """Clicks a form's button and waits for the next page (the old one goes stale)."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(by, value).click()
    WebDriverWait(d, 30).until(EC.staleness_of(old))


def no_alert(d, where):
    try:
        d.switch_to.alert
    except NoAlertPresentException:
        return
    raise AssertionError("a JavaScript alert opened on " + where)


def inert(d, where):
    """No markup from a captured page became elements."""
    no_alert(d, where)
    assert not d.find_elements(By.CSS_SELECTOR, 'img[src="x"]'), where + ": hostile <img> rendered"
    assert not d.find_elements(By.TAG_NAME, "script"), where + ": a <script> element exists"


def login(d, base, user, password):
    d.get(base + "/login")
    d.find_element(By.NAME, "username").send_keys(user)
    d.find_element(By.NAME, "password").send_keys(password)
    submit(d, By.ID, "login-submit")
    assert d.current_url.rstrip("/") == base, "after login: " + d.current_url


def shot(d, folder, name, full=True):
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    if full:
        h = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(1280, max(700, min(int(h) + 20, 2400)))
    d.save_screenshot(os.path.join(folder, name))
    d.set_window_size(1280, 1000)


def campaign_page(base, campaign, hostile, screenshots):
    """One visit to /campaigns/ID: members linked, spread charts drawn, nothing run.

    The hostile-title site carries the giveaways' wallet: it is a member, and
    its markup stays inert here too."""
    d = driver()
    try:
        login(d, base, "vera", "vera-console-pw")
        d.get(base + "/campaigns/" + campaign)
        members = d.find_elements(By.CSS_SELECTOR, "table.members tbody tr")
        assert len(members) == 3, "campaign members: %d" % len(members)
        assert d.find_elements(By.ID, "member-" + hostile), "the hostile-title site is not a member"
        for m in members:
            link = m.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
            assert "/cases/DN-" in link, link
        assert len(d.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
        assert "Bitcoin wallet" in d.find_element(By.ID, "campaign-sentence").text
        inert(d, "campaign page")
        shot(d, screenshots, "campaign.png")
    finally:
        d.quit()
    print("console browser test: campaign page checks passed")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--cases", default="")
    ap.add_argument("--screenshots", default="")
    ap.add_argument("--campaign", default="", help="only visit this campaign's page (as the viewer)")
    a = ap.parse_args()
    base = a.url.rstrip("/")
    if a.campaign:
        return campaign_page(base, a.campaign, json.load(open(a.cases))["hostile"], a.screenshots)
    cases = json.load(open(a.cases))
    btc, bank, hostile = cases["btc"], cases["bank"], cases["hostile"]
    d = driver()
    try:
        # ---- login ----
        d.get(base + "/review")
        assert d.current_url.endswith("/login"), "not logged in -> /login, got " + d.current_url
        shot(d, a.screenshots, "login.png", full=False)
        d.find_element(By.NAME, "username").send_keys("alice")
        d.find_element(By.NAME, "password").send_keys("wrong password here")
        submit(d, By.ID, "login-submit")
        assert "Wrong user name or password" in d.find_element(By.ID, "login-error").text
        login(d, base, "alice", "alice-console-pw")
        cookie = d.get_cookie("dn_session")
        assert cookie and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie

        # ---- dashboard ----
        assert d.find_element(By.ID, "queue-depth").text == "3", d.find_element(By.ID, "queue-depth").text
        assert len(d.find_elements(By.CSS_SELECTOR, "svg.chart")) == 3
        inert(d, "dashboard")

        # ---- the queue, with screenshot thumbnails loaded ----
        d.get(base + "/review")
        items = d.find_elements(By.CSS_SELECTOR, "li.qcase")
        assert len(items) == 3, "queue has %d items" % len(items)
        thumbs = d.find_elements(By.CSS_SELECTOR, "li.qcase .thumb img")
        assert len(thumbs) == 3, "thumbnails: %d" % len(thumbs)
        for t in thumbs:
            w = d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", t)
            assert w and w > 100, "thumbnail not loaded: " + t.get_attribute("src")
        inert(d, "review")
        shot(d, a.screenshots, "review.png")

        # ---- a case page: screenshot loaded, hostile title shown as text ----
        d.get(base + "/cases/" + hostile)
        imgs = d.find_elements(By.CSS_SELECTOR, "img.screenshot")
        assert imgs, "case page has no screenshot"
        for i in imgs:
            w = d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", i)
            assert w and w > 100, "screenshot not loaded: " + i.get_attribute("src")
        titles = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".title")]
        assert any(HOSTILE in t for t in titles), "hostile title not shown as text: %r" % titles
        assert any("<script>alert(2)</script>" in t for t in titles), titles
        inert(d, "case page")
        shot(d, a.screenshots, "case.png")
        # Captured HTML downloads as text, never rendered.
        links = [e.get_attribute("href") for e in d.find_elements(By.LINK_TEXT, "download (text)")]
        assert links, "no evidence download link"
        req = urllib.request.Request(links[0], headers={"Cookie": "dn_session=" + cookie["value"]})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.headers["Content-Type"].startswith("text/plain"), r.headers["Content-Type"]
            assert r.headers["Content-Disposition"].startswith("attachment"), r.headers["Content-Disposition"]

        # ---- search by a wallet ----
        d.get(base + "/cases")
        d.find_element(By.ID, "search").send_keys("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
        submit(d, By.ID, "search-submit")
        rows = d.find_elements(By.CSS_SELECTOR, "table.cases tbody tr")
        assert [r.get_attribute("id") for r in rows] == ["row-" + btc], [r.get_attribute("id") for r in rows]
        inert(d, "cases search")
        d.get(base + "/cases")
        inert(d, "cases")
        shot(d, a.screenshots, "cases.png")

        # ---- a POST without the CSRF token is refused ----
        assert post_raw(base, "/review/%s/approve" % hostile, cookie["value"], {}) == 403
        assert post_raw(base, "/review/%s/approve" % hostile, cookie["value"], {"csrf": "0" * 64}) == 403

        # ---- approve and reject in the browser ----
        d.get(base + "/review")
        submit(d, By.ID, "approve-" + btc)
        assert (btc + " approved") in d.find_element(By.ID, "notice").text
        d.find_element(By.ID, "reason-" + bank).send_keys("test page of the bank's own security team")
        submit(d, By.ID, "reject-" + bank)
        assert (bank + " rejected") in d.find_element(By.ID, "notice").text
        assert len(d.find_elements(By.CSS_SELECTOR, "li.qcase")) == 1
        d.get(base + "/cases/" + btc)
        assert d.find_element(By.ID, "decided-by").text == "alice"
        assert d.find_element(By.ID, "case-status").text == "reported"
        d.get(base + "/")
        assert d.find_element(By.ID, "queue-depth").text == "1"
        inert(d, "dashboard")
        shot(d, a.screenshots, "dashboard.png")

        # ---- submit page ----
        d.get(base + "/submit")
        inert(d, "submit")
        shot(d, a.screenshots, "submit.png", full=False)

        # ---- logout ----
        submit(d, By.ID, "logout")
        assert d.current_url.endswith("/login"), d.current_url
        d.get(base + "/review")
        assert d.current_url.endswith("/login"), "still logged in after logout: " + d.current_url
        assert post_raw(base, "/review/%s/approve" % hostile, cookie["value"], {}) == 403

        # ---- a viewer sees the queue but cannot approve ----
        login(d, base, "vera", "vera-console-pw")
        d.get(base + "/review")
        assert not d.find_elements(By.CSS_SELECTOR, "button.approve"), "viewer is shown Approve"
        vcookie = d.get_cookie("dn_session")["value"]
        vcsrf = d.find_element(By.CSS_SELECTOR, "form.logout input[name=csrf]").get_attribute("value")
        assert post_raw(base, "/review/%s/approve" % hostile, vcookie, {"csrf": vcsrf}) == 403
        submit(d, By.ID, "logout")
    finally:
        d.quit()
    print("console browser test: all checks passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print("FAILED:", e, file=sys.stderr)
        raise
