"""Reading: encodings detected per document, bad inputs refused with clear errors."""

from __future__ import annotations

import io
import zipfile

import pytest

from fazhi.core.text.errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    NoTextLayer,
    SuspiciousArchive,
    UnsupportedFormat,
)
from fazhi.core.text.reading import read_document

from .conftest import SEED_FILES

SAMPLE = "河南省法治政府建设实施方案。行政复议申请34777件，办结30460件。"


def test_seeds_read_as_utf8(seed_id):
    doc = read_document(SEED_FILES[seed_id])
    assert doc.encoding == "utf-8" and doc.format == "txt"
    assert doc.text == SEED_FILES[seed_id].read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "big5", "utf-16", "utf-8-sig"])
def test_encodings_detected(encoding):
    text = SAMPLE if encoding != "big5" else "河南省法治政府建設實施方案。行政復議申請34777件，辦結30460件。"
    doc = read_document(text.encode(encoding), filename="a.txt")
    assert doc.text == text


def test_gbk_traditional_not_mistaken_for_big5():
    text = "發表時間：河南省法治政府建設實施方案，行政復議申請，辦結。" * 5
    assert read_document(text.encode("gb18030"), filename="a.txt").text == text


def test_html_visible_text_only():
    html = "<html><head><title>t</title><script>var x='不要';</script></head><body><p>第一段</p><div>第二段</div></body></html>"
    doc = read_document(html.encode("utf-8"), filename="page.html")
    assert doc.format == "html"
    assert doc.text.split("\n") == ["第一段", "第二段"]


def test_docx_paragraphs(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、总体要求")
    d.add_paragraph("（一）指导思想。")
    path = tmp_path / "a.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.format == "docx"
    assert "一、总体要求\n（一）指导思想。" in doc.text


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument) as exc:
        read_document(path)
    assert "文档为空" in str(exc.value) and "empty" in str(exc.value)
    with pytest.raises(EmptyDocument):
        read_document(b"  \n\t ", filename="x.txt")


def test_binary_file():
    with pytest.raises(UnsupportedFormat):
        read_document(bytes(range(256)) * 10, filename="x.txt")
    with pytest.raises(UnsupportedFormat):
        read_document(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100)


def test_oversized(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("法".encode() * 1000)
    with pytest.raises(DocumentTooLarge):
        read_document(path, max_bytes=1000)
    with pytest.raises(DocumentTooLarge):
        read_document(b"x" * 1001, max_bytes=1000)


def test_docx_zip_bomb():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        # 300 MB of zeros compresses to ~300 KB: refused from the central directory, never inflated
        zf.writestr("word/document.xml", b"\x00" * (300 * 1024 * 1024))
    with pytest.raises(SuspiciousArchive) as exc:
        read_document(buf.getvalue(), filename="bomb.docx")
    assert isinstance(exc.value, DocumentError)


def test_docx_high_ratio_entry():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"a" * (20 * 1024 * 1024))
    with pytest.raises(SuspiciousArchive):
        read_document(buf.getvalue(), filename="x.docx")


def test_broken_docx():
    with pytest.raises(UnsupportedFormat):
        read_document(b"PK\x03\x04 not really a zip", filename="x.docx")


def _pdf_without_text() -> bytes:
    """A valid one-page PDF with an empty content stream (what a scan without OCR looks like)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_without_text_layer():
    with pytest.raises(NoTextLayer) as exc:
        read_document(_pdf_without_text(), filename="scan.pdf")
    assert "OCR" in str(exc.value)


def test_broken_pdf():
    with pytest.raises(DocumentError):
        read_document(b"%PDF-1.4\ngarbage", filename="x.pdf")


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError):
        read_document(tmp_path / "nope.txt")
