"""依申请公开 in the real window: the clerk records an application received on 2026-09-18 (the
window shows the due date the core counted across 中秋 and 国庆: 2026-10-22), records the reply
from the report's rows, and opens the year's report, whose table 三 counts it where the format
puts it and keeps the check rule. The register in the SQLite file is read back with the CLI."""
from test_exchange import ENTER, cli
from webdriver import pick, wait_until


def test_register_reply_and_report(harness, tmp_path):
    data = tmp_path / "data"
    s = harness.launch(data)
    try:
        s.first_run()
        s.wait("[data-testid=requests-button]").click()
        s.wait("[data-testid=requests-drawer]")
        form_date = "[data-testid=request-form] input[placeholder='YYYY-MM-DD']"
        # A click while the drawer still slides in can be lost (seen once in CI): click again.
        for attempt in range(3):
            s.wait("[data-testid=request-add]").click()
            try:
                received = s.wait(form_date, timeout=10)
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        received.click()
        received.send_keys("2026-09-18" + ENTER)
        pick(s, "[data-testid=request-applicant-type]", "商业企业")
        s.wait("[data-testid=request-applicant] input, input[data-testid=request-applicant]").send_keys("某某科技有限公司")
        s.wait("textarea[data-testid=request-content], [data-testid=request-content] textarea").send_keys(
            "2025年辖区消防安全检查结果")
        s.wait("[data-testid=request-save]").click()
        s.wait("[data-testid=request-detail]", text="答复期限 2026-10-22", timeout=20)
        s.wait("[data-testid=request-list] [data-testid=request-due]", text="2026-10-22")
        s.screenshot("70-requests-register.png")

        pick(s, "[data-testid=request-outcome]", "（一）予以公开")
        reply = s.wait("[data-testid=request-detail] input[placeholder='答复日期']")
        reply.click()
        reply.send_keys("2026-10-20" + ENTER)
        s.wait("[data-testid=request-reply-save]").click()
        s.wait("[data-testid=request-reply]", text="（一）予以公开", timeout=20)

        s.wait(".el-tabs__item", text="年度报告").click()
        three = s.wait("[data-testid=report-three]", text="（一）予以公开", timeout=20)
        s.wait("[data-testid=report-check]", text="✓")
        # The row 一 counts it under 商业企业 and in the total.
        row = s.js("""
            const rows = [...document.querySelectorAll('[data-testid=report-three] tbody tr')];
            const r = rows.find((tr) => tr.cells[0].innerText.includes('一、本年新收'));
            return r ? [...r.cells].map((c) => c.innerText.trim()) : null""")
        assert row and row[1:] == ["0", "1", "0", "0", "0", "0", "1"], row
        assert three.text
        s.screenshot("71-requests-report.png")
    finally:
        s.quit()

    listed = cli(data, "request", "list")
    assert len(listed) == 1, listed
    assert listed[0]["reply"]["outcome"]["id"] == "1", listed
    assert listed[0]["applicant"].startswith("某"), "masked in the register"
    assert "科技" not in listed[0]["applicant"], listed[0]["applicant"]
