"""De-identification review in the real window: the scan highlights personal information in the
document, the clerk accepts it kind by kind and by keyboard, marks a missed span, and generates the
publishable text. The original stays in the local database only."""
import sqlite3
import time

ENTER = "\ue007"
BODY = [
    "违法行为人：张伟，男，身份证号11010519491231002X，手机13812345678。",
    "局长王建军签发。咨询电话：0533-2134139。",
    "陪同人员为丫丫。",
]


def key(s, value):
    s.cmd("POST", "/actions", {"actions": [{"type": "key", "id": "kb", "actions": [
        {"type": "keyDown", "value": value}, {"type": "keyUp", "value": value}]}]})


def test_review_accept_mark_and_apply(harness, tmp_path):
    data = tmp_path / "data"
    s = harness.launch(data)
    try:
        s.first_run()
        s.wait("[data-testid=new-doc]").click()
        s.wait("[data-testid=field-title] input").send_keys("关于张伟违反治安管理行为的处罚决定")
        s.wait("[data-testid=field-body] textarea").send_keys(ENTER.join(BODY))
        s.wait("[data-testid=save-indicator]", text="已保存", timeout=15)

        s.wait("[data-testid=deid-button]").click()
        pending = s.wait("[data-testid=deid-pending]", timeout=60)
        spans = s.find_all("[data-testid=deid-span]")
        texts = [sp.text for sp in spans]
        assert any("11010519491231002X" in t for t in texts), texts
        assert any("张伟" in t for t in texts), texts
        assert not any("王建军" in t or "2134139" in t for t in texts), texts
        # What stays visible is listed with its reason.
        kept = s.wait("[data-testid=deid-kept]")
        s.js("document.querySelector('[data-testid=deid-kept]').scrollIntoView()")
        assert "王建军" in kept.text and "公职人员" in kept.text, kept.text
        assert "0533-2134139" in kept.text, kept.text
        s.screenshot("10-deid-review.png")
        apply_btn = s.wait("[data-testid=deid-apply]")
        assert apply_btn.prop("disabled"), "cannot generate while findings are pending"

        # Keyboard: select the first finding and accept it.
        s.js("document.activeElement && document.activeElement.blur()")
        key(s, "j")
        key(s, "a")
        end = time.time() + 10
        while time.time() < end and not s.find_all("[data-testid=deid-item][data-decision=accepted]"):
            time.sleep(0.2)
        assert s.find_all("[data-testid=deid-item][data-decision=accepted]")

        # Accept the rest kind by kind.
        for btn in s.find_all("[data-testid=deid-accept-kind]"):
            btn.click()
            time.sleep(0.5)
        end = time.time() + 15
        while time.time() < end and s.wait("[data-testid=deid-pending]").text.strip() != "0":
            time.sleep(0.2)
        assert s.wait("[data-testid=deid-pending]").text.strip() == "0"

        # Mark the missed nickname by selecting it in the text.
        s.js("""
            const root = document.querySelector('[data-testid=deid-text]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
              const i = node.textContent.indexOf('丫丫');
              if (i >= 0) {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + 2);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
                root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                document.dispatchEvent(new Event('selectionchange'));
                return true;
              }
            }
            return false;
        """)
        s.wait("[data-testid=deid-mark-kind]").click()
        s.wait(".el-select-dropdown__item", text="自然人姓名").click()
        s.wait("[data-testid=deid-mark-submit]").click()
        s.wait("[data-testid=deid-span]", text="丫丫", timeout=15)

        s.wait("[data-testid=deid-apply]").click()
        result = s.wait("[data-testid=deid-result]", text="张某", timeout=20)
        text = result.text
        assert "138****5678" in text and "110105************" in text, text
        assert "13812345678" not in text and "张伟" not in text and "丫丫" not in text, text
        assert "王建军" in text and "0533-2134139" in text, text
        s.screenshot("11-deid-result.png")
    finally:
        s.quit()

    con = sqlite3.connect(data / "gongkai.db")
    try:
        # The mapping is kept locally; the report holds no original value.
        n = con.execute("SELECT count(*) FROM deid_findings WHERE decision = 'accepted'").fetchone()[0]
        assert n >= 4
        counts, reviewer = con.execute("SELECT counts, reviewer FROM deid_reports").fetchone()
        assert reviewer == "王晓明"
        assert "张伟" not in counts and "138" not in counts
    finally:
        con.close()
