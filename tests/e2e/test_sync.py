"""Sync in the real window. Two PCs of one unit (data folders side by side) and the office sync
through a real hub (`gongkai hub serve` on a loopback port, SQLite file); what happens on the
other PC and at the office is done with the `gongkai` command line. Both PCs edit one document
offline; on the PC with the window, the bar shows 同步：冲突 1, the 同步 dialog shows both versions
side by side, the clerk keeps the other PC's version and syncs with the key password; the other
PC then holds the same version and no conflict. With 自动同步 turned on in the dialog, the window's
PC pulls the other PC's next edit by itself. Both PCs then set the disclosure attribute
differently: the dialog shows the two records, the clerk keeps one with a reason, and the other
PC ends with the kept attribute."""
import contextlib
import subprocess

from test_exchange import CLI, ENTER, PW, cli
from webdriver import wait_until

TITLE = "关于规范户籍窗口服务的通知"


def enrol(office, pc, name, unit_key_pub, tmp):
    cli(pc, "setup", "--unit", "zazd", "--name", name)
    cli(pc, "keys", "pin-office", unit_key_pub)
    cli(pc, "keys", "generate")
    key = cli(pc, "keys", "show")["key"]
    req = tmp / f"{key['key_id']}.json"
    cli(pc, "keys", "enrol-request", str(req))
    cli(office, "intake", "enrol", str(req))
    cli(office, "intake", "activate", key["key_id"], "--fingerprint", key["fingerprint"])


@contextlib.contextmanager
def unit_with_two_pcs(tmp_path):
    """The office and two enrolled PCs of one unit (王晓明's w, 李娜's x), each configured for a
    real hub on a loopback port, the office synced once; yields (office, w, x)."""
    office, w, x = tmp_path / "office", tmp_path / "w", tmp_path / "x"
    cli(office, "setup", "--unit", "zhzx-wsgaban", "--name", "赵审核", "--role", "office")
    office_key = cli(office, "keys", "generate")
    pub = tmp_path / "office.pub"
    cli(office, "keys", "export-public", str(pub))
    enrol(office, w, "王晓明", office_key["public_key"], tmp_path)
    enrol(office, x, "李娜", office_key["public_key"], tmp_path)
    hub = subprocess.Popen([str(CLI), "hub", "serve", "--listen", "127.0.0.1:0",
                            "--db", f"sqlite://{tmp_path / 'hub.db'}", "--office-key", str(pub)],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = hub.stdout.readline().strip().removeprefix("listening on ")
        assert url.startswith("http://127.0.0.1:"), url
        for pc in (office, w, x):
            cli(pc, "sync", "config", "--hub", url)
        cli(office, "sync", "now")
        yield office, w, x
    finally:
        hub.terminate()
        hub.wait(timeout=30)


def test_sync_status_conflict_and_resolution(harness, tmp_path):
    with unit_with_two_pcs(tmp_path) as (office, w, x):
        body = tmp_path / "body.txt"
        body.write_text("一、总则\n二、原有条款\n", encoding="utf-8")
        doc = cli(w, "doc", "new", "--title", TITLE, "--body-file", str(body))["summary"]["doc_id"]
        for pc in (w, x, w, x):
            cli(pc, "sync", "now")
        assert cli(x, "doc", "show", doc)["fields"]["body"] == ["一、总则", "二、原有条款"]
        for pc, name in ((w, "王晓明"), (x, "李娜")):
            edit = tmp_path / f"{name}.txt"
            edit.write_text(f"一、总则\n二、原有条款\n三、{name}补充的条款\n", encoding="utf-8")
            cli(pc, "doc", "edit", doc, "--body-file", str(edit))
        cli(x, "sync", "now")
        cli(w, "sync", "now")
        assert cli(w, "sync", "status")["conflicts"] == 1

        s = harness.launch(w)
        try:
            bar = s.wait("[data-testid=sync-open]", text="冲突 1", timeout=60)
            s.screenshot("60-sync-bar.png")
            bar.click()
            s.wait("[data-testid=conflict]", timeout=15)
            s.wait("[data-testid=conflict-leaf-0]", text="王晓明补充")
            s.wait("[data-testid=conflict-leaf-1]", text="李娜补充")
            s.screenshot("61-sync-conflict.png")
            s.wait("[data-testid=conflict-keep-1]").click()
            wait_until(lambda: not s.find_all("[data-testid=conflict]"), 15, "conflict resolved")
            s.wait("[data-testid=sync-conflicts]", text="0")
            s.wait("[data-testid=sync-now]").click()
            s.wait("[data-testid=sync-password]").send_keys(PW + ENTER)
            s.wait(".el-message--success", text="同步完成", timeout=60)
            s.wait("[data-testid=sync-pending]", text="0")
            s.screenshot("62-sync-done.png")

            # Both PCs set the disclosure attribute offline, differently: the record is 冲突 too.
            cli(x, "sync", "now")
            cli(w, "doc", "attribute", doc, "--set", "active", "--channel", "website",
                "--catalog", "C06")
            cli(x, "doc", "attribute", doc, "--set", "on_request",
                "--reason", "只涉及少数特定对象，依申请公开")
            cli(x, "sync", "now")
            cli(w, "sync", "now")
            assert cli(w, "sync", "status")["conflicts"] == 1
            # Opened again, the dialog reads the records anew.
            s.wait("[data-testid=sync-close]").click()
            s.wait("[data-testid=sync-open]").click()
            record = s.wait("[data-testid=conflict-record-disclosure]", timeout=30)
            assert "主动公开" in record.text and "依申请公开" in record.text, record.text
            s.wait("[data-testid=conflict-record-disclosure-0]").click()
            s.wait("[data-testid=conflict-reason]").send_keys("面向全社会，应主动公开")
            s.screenshot("64-sync-record-conflict.png")
            s.wait("[data-testid=conflict-records-save]").click()
            wait_until(lambda: not s.find_all("[data-testid=conflict]"), 15, "record conflict resolved")
            s.wait("[data-testid=sync-conflicts]", text="0")
            s.wait("[data-testid=sync-now]").click()
            s.wait("[data-testid=sync-password]").send_keys(PW + ENTER)
            s.wait(".el-message--success", text="同步完成", timeout=60)

            # The other PC edits again; with 自动同步 on, this PC pulls it without a click.
            cli(x, "sync", "now")
            more = tmp_path / "more.txt"
            more.write_text("一、总则\n二、原有条款\n三、李娜补充的条款\n四、再次补充\n", encoding="utf-8")
            cli(x, "doc", "edit", doc, "--body-file", str(more))
            cli(x, "sync", "now")
            s.wait("[data-testid=sync-background-start]").click()
            s.wait("[data-testid=sync-password]").send_keys(PW + ENTER)
            s.wait("[data-testid=sync-background]", text="已开启", timeout=30)
            wait_until(lambda: cli(w, "doc", "show", doc)["fields"]["body"][-1] == "四、再次补充",
                       60, "the background sync pulled the other PC's edit")
            # The open dialog follows the run: the next run is minutes away.
            s.wait("[data-testid=sync-background]", text="已开启", timeout=15)
            s.screenshot("63-sync-background.png")
        finally:
            s.quit()

        cli(x, "sync", "now")
        assert cli(x, "sync", "conflicts") == {"documents": [], "records": []}
        attr = cli(x, "doc", "attribute", doc)
        assert attr["disclosure"]["attribute"] == "active", attr
        log = cli(x, "doc", "status", doc)["log"]
        assert not log or all("处理流程冲突" not in e["reason"] for e in log), log
        assert cli(x, "doc", "show", doc)["fields"]["body"][2] == "三、李娜补充的条款"
        status = cli(w, "sync", "status")
        assert status["pending"] == 0 and status["conflicts"] == 0 and status["last_sync"], status


def test_register_conflict_and_serial_in_the_window(harness, tmp_path):
    """The unit's 依申请公开 register over the hub: an application registered on the other PC
    appears here; both PCs reply to it offline, differently, and the 同步 dialog lists the record
    with both replies; the clerk keeps the other PC's with a reason. Two applications then
    registered offline under one 流水号 are both listed; the clerk renumbers one, and after a
    sync the other PC has the new number and no conflict."""

    def sync_in_window(s):
        # The last run's message is gone before this run starts, so the wait sees this one.
        wait_until(lambda: not [m for m in s.find_all(".el-message--success") if "同步完成" in m.text],
                   15, "the previous sync message closed")
        s.wait("[data-testid=sync-now]").click()
        s.wait("[data-testid=sync-password]").send_keys(PW + ENTER)
        s.wait(".el-message--success", text="同步完成", timeout=60)
        s.wait("[data-testid=sync-pending]", text="0")

    def apply(pc, name, content):
        return cli(pc, "request", "new", "--received", "2026-12-01", "--channel", "信函",
                   "--applicant-type", "自然人", "--applicant", name, "--content", content)

    with unit_with_two_pcs(tmp_path) as (office, w, x):
        for pc in (w, x, w, x):
            cli(pc, "sync", "now")
        first = apply(x, "张建国", "申请公开户籍窗口投诉处理情况")
        cli(x, "sync", "now")
        cli(w, "sync", "now")
        here = cli(w, "request", "show", first["request_id"])
        assert here["serial"] == first["serial"] and "建国" not in here["applicant"], here
        cli(w, "request", "reply", first["request_id"], "--outcome", "1", "--date", "2026-12-03")
        cli(x, "request", "reply", first["request_id"], "--outcome", "5-1", "--date", "2026-12-03")
        cli(x, "sync", "now")
        cli(w, "sync", "now")
        assert cli(w, "sync", "status")["conflicts"] == 1
        records = cli(w, "sync", "conflicts")["records"]
        assert [r["kind"] for r in records] == ["sides"], records

        s = harness.launch(w)
        try:
            s.wait("[data-testid=sync-open]", text="冲突 1", timeout=60).click()
            card = s.wait(f"[data-testid='unit-conflict-request:{first['request_id']}']", timeout=30)
            assert first["serial"] in card.text and "李娜" in card.text, card.text
            s.wait("[data-testid=unit-conflict-side-1]").click()
            s.wait("[data-testid=unit-conflict-reason]").send_keys("以已寄出的答复书为准")
            s.screenshot("65-sync-register-conflict.png")
            s.wait("[data-testid=unit-conflict-keep]").click()
            wait_until(lambda: not s.find_all("[data-testid^=unit-conflict-request]"), 15,
                       "register conflict resolved")
            s.wait("[data-testid=sync-conflicts]", text="0")
            sync_in_window(s)

            # Two applications registered offline under one serial.
            a = apply(w, "钱多多", "申请公开交通违法处理流程")
            b = apply(x, "孙小美", "申请公开出入境办证指南")
            assert a["serial"] == b["serial"], (a, b)
            cli(x, "sync", "now")
            sync_in_window(s)
            card = s.wait(f"[data-testid='unit-conflict-{a['serial']}']", timeout=30)
            assert "孙某" in card.text or "孙" in card.text, card.text
            s.screenshot("66-sync-serial-conflict.png")
            s.wait("[data-testid=unit-conflict-renumber-1]").click()
            wait_until(lambda: not s.find_all(f"[data-testid='unit-conflict-{a['serial']}']"), 15,
                       "serial conflict resolved")
            sync_in_window(s)
        finally:
            s.quit()

        cli(x, "sync", "now")
        assert cli(x, "sync", "conflicts") == {"documents": [], "records": []}
        assert cli(x, "request", "show", first["request_id"])["reply"]["outcome"]["id"] == "5-1"
        serials = {cli(pc, "request", "show", r["request_id"])["serial"]
                   for pc in (w, x) for r in (a, b)}
        assert len(serials) == 2, serials
