"""征求意见 in the real window: a document whose window closed (set up with the command line, as
the portal's comments would be imported), its 征求意见 tab shows the steps and what holds it
back from sign-off; the clerk writes the feedback from the draft, the app masks the phone number
in it, the clerk confirms, and the gate opens. Read back from the SQLite file with the CLI."""
import datetime
import time

from test_exchange import cli, today as beijing_today

TITLE = "停车管理办法（征求意见稿）"


def day(offset):
    d = datetime.date.fromisoformat(beijing_today()) + datetime.timedelta(days=offset)
    return d.isoformat()


def test_feedback_written_and_confirmed_in_the_window(harness, tmp_path):
    data = tmp_path / "data"
    cli(data, "setup", "--unit", "zazd", "--name", "王晓明")
    doc = cli(data, "doc", "new", "--title", TITLE)["summary"]["doc_id"]
    cli(data, "consult", "open", doc, "--from", day(-40), "--to", day(-10))
    comments = tmp_path / "意见.csv"
    comments.write_text(
        f"收到日期,条款,意见内容,意见人\n{day(-35)},第五条,收费标准过高,李四\n"
        f"{day(-30)},第三条,建议夜间停车时段延长,张伟\n",
        encoding="utf-8")
    v = cli(data, "consult", "comment", doc, "--file", str(comments))
    for c in v["comments"]:
        if c["topic"] == "第五条":
            cli(data, "consult", "decide", doc, c["comment_id"], "--adoption", "not_adopted",
                "--reason", "收费标准由价格主管部门核定")
        else:
            cli(data, "consult", "decide", doc, c["comment_id"], "--adoption", "adopted")

    s = harness.launch(data)
    try:
        s.wait("[data-testid=doc-row]", text=TITLE, timeout=60).click()
        s.wait("[data-testid=tab-consult]").click()
        block = s.wait("[data-testid=consult-blocking]", text="意见反馈", timeout=20)
        assert "去标识化" in block.text, block.text
        count = s.wait("[data-testid=consult-count]").text
        assert "收到意见 2 条，待研究 0 条" in count, count
        s.wait("[data-testid=consult-use-draft]").click()
        area = s.wait("textarea[data-testid=consult-feedback-text]")
        draft = area.prop("value")
        assert "共收到意见建议2条，其中采纳1条" in draft, draft
        assert "收费标准由价格主管部门核定" in draft, draft
        area.click()
        area.send_keys("\ue010" + "来信人（电话13812345678）的意见已电话答复。")
        s.wait("[data-testid=consult-feedback-save]").click()
        s.wait("[data-testid=consult-findings]", text="13812345678", timeout=20)
        preview = s.wait("[data-testid=consult-redacted]").text
        assert "13812345678" not in preview and "138****5678" in preview, preview
        s.wait("[data-testid=consult-feedback-confirm]").click()
        s.wait("[data-testid=consult-confirmed]", text="王晓明", timeout=20)
        time.sleep(0.4)
        s.screenshot("85-consultation.png")
        assert not s.find_all("[data-testid=consult-blocking]")
    finally:
        s.quit()

    v = cli(data, "consult", "show", doc)
    assert v["feedback"]["confirmed_by"] == "王晓明", v["feedback"]
    assert "138****5678" in v["feedback"]["redacted"], v["feedback"]["redacted"]
    assert v["blocking"] == "", v["blocking"]
