"""End to end in the real window: the built Tauri app under Xvfb, driven over WebDriver.

First-run setup, create a document, type title and body, wait for 已保存, quit, relaunch, find
the document with its text. Screenshots go to target/e2e/.
"""
import json
import sqlite3
import subprocess
import time

ENTER = "\ue007"
TITLE = "关于规范户籍窗口服务的通知"
BODY = ["一、总体要求", "（一）优化户籍窗口服务", "群众办事更加便利，材料一次告知。"]


def head_fields(data_dir):
    con = sqlite3.connect(data_dir / "gongkai.db")
    try:
        rows = con.execute(
            "SELECT r.content, d.rev_count FROM documents d JOIN revisions r ON r.rev_id = d.head_rev_id"
        ).fetchall()
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
    assert check == "ok"
    return [(json.loads(c), n) for c, n in rows]


def test_first_run_draft_autosave_quit_relaunch_find(harness, tmp_path):
    data = tmp_path / "data"
    s = harness.launch(data)
    try:
        s.first_run(screenshot="01-setup.png")

        s.wait("[data-testid=new-doc]").click()
        s.wait("[data-testid=field-title] input").send_keys(TITLE)
        s.wait("[data-testid=field-doc-number] input").send_keys("淄公治〔2026〕5号")
        s.wait("[data-testid=field-body] textarea").send_keys(ENTER.join(BODY))
        typed = time.time()
        s.wait("[data-testid=save-indicator]", text="已保存", timeout=15)
        latency = time.time() - typed
        print(f"autosave indicator showed 已保存 {latency:.2f}s after the last keystroke")
        assert latency < 4.0, latency
        outline = s.wait("[data-testid=outline]", text="优化户籍窗口服务")
        assert "总体要求" in outline.text
        shot = s.screenshot("02-editor.png")
        assert shot.stat().st_size > 10_000
    finally:
        s.quit()

    # What the window said is saved is on disk, in a healthy database.
    docs = head_fields(data)
    assert len(docs) == 1
    fields, rev_count = docs[0]
    assert fields["title"] == TITLE
    assert fields["body"] == BODY
    assert fields["doc_number"] == "淄公治〔2026〕5号"
    assert rev_count >= 2

    s = harness.launch(data)
    try:
        row = s.wait("[data-testid=doc-row]", text=TITLE, timeout=60)
        assert not s.find_all("[data-testid=setup-submit]"), "setup must not be asked again"
        s.screenshot("03-relaunch-list.png")
        s.wait("[data-testid=search-input] input").send_keys("户籍" + ENTER)
        hit = s.wait("[data-testid=search-result]", text=TITLE)
        assert "户籍" in hit.text
        s.screenshot("04-search.png")
        hit.click()
        body = s.wait("[data-testid=field-body] textarea")
        assert body.prop("value") == "\n".join(BODY)
        title = s.wait("[data-testid=field-title] input")
        assert title.prop("value") == TITLE

        # A malformed 发文字号 gets an inline Chinese message; the draft is still saved as typed.
        num = s.wait("[data-testid=field-doc-number] input")
        num.retype("淄公治[2026]05号")
        issue = s.wait("[data-testid=doc-number-issue]", text="六角括号", timeout=15)
        s.wait("[data-testid=save-indicator]", text="已保存", timeout=15)
        s.screenshot("05-doc-number-issue.png")
        assert issue.text
        del row

        # History: the first revision (empty, as created) is listed and can be restored.
        s.wait("[data-testid=history-button]").click()
        s.wait("[data-testid=revision-item]", text="第3版")
        s.wait("[data-testid=revision-item]", text="第1版").click()
        s.wait("[data-testid=restore-revision]").click()
        s.wait(".el-message-box__btns .el-button--primary", text="恢复").click()
        s.wait("[data-testid=save-indicator]", text="已保存", timeout=15)
        end = time.time() + 10
        while s.wait("[data-testid=field-title] input").prop("value") != "" and time.time() < end:
            time.sleep(0.2)
        assert s.wait("[data-testid=field-title] input").prop("value") == ""
        s.screenshot("06-history-restored.png")
        for btn in s.find_all(".el-drawer__close-btn"):
            try:
                btn.click(timeout=2)
            except Exception:
                pass

        # Typing and leaving at once must not lose the last keystrokes.
        s.wait("[data-testid=field-title] input").send_keys("关于恢复后重新起草的通知")
        s.wait("[data-testid=back-to-list]").click()
        s.wait("[data-testid=doc-row]", text="关于恢复后重新起草的通知", timeout=15)
    finally:
        s.quit()
    fields, _ = head_fields(data)[0]
    assert fields["title"] == "关于恢复后重新起草的通知"
    assert fields["body"] == [], "restored from the empty first revision"
    con = sqlite3.connect(data / "gongkai.db")
    restored = con.execute("SELECT count(*) FROM revisions WHERE restored_from IS NOT NULL").fetchone()[0]
    con.close()
    assert restored == 1


def test_a_damaged_database_is_shown_and_left_untouched(harness, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    junk = bytes((i * 7) % 251 for i in range(8192))
    (data / "gongkai.db").write_bytes(junk)
    s = harness.launch(data)
    try:
        page = s.wait("body", text="数据无法打开", timeout=60)
        assert "未对其做任何修改" in page.text
        assert str(data / "gongkai.db") in page.text
        assert not s.find_all("[data-testid=new-doc]")
        s.screenshot("07-damaged-database.png")
    finally:
        s.quit()
    assert (data / "gongkai.db").read_bytes() == junk


def web_process_env():
    """The environment of the newest WebKit web process (the window's page)."""
    out = subprocess.run(["pgrep", "-n", "WebKitWebProces"], capture_output=True, text=True).stdout.split()
    assert out, "no WebKit web process is running"
    raw = open(f"/proc/{out[0]}/environ", "rb").read().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def test_the_app_sets_up_webkit_light_and_keeps_what_it_was_given(harness, tmp_path):
    """The app asks WebKit for no optimising JIT (and no compositing) before its web process
    starts; a variable set by the user or IT (here the harness's WEBKIT_DISABLE_COMPOSITING_MODE=0)
    is left as given."""
    s = harness.launch(tmp_path / "data")
    try:
        s.wait("[data-testid=setup-unit]", timeout=60)
        env = web_process_env()
        assert env.get("JSC_useDFGJIT") == "0" and env.get("JSC_useFTLJIT") == "0", env
        assert env.get("WEBKIT_DISABLE_COMPOSITING_MODE") == "0"
    finally:
        s.quit()
