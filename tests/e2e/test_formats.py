"""The GB/T 9704 format, the 版记 and tables in the real window, as a clerk uses them: choose 信函格式,
fill the 印发机关, insert a table and type into its cells, see a template placeholder named as
an error; the window says 已保存 and the SQLite file holds exactly that."""
import json
import sqlite3

from webdriver import pick, wait_until

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


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _p(text, jc=None):
    ppr = f'<w:pPr><w:jc w:val="{jc}"/></w:pPr>' if jc else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _box(*paras):
    """A DrawingML text box with its VML fallback, as Word and WPS templates write the 红头."""
    inner = "".join(_p(t) for t in paras)
    return (
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
        f"<a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>"
        f"<v:textbox><w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )


def template_docx(path):
    """A red-head template of another office, filled in: 标志 and 版记 in text boxes, a table."""
    import zipfile

    rows = [["单位", "人数"], ["治安支队", "12"]]
    table = "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"3000\"/><w:gridCol w:w=\"2000\"/></w:tblGrid>" + "".join(
        "<w:tr>" + "".join(f"<w:tc>{_p(c)}</w:tc>" for c in r) + "</w:tr>" for r in rows
    ) + "</w:tbl>"
    body = "".join(
        [
            _box("某某县公安局文件"),
            _p("某公发〔2026〕9号", "center"),
            _p("关于开展夏季治安巡查的通知", "center"),
            _p("各派出所："),
            _p("现将有关事项通知如下。"),
            table,
            _p("某某县公安局", "right"),
            _p("2026年6月1日", "right"),
            _box("某某县公安局办公室　　　　2026年6月2日印发"),
        ]
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", document)


def test_a_red_head_template_imports_as_its_own_office(harness, tmp_path):
    """导入 Word: the issuer comes from the template's text box, not from the clerk's unit; the
    版记 and the table come in as fields and a table; the clerk is told what was read."""
    data = tmp_path / "data"
    src = tmp_path / "模板.docx"
    template_docx(src)
    s = harness.launch(data)
    try:
        s.first_run()
        s.js("window.__GONGKAI_E2E_PICK__ = [arguments[0]]", str(src))
        s.wait("[data-testid=import-docx]").click()
        box = s.wait(".el-message-box", text="已导入，请核对", timeout=30)
        assert "已读取 2 个文本框" in box.text, box.text
        assert "1 个表格" in box.text, box.text
        s.screenshot("formats-import-notices.png")
        s.wait(".el-message-box .el-button--primary").click()
        issuer = s.wait("[data-testid=field-issuer]", timeout=30)
        wait_until(lambda: issuer.prop("value") == "某某县公安局", 15, "issuer from the text box")
        assert s.wait("[data-testid=field-printing-office]").prop("value") == "某某县公安局办公室"
        assert s.wait("[data-testid=cell-0-1-0] textarea").prop("value") == "治安支队"
        s.screenshot("formats-import-editor.png")
    finally:
        s.quit()

    f = head_fields(data)
    assert f["issuing_authority"] == "某某县公安局"  # not the clerk's 治安支队
    assert f["doc_number"] == "某公发〔2026〕9号"
    assert f["printed_on"] == "2026-06-02"
    assert f["body"] == ["现将有关事项通知如下。"]
    assert f["tables"][0]["rows"][1][1]["text"] == "12"
