"""The duty board in the real window: the first screen names what is overdue or due, the board
opens from it with the core's statuses, and a duty recorded there is in the SQLite file (read
back with the CLI)."""
import time

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
        # The drawer's content fades in after its rows are there: let it settle for the picture.
        time.sleep(0.6)
        s.screenshot("80-duties-board.png")
        s.wait("[data-testid=duty-record]").click()
        note = "本季度进展已在市政府网站公开"
        date_css = ".el-dialog input[placeholder='YYYY-MM-DD']"
        note_css = "textarea[data-testid=duty-record-note], [data-testid=duty-record-note] textarea"
        value = lambda css: s.js("const e = document.querySelector(arguments[0]); return e ? e.value : null", css)
        # Type until the fields hold what was typed (a keystroke can be dropped while the date
        # picker's panel opens on a busy machine).
        for _ in range(3):
            date = s.wait(date_css)
            date.click()
            date.retype(today + ENTER)
            s.wait(note_css).click()
            if value(date_css) == today:
                break
        assert value(date_css) == today, value(date_css)
        for _ in range(3):
            s.wait(note_css).retype(note)
            if value(note_css) == note:
                break
        assert value(note_css) == note, value(note_css)
        s.wait("[data-testid=duty-record-save]").click()
        try:
            s.wait("[data-testid=duties-table]", text=note, timeout=30)
        except TimeoutError:
            s.screenshot("81-duties-record-failed.png")
            errors = s.js("return [...document.querySelectorAll('.el-message')].map((m) => m.innerText)")
            raise AssertionError(f"the record did not show; messages: {errors}")
        s.screenshot("81-duties-recorded.png")
    finally:
        s.quit()

    rows = cli(data, "duties")
    done = [r for r in rows if any("本季度进展已在市政府网站公开" in f for f in r["fulfilled_by"])]
    assert done and done[0]["status"] == "done" and done[0]["duty_id"] == "T01", done
