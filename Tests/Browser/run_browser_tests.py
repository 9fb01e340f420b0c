#!/usr/bin/env python3
"""Browser tests of the web UI (issue #6, SPEC §8) in headless Chromium, driven by selenium.

Run by scripts/browser-test, which starts the server on a fresh database with the fleet's
outlets imported. The tests run in order and share one browser: sign in, scan with live
progress, then check what the pages show against the fleet manifest and the API.
Prints one line per test and, last, "N passed, N failed".
"""
import argparse
import csv
import io
import json
import sys
import time
import traceback
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

WIDE = (1366, 768)
PHONE = (390, 844)
VIEWER = ("viewer1", "Viewer-Password-1")


class Checks:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.password = args.password
        self.spa_url = (args.spa_url or "").rstrip("/")
        self.shots = Path(args.screenshots)
        self.shots.mkdir(parents=True, exist_ok=True)
        manifest = json.loads(Path(args.manifest).read_text())
        self.day = manifest["today"]
        self.outlets = manifest["outlets"]
        self.expected = {o["code"]: o["ddrive"][self.day] for o in self.outlets}
        self.successful = sorted(c for c, e in self.expected.items() if e["status"] == "success")
        self.failed = sorted(c for c, e in self.expected.items() if e["status"] != "success")
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={WIDE[0]},{WIDE[1]}", "--force-device-scale-factor=1", "--lang=en-US"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_window_size(*WIDE)
        self.wait = WebDriverWait(self.driver, 20)

    # -- helpers ---------------------------------------------------------------------------

    def go(self, path):
        self.driver.get(self.base + path)

    def path(self):
        return self.driver.current_url[len(self.base):]

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def stat(self, name):
        return int(self.find(f'[data-stat="{name}"]').text.replace(",", ""))

    def shot(self, name, full=False):
        """A screenshot at the current window size; `full` grows the window to the whole page."""
        size = self.driver.get_window_size()
        if full:
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(size["width"], min(max(height, size["height"]), 6000))
            time.sleep(0.2)
        self.driver.save_screenshot(str(self.shots / f"{name}.png"))
        if full:
            self.driver.set_window_size(size["width"], size["height"])

    def fetch(self, path):
        """GETs `path` from inside the page, with the browser's session cookie."""
        script = """
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: "same-origin"})
              .then(r => r.text().then(t => done({status: r.status, type: r.headers.get("content-type"), body: t})))
              .catch(e => done({status: 0, type: "", body: String(e)}));
        """
        self.driver.set_script_timeout(60)
        return self.driver.execute_async_script(script, path)

    def mismatches(self):
        """Outlets whose stored verdict differs from the manifest, for failure messages."""
        body = json.loads(self.fetch(f"/api/v1/backup-stats?scan_date={self.day}&limit=1000")["body"])
        wrong = []
        for record in body.get("data", []):
            expected = self.expected.get(record["OutletServer"], {})
            got = "success" if record["Status"] == "Successful" else "failed"
            if got != expected.get("status") or record["errorKind"] != expected.get("errorKind"):
                wrong.append(f'{record["OutletServer"]}: {got}/{record["errorKind"]} '
                             f'(expected {expected.get("status")}/{expected.get("errorKind")}): {record["ErrorDetails"]}')
        return "differences: " + "; ".join(wrong[:15]) if wrong else "no record differs"

    def sign_in(self, username, password):
        self.go("/login")
        self.find("#username").send_keys(username)
        self.find("#password").send_keys(password)
        self.find("button[type=submit]").click()
        self.wait.until(lambda d: not d.current_url.startswith(self.base + "/login"))

    def sign_out(self):
        self.find("form.signout button").click()
        self.wait.until(lambda d: d.current_url.startswith(self.base + "/login"))

    # -- tests, in order -------------------------------------------------------------------

    def test_sign_in(self):
        self.go("/")
        assert self.path().startswith("/login"), f"anonymous / went to {self.path()}"
        self.shot("login")
        self.find("#username").send_keys("admin")
        self.find("#password").send_keys("not the password")
        self.find("button[type=submit]").click()
        # The answer comes after a bcrypt check; under load the old page is still showing.
        error = self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".message.error"))[0].text
        assert "Wrong user name or password" in error, error
        self.find("#password").send_keys(self.password)
        self.find("button[type=submit]").click()
        self.wait.until(lambda d: d.current_url.rstrip("/") == self.base)
        assert "admin · admin" in self.find(".who").text

    def test_keyboard_skip_link(self):
        self.go(f"/?date={self.day}")
        self.find("body").send_keys(Keys.TAB)
        active = self.driver.switch_to.active_element
        assert "skip" in (active.get_attribute("class") or ""), active.get_attribute("outerHTML")
        active.send_keys(Keys.ENTER)
        self.wait.until(lambda d: d.switch_to.active_element.get_attribute("id") == "main")

    def test_scan_reaches_100_percent_with_live_failures(self):
        self.go(f"/?date={self.day}")
        self.find("#scan-button").click()
        seen, failures_before_end, mid_shot = set(), 0, False
        deadline = time.time() + 300
        while time.time() < deadline:
            panel = self.find("#scan-progress")
            value = int(panel.find_element(By.CSS_SELECTOR, "[role=progressbar]").get_attribute("aria-valuenow"))
            text = panel.find_element(By.CSS_SELECTOR, ".progress-text").text
            seen.add(value)
            if text.startswith("Finished"):
                # The bar and the text are two reads: the end can land between them.
                seen.add(int(panel.find_element(By.CSS_SELECTOR, "[role=progressbar]").get_attribute("aria-valuenow")))
                break
            failures_before_end = len(panel.find_elements(By.CSS_SELECTOR, ".scan-failures li"))
            if not mid_shot and 5 <= value <= 95:
                self.shot("dashboard-scan-progress")
                mid_shot = True
            time.sleep(0.15)
        text = self.find("#scan-progress .progress-text").text
        assert text.startswith("Finished"), f"no end of scan: {text!r}"
        assert "(100 %)" in text and 100 in seen, f"progress never reached 100 %: {sorted(seen)}"
        assert any(0 < v < 100 for v in seen), f"no intermediate progress seen: {sorted(seen)}"
        listed = len(self.all("#scan-progress .scan-failures li"))
        assert listed == len(self.failed), f"{listed} failures listed, manifest has {len(self.failed)}; {self.mismatches()}"
        if self.failed:
            assert failures_before_end > 0, "failures appeared only at the end"
        # The figures are refreshed in place at the end.
        self.wait.until(lambda d: self.stat("successful") == len(self.successful))
        self.shot("dashboard-after-scan")

    def test_dashboard_matches_manifest(self):
        self.go(f"/?date={self.day}")
        assert self.stat("outlets") == len(self.outlets), self.stat("outlets")
        assert self.stat("successful") == len(self.successful), \
            f'{self.stat("successful")} successful, manifest {len(self.successful)}; {self.mismatches()}'

        assert self.stat("failed") == len(self.failed), (self.stat("failed"), len(self.failed))
        assert self.stat("unscanned") == 0, self.stat("unscanned")
        rate = self.find('[data-stat="rate"]').text
        assert rate == f"{len(self.successful) * 100 / len(self.outlets):.1f} %", rate
        assert len(self.all("svg.trend g.bar")) == 30
        last = self.find("#last-scan").text
        assert "user:admin" in last and "finished" in last, last
        self.shot("dashboard", full=True)

    def test_backups_filter_and_sort(self):
        self.go(f"/backups?date={self.day}")
        Select(self.find("#filter-status")).select_by_value("failed")
        self.find("#filter-apply").click()
        self.wait.until(lambda d: "status=failed" in d.current_url)
        count = self.find("#record-count").text
        assert count.startswith(f"{len(self.failed):,} record"), count
        rows = self.all("#records tbody tr")
        assert rows and all(r.get_attribute("class") == "failed" for r in rows), "a non-failed row is listed"
        self.shot("backups-failed", full=True)
        # Sort by outlet, descending after a second click.
        self.find("#records thead th:nth-child(2) a").click()
        self.find("#records thead th:nth-child(2) a").click()
        codes = [r.get_attribute("data-outlet") for r in self.all("#records tbody tr")]
        assert codes == sorted(codes, reverse=True) and codes[0] == self.failed[-1], codes[:3]
        # One outlet, any status.
        code = self.successful[0]
        Select(self.find("#filter-status")).select_by_value("")
        field = self.find("#filter-outlet")
        field.clear()
        field.send_keys(code)
        self.find("#filter-apply").click()
        self.wait.until(lambda d: f"outlet={code}" in d.current_url)
        rows = self.all("#records tbody tr")
        assert [r.get_attribute("data-outlet") for r in rows] == [code], [r.get_attribute("data-outlet") for r in rows]
        assert rows[0].get_attribute("class") == "success"
        self.go(f"/backups?date={self.day}")
        self.shot("backups")

    def test_servers_and_outlet_page(self):
        self.go(f"/servers?date={self.day}")
        assert len(self.all("li.server")) == len(self.outlets)
        self.shot("servers")
        Select(self.find("#server-status")).select_by_value("failed")
        self.find("#server-search").submit()
        self.wait.until(lambda d: "status=failed" in d.current_url)
        assert len(self.all("li.server")) == len(self.failed)
        # A failed outlet that still shows a file (stale, too small), so the size trend has a point.
        code = next((c for c in self.failed if self.expected[c]["file"]), self.failed[0])
        self.go(f"/servers?date={self.day}&q={code}")
        cards = self.all("li.server")
        assert [c.get_attribute("data-outlet") for c in cards] == [code]
        cards[0].find_element(By.TAG_NAME, "a").click()
        self.wait.until(lambda d: f"/servers/{code}" in d.current_url)
        assert code in self.find("h1").text
        assert len(self.all("svg.heatmap rect")) == 180, len(self.all("svg.heatmap rect"))
        today = self.find("#today-ddrive").text
        kind = self.expected[code]["errorKind"]
        assert "Successful" not in today, today
        label = self.fetch("/api/v1/backup-stats?scan_date=" + self.day + "&outlet=" + code)
        record = json.loads(label["body"])["data"][0]
        assert record["errorKind"] == kind, (record["errorKind"], kind)
        assert bool(self.all("svg.sizes")) == bool(self.expected[code]["file"]), "size trend shown without a file"
        if self.expected[code]["file"]:
            assert self.expected[code]["file"] in self.find("#files-title").find_element(By.XPATH, "..").text
        self.shot("outlet", full=True)

    def test_reports_csv_matches_api(self):
        self.go(f"/reports?date={self.day}&from={self.day}&to={self.day}")
        assert self.stat("records") == len(self.outlets)
        assert self.stat("failed") == len(self.failed)
        self.shot("reports", full=True)
        href = self.find("#export-csv").get_attribute("href")[len(self.base):]
        exported = self.fetch(href)
        assert exported["status"] == 200 and exported["type"].startswith("text/csv"), exported["type"]
        rows = list(csv.DictReader(io.StringIO(exported["body"])))
        api = json.loads(self.fetch(f"/api/v1/backup-stats?scan_date={self.day}&limit=1000")["body"])
        records = api["data"]
        offset = len(records)
        while offset < api["total"]:
            page = json.loads(self.fetch(f"/api/v1/backup-stats?scan_date={self.day}&limit=1000&offset={offset}")["body"])
            records += page["data"]
            offset += len(page["data"])
        assert len(rows) == len(records) == len(self.outlets), (len(rows), len(records))
        by_code = {r["OutletServer"]: r for r in records}
        for row in rows:
            record = by_code[row["OutletServer"]]
            for column, key in (("Status", "Status"), ("BackupFile", "BackupFile"), ("BackupFileSize", "BackupFileSize"),
                                ("LastBackupTaken", "LastBackupTaken"), ("ErrorKind", "errorKind"),
                                ("DriveLetter", "DriveLetter")):
                want = record[key] or ""
                got = row[column]
                if got.startswith("'") and want[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    got = got[1:]
                assert got == want, (row["OutletServer"], column, got, want)

    def test_resync_one_outlet(self):
        code = self.failed[0] if self.failed else self.successful[0]
        self.go(f"/backups?date={self.day}&outlet={code}")
        self.find(f'button[name=outlet][value="{code}"]').click()
        self.wait.until(lambda d: "resynced=1" in d.current_url)
        notice = self.find(".message.notice").text
        ok = 1 if self.expected[code]["status"] == "success" else 0
        assert notice == f"Re-synced {code}: {ok} successful, {1 - ok} failed.", notice
        self.shot("backups-after-resync")

    def test_old_frontend_from_a_second_origin(self):
        """The original React frontend after sign-in (SPEC §13), from another origin in CORS_ORIGINS:
        credentialed XHR, the XSRF-TOKEN cookie echoed as X-XSRF-TOKEN on a re-sync, and an
        EventSource scan to its final event whose reconnect gets 204 instead of a new scan."""
        if not self.spa_url:
            raise AssertionError("no --spa-url: scripts/browser-test serves the old-frontend page")
        scans_before = json.loads(self.fetch("/api/v1/scans?mode=ibstorage&limit=1000")["body"])["data"]
        code = self.failed[0] if self.failed else self.successful[0]
        self.driver.get(f"{self.spa_url}/index.html?api={self.base}&date={self.day}&outlet={code}")
        WebDriverWait(self.driver, 300).until(lambda d: d.find_element(By.ID, "result").text)
        result = json.loads(self.find("#result").text)
        self.shot("old-frontend")
        assert result["xsrfCookie"], "the page on the second origin cannot read XSRF-TOKEN"
        assert result["me"]["status"] == 200 and result["me"]["data"]["role"] == "admin", result["me"]
        stats = result["stats"]
        assert stats["status"] == 200 and stats["data"]["data"][0]["OutletServer"] == code, stats
        resync = result["resync"]
        assert resync["status"] == 200, resync
        record = resync["data"]["data"][0]
        want = "Successful" if self.expected[code]["status"] == "success" else "Failed"
        assert record["OutletServer"] == code and record["Status"] == want, record
        scan = result["scan"]
        assert not scan.get("timedOut"), scan
        assert scan["started"] == {"total": len(self.outlets)}, scan
        assert scan["complete"]["count"] == len(self.outlets), scan
        ib_ok = sum(1 for o in self.outlets if o["ibstorage"][self.day]["status"] == "success")
        assert scan["complete"]["successCount"] == ib_ok, (scan["complete"], ib_ok)
        assert scan["closedByServer"], f"the EventSource was not closed by a 204 after the end: {scan}"
        # One new IBSTORAGE scan: the reconnect after the final event started none.
        self.go(f"/?date={self.day}")
        scans_after = json.loads(self.fetch("/api/v1/scans?mode=ibstorage&limit=1000")["body"])["data"]
        assert len(scans_after) == len(scans_before) + 1, (len(scans_before), len(scans_after))

    def test_settings_add_viewer(self):
        self.go("/settings")
        self.shot("settings")
        form = self.find('form[action="/settings/users"]')
        form.find_element(By.NAME, "username").send_keys(VIEWER[0])
        form.find_element(By.NAME, "password").send_keys(VIEWER[1])
        Select(form.find_element(By.NAME, "role")).select_by_value("viewer")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(lambda d: "done=user-added" in d.current_url)
        assert f"User {VIEWER[0]} added." in self.find(".message.notice").text

    def test_viewer_has_no_scan_button(self):
        self.sign_out()
        self.sign_in(*VIEWER)
        self.go(f"/?date={self.day}")
        assert not self.all("#scan-form"), "a viewer sees the scan button"
        assert not self.all('header nav a[href^="/settings"]'), "a viewer sees Settings"
        self.shot("dashboard-viewer")
        self.go(f"/backups?date={self.day}")
        assert not self.all("#resync-form"), "a viewer sees re-sync"
        self.go("/settings")
        assert "403" in self.find("h1").text

    def test_phone_width(self):
        self.driver.set_window_size(*PHONE)
        try:
            for path, name in ((f"/?date={self.day}", "phone-dashboard"), (f"/backups?date={self.day}", "phone-backups"),
                               (f"/servers?date={self.day}", "phone-servers")):
                self.go(path)
                overflow = self.driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert overflow <= 1, f"{path} is {overflow}px wider than the phone screen"
                self.shot(name)
        finally:
            self.driver.set_window_size(*WIDE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--screenshots", default="artifacts/screenshots")
    parser.add_argument("--filter", default="")
    parser.add_argument("--summary")
    parser.add_argument("--spa-url", help="where the old-frontend page (Tests/Browser/old-spa) is served")
    args = parser.parse_args()
    checks = Checks(args)
    wanted = [f for f in args.filter.split(",") if f] or [""]
    names = [n for n in Checks.__dict__ if n.startswith("test_") and any(f in n for f in wanted)]
    passed = failed = 0
    try:
        for name in names:
            started = time.time()
            try:
                getattr(checks, name)()
                passed += 1
                print(f"PASS {name} ({time.time() - started:.1f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL {name} ({time.time() - started:.1f} s)", flush=True)
                traceback.print_exc(file=sys.stdout)
                try:
                    checks.shot(f"failed-{name}")
                except Exception:
                    pass
    finally:
        checks.driver.quit()
    summary = f"{passed} passed, {failed} failed"
    if args.summary:
        Path(args.summary).write_text(summary + "\n")
    print(summary, flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
