"""The GB/T 9704 format, the 版记 and tables in the real window, as a clerk uses them: choose 信函格式,
fill the 印发机关, insert a table and type into its cells, see a template placeholder named as
an error; the window says 已保存 and the SQLite file holds exactly that."""
import json
import sqlite3
import time

TITLE = "关于商请提供有关材料的函"


def head_fields(data_dir):
    con = sqlite3.connect(data_dir / "gongkai.db")
    try:
        (content,) = con.execute(
            "SELECT r.content FROM documents d JOIN revisions r ON r.rev_id = d.head_rev_id"
        ).fetchone()
    finally:
        con.close()
    return json.loads(content)


def pick(s, select_css, item_text):
    """Opens an Element Plus select and clicks the item; retries while the dropdown slides in."""
    for _ in range(5):
        s.wait(f"{select_css} .el-select__wrapper").click()
        s.wait(".el-select-dropdown__item", text=item_text).click()
        time.sleep(0.3)
        if item_text in s.wait(select_css).text:
            return
    raise AssertionError(f"could not pick {item_text!r} in {select_css}")


def test_letter_with_a_table_and_a_placeholder(harness, tmp_path):
    data = tmp_path / "data"
    s = harness.launch(data)
    try:
        s.first_run()
        s.wait("[data-testid=new-doc]").click()
        s.wait("[data-testid=field-title] input").send_keys(TITLE)
        pick(s, "[data-testid=field-format]", "信函格式")
        s.wait("[data-testid=field-printing-office]").send_keys("淄博市公安局办公室")
        s.wait("[data-testid=field-body] textarea").send_keys("请于4月10日前提供下列材料。")

        # A table: inserted after the body, its cells typed into.
        s.wait("[data-testid=add-table]").click()
        s.wait("[data-testid=cell-0-0-0] textarea").send_keys("材料")
        s.wait("[data-testid=cell-0-0-1] textarea").send_keys("份数")
        s.wait("[data-testid=cell-0-1-0] textarea").send_keys("登记表")

        # A template placeholder left in the number is an error the clerk sees.
        s.wait("[data-testid=field-doc-number] input").send_keys("XX函〔2026〕3号")
        s.wait("[data-testid=doc-number-issue]", text="模板占位内容", timeout=15)
        s.wait("[data-testid=save-indicator]", text="已保存", timeout=15)
        s.screenshot("formats-letter-table.png")
    finally:
        s.quit()

    f = head_fields(data)
    assert f["title"] == TITLE
    assert f["format"] == "letter"
    assert f["printing_office"] == "淄博市公安局办公室"
    assert f["doc_number"] == "XX函〔2026〕3号"
    assert len(f["tables"]) == 1
    t = f["tables"][0]
    assert t["at"] == 1, t
    assert [c["text"] for c in t["rows"][0]] == ["材料", "份数", ""]
    assert t["rows"][1][0]["text"] == "登记表"
