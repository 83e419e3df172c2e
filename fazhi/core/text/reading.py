"""Reading documents (读取文档): .txt in any common encoding, .html, .docx, .pdf with a text layer.

Rules (issue "Chinese document toolkit", DOMAIN.md §7):

* Size is checked before anything is decoded or unzipped (``max_bytes``, default 20 MiB).
* Encoding is detected once per document, never per line: TEXT-NOTES.md measured that
  charset-normalizer reads a single shifted GBK line as Thai, while the whole document is
  unambiguous. Order: BOM → strict UTF-8 → the better of strict GB18030 and Big5 (scored by the
  share of common Chinese characters) → charset-normalizer as a last resort.
* A .docx is a zip: its entry count, total uncompressed size and compression ratio are checked
  from the central directory before python-docx opens it (a zip bomb is refused unopened).
* Binary input (NUL bytes or many control bytes) is refused with a clear error.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    NoTextLayer,
    SuspiciousArchive,
    UnsupportedFormat,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: A .docx may expand to at most this many bytes (document.xml of a 300-page report is ~10 MB).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: Word XML compresses ~5-20×; zip bombs compress 1000× and more.
MAX_RATIO = 150
MAX_ZIP_ENTRIES = 2000
MAX_PDF_PAGES = 2000

# The 500 most frequent characters of modern Chinese (现代汉语常用字), used to decide between
# candidate decodings: the right one is made of common characters, a wrong one of rare ones.
COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
    "象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶"
    "油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议"
    "声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影"
    "算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何"
    "除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
    "圆包火住调满县局照参红细引听该铁价严龙飞"
    # the same list's traditional forms, so Big5/GBK-traditional text scores too
    "這個為們來時說產種動對會發與關過還開後體制點從當應麼現實兩頭際處隊給長門問題義經學國見專務網"
    "將軍區導強變傳統資質數據縣黨議權證條濟場標維設計參調規範審環節報職責"
)


@dataclass
class RawDocument:
    """Text as read from a file, before cleaning (原始文本)."""

    text: str
    encoding: str | None
    format: str  # "txt" | "html" | "docx" | "pdf"
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "encoding": self.encoding, "format": self.format, "metadata": self.metadata}


def read_document(
    source: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawDocument:
    """Read a file path or raw bytes into a :class:`RawDocument`.

    ``filename`` gives the extension when ``source`` is bytes. Raises a :class:`DocumentError`
    subclass for empty, binary, oversized, scanned-PDF or zip-bomb input.
    """
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        if len(data) > max_bytes:
            raise DocumentTooLarge(f"{len(data)} > {max_bytes} bytes")
    else:
        path = Path(source)
        filename = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DocumentError(str(exc), zh="无法打开文件", en="cannot open the file") from exc
        if size > max_bytes:
            raise DocumentTooLarge(f"{size} > {max_bytes} bytes")
        with path.open("rb") as fh:
            # read at most max_bytes + 1: a file growing under us cannot blow the limit
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise DocumentTooLarge(f"> {max_bytes} bytes")
    if not data.strip():
        raise EmptyDocument()
    kind = _detect_format(data, filename)
    if kind == "pdf":
        return _read_pdf(data)
    if kind == "docx":
        return _read_docx(data)
    text, encoding = decode_text(data)
    if kind == "html":
        return RawDocument(html_to_text(text), encoding, "html")
    if not text.strip():
        raise EmptyDocument()
    return RawDocument(text, encoding, "txt")


def _detect_format(data: bytes, filename: str | None) -> str:
    ext = (Path(filename).suffix.lower().lstrip(".") if filename else "")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or ext in {"docx", "docm"}:
        if ext in {"doc"}:
            raise UnsupportedFormat(".doc (Word 97)")
        return "docx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormat("OLE2 (.doc/.xls)")
    if ext == "pdf":
        return "pdf"
    if ext in {"html", "htm", "xhtml"}:
        return "html"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "txt"


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: any NUL, or >2% C0 control bytes in the first 8 KiB.

    Tab, LF, CR, FF and ESC are allowed; the UTF-16 case (NULs in every other byte) is handled
    by its BOM before this check.
    """
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 50)


def _common_score(text: str) -> float:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(c in COMMON_HANZI for c in han) / len(han)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a whole document, detecting its encoding once (see module docstring)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise UnsupportedFormat(f"invalid {enc}") from exc
    if looks_binary(data):
        raise UnsupportedFormat("binary content (NUL/control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_score(text), enc, text))
    if candidates:
        # GB18030 first on ties: mainland documents are the common case
        _score, enc, text = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))
        return text, enc
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnsupportedFormat("unknown text encoding")
    return str(best), best.encoding


class _TextExtractor(HTMLParser):
    """Collects visible text from HTML; block elements become line breaks, scripts are skipped."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head"})
    BLOCK = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
         "table", "ul", "ol", "header", "footer", "nav", "td", "th", "title", "dd", "dt", "blockquote"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block per line (page chrome is removed later by cleaning)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise EmptyDocument("HTML without visible text")
    return text


def check_zip(data: bytes, max_uncompressed: int = MAX_UNCOMPRESSED) -> zipfile.ZipFile:
    """Open a zip after checking its central directory: entries, total size, ratio (防解压炸弹)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFormat("not a valid .docx (bad zip)") from exc
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise SuspiciousArchive(f"{len(infos)} entries")
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_uncompressed:
            raise SuspiciousArchive(f"expands to more than {max_uncompressed} bytes")
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SuspiciousArchive(f"{info.filename}: ratio {info.file_size // max(info.compress_size, 1)}")
    return zf


def _read_docx(data: bytes) -> RawDocument:
    zf = check_zip(data)
    if "word/document.xml" not in zf.namelist():
        raise UnsupportedFormat("zip without word/document.xml")
    import docx  # python-docx; imported lazily, it is only needed for .docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on broken files
        raise UnsupportedFormat(f"broken .docx: {type(exc).__name__}") from exc
    lines: list[str] = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyDocument(".docx without text")
    props = document.core_properties
    metadata = {k: v for k, v in (("title", props.title), ("author", props.author)) if v}
    return RawDocument(text, "utf-8", "docx", metadata)


def _read_pdf(data: bytes) -> RawDocument:
    import pdfplumber  # imported lazily: slow to import and only needed for PDFs

    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise DocumentTooLarge(f"{len(pdf.pages)} pages")
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                page.close()  # frees the page's parsed objects: memory stays bounded
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises a zoo of exception types on broken files
        raise UnsupportedFormat(f"broken PDF: {type(exc).__name__}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise NoTextLayer(f"{len(pages)} page(s)")
    return RawDocument(text, None, "pdf", {"pages": len(pages)})
