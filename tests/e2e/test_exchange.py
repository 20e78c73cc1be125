"""The exchange with the central office in the real windows of two installations, a unit's PC and
the office's (data folders side by side; each window launched in turn, as on two PCs):
the clerk makes the signing key in the 签名密钥 dialog and reads its fingerprint; the office enrols
the key and activates it with that fingerprint; the clerk makes the bundle of a signed document
(password prompt, progress, result) and marks it handed over; the office receives it in 收件审核,
sees 校验通过 and accepts it (a signed receipt file); the clerk imports the receipt and the
document shows 已受理. What happens off screen (the document taken to 已签发, the key enrolment
files carried between the PCs) is done with the `gongkai` command line on the same data folders.
Native file dialogs cannot be driven over WebDriver: the test queues their answers in
`window.__GONGKAI_E2E_PICK__` (see ui/src/lib/files.ts)."""
import datetime
import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

from webdriver import ROOT, wait_until

CLI = Path(os.environ.get("GONGKAI_CLI", ROOT / "target" / "debug" / "gongkai"))
PW = "e2e password 1"
ENTER = "\ue007"
TITLE = "关于优化户籍迁移登记服务的通知"


def cli(data, *args):
    env = dict(os.environ, GONGKAI_KEY_PASSWORD=PW)
    env.pop("GONGKAI_DATA_DIR", None)
    r = subprocess.run([str(CLI), "--data-dir", str(data), "--format", "json", *args],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, f"gongkai {args}: {r.stdout}{r.stderr}"
    return json.loads(r.stdout) if r.stdout.strip() else None


def today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date().isoformat()


def signed_doc(unit, work):
    """A notice with a person's mobile number, taken to 已签发 with the command line."""
    body = work / "body.txt"
    body.write_text("为方便群众办理户籍迁移，现就有关事项通知如下。\n一、放宽投靠落户条件\n"
                    "居住满一年的人员可以申请登记常住户口。\n来信群众张伟（手机13812345678）的意见已采纳。\n",
                    encoding="utf-8")
    doc = cli(unit, "doc", "new", "--title", TITLE, "--type", "notice", "--body-file", str(body))
    doc_id = doc["summary"]["doc_id"]
    cli(unit, "doc", "attribute", doc_id, "--set", "active", "--channel", "website", "--catalog", "C06")
    cli(unit, "doc", "advance", doc_id, "--to", "attribute_set")
    cli(unit, "doc", "advance", doc_id, "--to", "interpretation_synced")
    cli(unit, "doc", "deid", doc_id, "--accept-all", "--apply")
    cli(unit, "doc", "advance", doc_id, "--to", "deidentified")
    opinion = lambda n: {"name": n, "opinion": "同意", "date": today()}
    review = work / "secrecy.json"
    review.write_text(json.dumps({"section": opinion("张科长"), "secrecy_office": opinion("李保密员"),
                                  "conclusion": "approve", "leader": opinion("刘副局长"),
                                  "checklist": [True] * 6}), encoding="utf-8")
    cli(unit, "doc", "secrecy", doc_id, "--file", str(review))
    cli(unit, "doc", "advance", doc_id, "--to", "secrecy_cleared")
    cli(unit, "doc", "advance", doc_id, "--to", "in_review")
    cli(unit, "doc", "signoff", doc_id, "--signer", "刘副局长", "--date", today())
    return doc_id


def queue_pick(s, path):
    s.js("window.__GONGKAI_E2E_PICK__ = [arguments[0]]", str(path))


def open_doc(s):
    s.wait("[data-testid=doc-row]", text=TITLE, timeout=60).click()
    s.wait("[data-testid=submission-panel]", timeout=30)


def shown_path(s, css):
    """The path a result line shows (after its label, e.g. 已保存到：)."""
    return Path(s.wait(css, timeout=30).text.strip().split("：", 1)[-1].strip())


def stage(s):
    return s.wait("[data-testid=workflow-stage]").text.strip()


def test_bundle_to_the_office_and_its_receipt_back(harness, tmp_path):
    unit, office, work = tmp_path / "unit", tmp_path / "office", tmp_path / "work"
    work.mkdir()
    cli(office, "setup", "--unit", "zhzx-wsgaban", "--name", "赵审核", "--role", "office")
    office_key = cli(office, "keys", "generate")
    cli(unit, "setup", "--unit", "zazd", "--name", "王晓明")
    doc_id = signed_doc(unit, work)
    cli(unit, "keys", "pin-office", office_key["public_key"])

    # The clerk makes the key in the window and reads the fingerprint off the screen.
    s = harness.launch(unit)
    try:
        s.wait("[data-testid=doc-row]", text=TITLE, timeout=60)
        s.wait("[data-testid=keys-open]").click()
        # Type both passwords until the inputs hold them (keystrokes sent while the dialog is
        # still opening can be lost on a loaded machine), then generate.
        typed = "return ['keys-password', 'keys-password2'].map(t => document.querySelector(`[data-testid=${t}]`)?.value)"
        for _ in range(3):
            for t in ("keys-password", "keys-password2"):
                box = s.wait(f"[data-testid={t}]")
                box.clear()
                box.send_keys(PW)
            if s.js(typed) == [PW, PW]:
                break
        assert s.js(typed) == [PW, PW], "the password inputs did not take the typing"
        # A click that lands while the dialog is still settling can be dropped (a CI run showed
        # the button idle, no error, no fingerprint): click again while nothing has started.
        started = ("return !!document.querySelector('[data-testid=keys-fingerprint]') || "
                   "!!document.querySelector('[data-testid=keys-generate].is-loading')")
        for _ in range(3):
            s.wait("[data-testid=keys-generate]").click()
            try:
                wait_until(lambda: s.js(started), 5, "generation started")
                break
            except TimeoutError:
                continue
        try:
            fp = wait_until(lambda: s.find_all("[data-testid=keys-fingerprint]") and
                            s.wait("[data-testid=keys-fingerprint]").text, 60, "fingerprint shown")
        except TimeoutError:
            s.screenshot("40-keys-failed.png")
            errors = [e.text for e in s.find_all("[data-testid=keys-error]")]
            raise AssertionError(f"no fingerprint after generating; shown errors: {errors}")
        s.screenshot("40-keys.png")
        shown = "".join(ch for ch in fp if ch in "0123456789ABCDEF")
        assert len(shown) == 64, fp
        s.wait("[data-testid=keys-close]").click()
    finally:
        s.quit()
    key = cli(unit, "keys", "show")["key"]
    assert key["fingerprint"].replace(" ", "") == shown

    # Off screen: the enrolment request goes to the office, which enrols and activates the key
    # with the fingerprint read from the (printed) form.
    enrol = work / "enrol.json"
    cli(unit, "keys", "enrol-request", str(enrol))
    cli(office, "intake", "enrol", str(enrol))
    cli(office, "intake", "activate", key["key_id"], "--fingerprint", shown)

    # The clerk makes the bundle and marks it handed over.
    s = harness.launch(unit)
    try:
        open_doc(s)
        assert stage(s) == "已签发"
        s.wait("[data-testid=bundle-export]").click()
        s.wait("[data-testid=bundle-password]").send_keys(PW + ENTER)
        bundle = shown_path(s, "[data-testid=bundle-result-path]")
        files = s.wait("[data-testid=bundle-files]").text
        assert "policy.docx" in files and "fawen.pdf" in files, files
        s.screenshot("41-bundle.png")
        assert bundle.exists() and bundle.parent == harness.export_dir, bundle
        names = zipfile.ZipFile(bundle).namelist()
        assert any(n.endswith("tagmanifest-sha256.txt.minisig") for n in names), names
        s.js("document.querySelectorAll('.el-dialog__headerbtn').forEach(b => b.click())")
        time.sleep(0.5)
        wait_until(lambda: stage(s) == "已封装", 15, "已封装")
        s.wait("[data-testid=submission-mark-sent]").click()
        s.wait("[data-testid=submission-sent-confirm]").click()
        wait_until(lambda: stage(s) == "已报送", 15, "已报送")
    finally:
        s.quit()

    # The office receives it, sees it verified, and accepts it.
    o = harness.launch(office)
    try:
        o.wait("[data-testid=office-view]", timeout=60)
        queue_pick(o, bundle)
        o.wait("[data-testid=intake-receive]").click()
        verdict = o.wait("[data-testid=verdict]", timeout=30)
        assert verdict.prop("dataset")["ok"] == "true", verdict.text
        assert "校验通过" in o.wait("[data-testid=verdict-headline]").text
        assert TITLE in o.wait("[data-testid=verdict-title]").text
        o.screenshot("42-office-verdict.png")
        o.wait("[data-testid=intake-table]", text=TITLE, timeout=15)
        o.wait("[data-testid=intake-accept]").click()
        o.wait("[data-testid=decide-password]").send_keys(PW + ENTER)
        receipt = shown_path(o, "[data-testid=decide-result-path]")
        assert receipt.exists(), receipt
        o.screenshot("43-office-accepted.png")
    finally:
        o.quit()

    # The clerk imports the receipt: the document is 已受理.
    s = harness.launch(unit)
    try:
        open_doc(s)
        queue_pick(s, receipt)
        s.wait("[data-testid=receipt-import]").click()
        decision = s.wait("[data-testid=receipt-decision]", timeout=20).text
        assert "已受理" in decision, decision
        s.screenshot("44-receipt.png")
        s.js("document.querySelectorAll('.el-dialog__headerbtn').forEach(b => b.click())")
        wait_until(lambda: stage(s) == "已受理", 15, "已受理")
    finally:
        s.quit()
    status = cli(unit, "doc", "status", doc_id)
    assert status["stage"] == "accepted", status["stage"]
