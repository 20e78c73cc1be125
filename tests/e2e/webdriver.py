"""A small W3C WebDriver client (standard library only) and the harness that runs the real
Gongkai window under Xvfb through WebKitWebDriver (Debian's webkit2gtk-driver)."""
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("GONGKAI_APP", ROOT / "target" / "debug" / "gongkai-desktop"))
SHOTS = ROOT / "target" / "e2e"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(fn, timeout=15, what="condition"):
    """Polls `fn` until it returns something true, which it returns; TimeoutError naming `what`."""
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    raise TimeoutError(what)


def pick(s, select_css, item_text):
    """Opens an Element Plus select and clicks the item; retries while the dropdown slides in, and
    when another select's dropdown is the one showing (a keystroke meant for the field before
    can open its neighbour on a busy machine), closes it by clicking outside first."""
    for _ in range(5):
        s.wait(f"{select_css} .el-select__wrapper").click()
        try:
            s.wait(".el-select-dropdown__item", text=item_text, timeout=6).click()
        except TimeoutError:
            s.js("document.activeElement && document.activeElement.blur();"
                 "document.body.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));"
                 "document.body.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));"
                 "document.body.click();")
            time.sleep(0.5)
            continue
        time.sleep(0.3)
        if item_text in s.wait(select_css).text:
            return
    raise AssertionError(f"could not pick {item_text!r} in {select_css}")


class WebDriverError(Exception):
    pass


class Element:
    def __init__(self, session, eid):
        self.s, self.id = session, eid

    def click(self, timeout=5):
        """Clicks; while a dropdown or drawer is still animating in, tries again."""
        end = time.time() + timeout
        while True:
            try:
                self.s.cmd("POST", f"/element/{self.id}/click", {})
                return self
            except WebDriverError as e:
                if time.time() > end or not any(
                        w in str(e) for w in ("not interactable", "click intercepted")):
                    raise
                time.sleep(0.2)

    def send_keys(self, text):
        self.s.cmd("POST", f"/element/{self.id}/value", {"text": text})
        return self

    def retype(self, text):
        """Replaces the content the way a clerk does: Ctrl+A, Backspace, then type."""
        self.send_keys("\ue009a\ue000\ue003")
        return self.send_keys(text)

    def clear(self):
        self.s.cmd("POST", f"/element/{self.id}/clear", {})
        return self

    @property
    def text(self):
        """The rendered text (innerText), as the clerk reads it."""
        return self.s.js("return arguments[0].innerText", {"element-6066-11e4-a52e-4f735466cecf": self.id})

    def prop(self, name):
        return self.s.cmd("GET", f"/element/{self.id}/property/{name}")


class Session:
    """One WebDriver session = one launch of the app."""

    def __init__(self, base, caps):
        self.base = base
        r = self._req("POST", "/session", {"capabilities": caps}, timeout=60)
        self.sid = r["sessionId"]

    def _req(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise WebDriverError(f"{method} {path}: {e.code} {e.read()[:500]!r}") from None

    def cmd(self, method, path, body=None, timeout=30):
        return self._req(method, f"/session/{self.sid}{path}", body, timeout)

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find_all(self, css):
        els = self.cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, next(iter(e.values()))) for e in els]

    def wait(self, css, timeout=20, text=None, visible=True):
        """Waits for an element matching css (and containing text) and returns it. The search runs
        in the page in one call, so it stays fast with a thousand rows."""
        end = time.time() + timeout
        last = None
        script = """
            const [css, text, visible] = arguments;
            const els = Array.from(document.querySelectorAll(css));
            const shown = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
            const hit = els.find(e => (text === null || e.innerText.includes(text)) && (!visible || shown(e)));
            return [hit || null, els.length ? els[0].innerText : null];
        """
        while time.time() < end:
            try:
                hit, last = self.js(script, css, text, visible)
            except WebDriverError:
                hit = None
            if hit:
                return Element(self, next(iter(hit.values())))
            time.sleep(0.2)
        raise TimeoutError(f"no {css!r} with text {text!r} after {timeout}s (first text {last!r})")

    def screenshot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        time.sleep(1.0)  # a shot right after a change can be stale
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        path = SHOTS / name
        path.write_bytes(png)
        return path

    def first_run(self, unit="治安支队", name="王晓明", screenshot=None):
        """Does the first-run setup the way a clerk does: type part of the unit's name in the
        select, pick it, type the name, start. A click on a dropdown item that is still sliding
        in can miss: check and pick again."""
        self.wait("[data-testid=setup-unit]", timeout=60)
        for _ in range(5):
            self.wait("[data-testid=setup-unit]").click()
            field = self.wait("[data-testid=setup-unit] input")
            field.clear()
            field.send_keys(unit)
            self.wait(".el-select-dropdown__item", text=unit).click()
            time.sleep(0.3)
            if self.js("return document.querySelector('[data-testid=setup-unit]').innerText.includes(arguments[0])", unit):
                break
        self.wait("[data-testid=setup-name] input").send_keys(name)
        if screenshot:
            self.screenshot(screenshot)
        self.wait("[data-testid=setup-submit]").click()
        try:
            self.wait("[data-testid=new-doc]", timeout=30)
        except TimeoutError:
            self.screenshot("failed-first-run.png")
            raise

    def quit(self):
        try:
            self._req("DELETE", f"/session/{self.sid}", timeout=30)
        except Exception:
            pass


class Harness:
    """Xvfb + WebKitWebDriver; launches the built app with a given data directory."""

    def __init__(self, shipped_webkit=False):
        """`shipped_webkit`: WebKit as the app sets it up for clerks (no accelerated compositing,
        see `WEBKIT_DEFAULTS` in src-tauri/src/lib.rs). Otherwise compositing is turned back on
        (`WEBKIT_DISABLE_COMPOSITING_MODE=0`): without it WebKit's snapshots, which WebDriver
        screenshots are, hang now and then under Xvfb. What the window does is the same."""
        if not APP.exists():
            raise RuntimeError(f"{APP} not built: run cargo build -p gongkai-desktop")
        self.procs = []
        self.display = os.environ.get("E2E_DISPLAY", ":97")
        env = dict(os.environ)
        if not os.environ.get("E2E_USE_DISPLAY"):
            self.procs.append(subprocess.Popen(
                ["Xvfb", self.display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            env["DISPLAY"] = self.display
            time.sleep(1.0)
        env["TAURI_WEBVIEW_AUTOMATION"] = "true"
        if not shipped_webkit:
            env["WEBKIT_DISABLE_COMPOSITING_MODE"] = "0"
        env.pop("GONGKAI_DATA_DIR", None)
        # Exports and printed forms land here, not in the user's documents folder.
        self.export_dir = Path(tempfile.mkdtemp(prefix="gongkai-e2e-exports-"))
        env["GONGKAI_EXPORT_DIR"] = str(self.export_dir)
        self.env = env
        self.port = free_port()
        self.procs.append(subprocess.Popen(
            [shutil.which("WebKitWebDriver") or "WebKitWebDriver", f"--port={self.port}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.base = f"http://127.0.0.1:{self.port}"
        end = time.time() + 20
        while time.time() < end:
            try:
                with urllib.request.urlopen(self.base + "/status", timeout=2):
                    break
            except Exception:
                time.sleep(0.2)

    def launch(self, data_dir):
        caps = {"alwaysMatch": {"webkitgtk:browserOptions": {
            "binary": str(APP), "args": ["--data-dir", str(data_dir)]}}}
        return Session(self.base, caps)

    def close(self):
        for p in reversed(self.procs):
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
