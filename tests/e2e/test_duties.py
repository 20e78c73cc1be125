"""The duty board in the real window: the first screen names what is overdue or due, the board
opens from it with the core's statuses, and a duty recorded there is in the SQLite file (read
back with the CLI)."""
from test_exchange import ENTER, cli, today as beijing_today


def test_board_opens_from_the_first_screen_and_records_a_duty(harness, tmp_path):
    data = tmp_path / "data"
    s = harness.launch(data)
    today = beijing_today()
    try:
        s.first_run()
        # 治安支队 answers for catalogue items nothing has been published in yet: due.
        line = s.wait("[data-testid=duties-summary-line]", text="待完成", timeout=20)
        assert "职责" in line.text, line.text
        s.wait("[data-testid=duties-button]").click()
        s.wait("[data-testid=duties-table] [data-testid=duty-status]", timeout=20)
        s.wait("[data-testid=duties-summary]", text="截至 " + today)
        s.screenshot("80-duties-board.png")
        s.wait("[data-testid=duty-record]").click()
        date = s.wait(".el-dialog input[placeholder='YYYY-MM-DD']")
        date.click()
        date.send_keys(today + ENTER)
        s.wait("textarea[data-testid=duty-record-note], [data-testid=duty-record-note] textarea").send_keys(
            "本季度进展已在市政府网站公开")
        s.wait("[data-testid=duty-record-save]").click()
        s.wait("[data-testid=duties-table]", text="本季度进展已在市政府网站公开", timeout=20)
        s.screenshot("81-duties-recorded.png")
    finally:
        s.quit()

    rows = cli(data, "duties")
    done = [r for r in rows if any("本季度进展已在市政府网站公开" in f for f in r["fulfilled_by"])]
    assert done and done[0]["status"] == "done" and done[0]["duty_id"] == "T01", done
