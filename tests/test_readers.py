"""Readers of every format: the same plan read from TXT, PDF, DOCX and HTML gives the same projects.

``tests/data/plan.pdf`` was printed by headless Chromium from an HTML page: a title page,
then the two plan sentences of :data:`PLAN` on page 2, the first long enough to wrap.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from geo._errors import DocumentError
from geo.atlas import extract
from geo.cli import main
from geo.readers import document_from_bytes, format_of_bytes, read_document

DATA = Path(__file__).resolve().parent / "data"
PDF = DATA / "plan.pdf"
TITLE = "襄阳市综合交通运输发展规划"
PLAN = [
    "加快建设襄阳至南漳、老河口至南漳等高速公路，完善襄阳都市圈综合交通网络，"
    "形成内畅外联、便捷高效的现代化综合立体交通体系。",
    "推动鄂州花湖机场与武汉天河机场联动发展。",
]
PROJECTS = {
    ("expressway", "420600;420624"),
    ("expressway", "420682;420624"),
    ("metro_circle", "420600"),
    ("airport", "420700;420704"),
    ("airport", "420100;420116"),
}
HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{TITLE}</title>
<script>window.alert("不该出现的脚本文字");</script><style>.nav{{color:red}}</style></head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a> |
<a href="/gk">政务公开</a></div>
<article><h1>{TITLE}</h1><p>{PLAN[0]}</p><p>{PLAN[1]}</p></article>
<footer>版权所有：某某市人民政府办公室 ICP备案号 00000000号 网站地图 联系我们</footer>
<script>document.write("<p>脚本写入的文字</p>")</script>
</body></html>"""


def write_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph(PLAN[0])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "内容"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "总体要求"
    document.add_paragraph(PLAN[1])
    document.save(path)
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    txt = folder / "plan.txt"
    txt.write_bytes(("\n".join([TITLE, *PLAN]) + "\n").encode("gb18030"))
    html = folder / "plan.html"
    html.write_text(HTML, encoding="utf-8")
    return {"txt": txt, "pdf": PDF, "docx": write_docx(folder / "plan.docx"), "html": html}


@pytest.mark.parametrize("fmt", ["txt", "pdf", "docx", "html"])
def test_every_format_gives_the_same_projects(sources, fmt):
    frame = extract([sources[fmt]])
    assert set(zip(frame["kind"], frame["places"], strict=True)) == PROJECTS
    doc = read_document(sources[fmt])
    assert doc.format == fmt
    for name, start, end in zip(frame["name"], frame["start"], frame["end"], strict=True):
        assert doc.text[start:end] in name  # spans index the text read
    pages = set(frame["page"].dropna())
    assert pages == ({2} if fmt == "pdf" else set())


def test_pdf_text_keeps_pages_and_joins_wrapped_lines():
    doc = read_document(PDF)
    assert doc.pages == (0, doc.text.index(PLAN[0]))
    assert [doc.sentence_text(s) for s in doc.sentences] == [TITLE, "第一章 总则", *PLAN]
    assert doc.page_at(doc.text.index("花湖")) == 2
    assert doc.page_at(0) == 1


def test_docx_reads_paragraphs_and_tables_in_order(sources):
    text = read_document(sources["docx"]).text
    assert text.splitlines() == [TITLE, PLAN[0], "序号\t内容", "1\t总体要求", PLAN[1]]


def test_html_keeps_the_main_text_without_navigation_or_scripts(sources):
    text = read_document(sources["html"]).text
    assert PLAN[0] in text and PLAN[1] in text
    for clutter in ("新闻中心", "ICP备案号", "alert", "不该出现", "脚本写入", "<p>", "color:red"):
        assert clutter not in text


def test_mentions_of_a_pdf_carry_their_page(capsys):
    assert main(["mentions", str(PDF)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["text"]: r["page"] for r in rows} == {
        "襄阳市": 1, "襄阳": 2, "南漳": 2, "老河口": 2, "鄂州": 2, "武汉": 2,
    }


# --------------------------------------------------------------------------- bad input


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cut.pdf", PDF.read_bytes()[: len(PDF.read_bytes()) // 3], "broken or truncated"),
        ("locked.pdf", encrypted_pdf(), "is encrypted"),
        ("scan.pdf", blank_pdf(), "no text layer: run OCR first"),
        ("fake.pdf", "襄阳至南漳高速".encode(), "is not a PDF"),
        ("fake.docx", "襄阳至南漳高速".encode(), "is not a Word document .*not a ZIP archive"),
        ("other.docx", zip_of({"a.txt": b"x"}), "not a Word document: it has no word/document"),
        (
            "bomb.docx",
            zip_of({"word/document.xml": b"\0" * (120 * 2**20)}),
            "refused as a zip bomb",
        ),
        ("menu.html", b"<html><body><nav><a href='/'>home</a></nav></body></html>", "no main text"),
    ],
    ids=["truncated", "encrypted", "no-text", "not-pdf", "not-zip", "no-document", "bomb", "nav"],
)
def test_bad_documents_are_one_clear_error(name, data, message):
    with pytest.raises(DocumentError, match=rf"'{name}' .*{message}"):
        document_from_bytes(data, name=name)


def test_a_broken_pdf_is_one_line_on_stderr(tmp_path, capsys):
    path = tmp_path / "cut.pdf"
    path.write_bytes(PDF.read_bytes()[:5000])
    assert main(["extract", str(path), "-o", str(tmp_path / "out.geojson")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planatlas: error: ") and "cut.pdf" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("data", "name", "fmt"),
    [
        (b"%PDF-1.4", "x.txt", "pdf"),
        (b"PK\x03\x04", "x", "docx"),
        (b"  <!DOCTYPE html><html>", "page", "html"),
        ("<p>襄阳</p>".encode(), "page.htm", "html"),
        ("襄阳".encode(), "plan.txt", "txt"),
    ],
)
def test_the_format_is_told_by_the_bytes_then_the_suffix(data, name, fmt):
    assert format_of_bytes(data, name=name) == fmt
