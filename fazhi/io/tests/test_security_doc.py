"""docs/security.md maps each 等保2.0 control to the test that shows it: every test file and test name it cites
must exist, so the page cannot go on claiming what no test checks any more."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "security.md"
CONTROLS = ("身份鉴别", "访问控制", "安全审计", "入侵防范", "数据完整性", "数据保密性", "数据备份恢复", "剩余信息保护",
            "个人信息保护")
CITATION = re.compile(r"`((?:[\w./-]+/)?test_\w+\.py)?(::\w+)?`")
TEST_FILES = list((ROOT / "fazhi").rglob("test_*.py")) + list((ROOT / "deploy").rglob("test_*.py"))


def _resolve(name: str) -> Path | None:
    if "/" in name:
        path = ROOT / name
        return path if path.is_file() else None
    found = [p for p in TEST_FILES if p.name == name]
    return found[0] if len(found) == 1 else None


def citations(doc: Path = DOC) -> list[tuple[int, str, str | None]]:
    """(line, file, test name or None) for each citation; a bare ``::name`` belongs to the file before it."""
    out = []
    for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
        current = None
        for match in CITATION.finditer(line):
            file, test = match.group(1), match.group(2)
            if file:
                current = file
            out.append((number, current or "", test[2:] if test else None))
    return out


def problems(doc: Path = DOC) -> list[str]:
    found = []
    for line, file, test in citations(doc):
        path = _resolve(file) if file else None
        if path is None:
            found.append(f"line {line}: {file or '(no file)'} not found (or not unique)")
        elif test and not re.search(rf"^\s*def {re.escape(test)}\(", path.read_text(encoding="utf-8"), re.M):
            found.append(f"line {line}: {file}::{test} not found")
    return found


def test_every_control_has_a_section():
    headings = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    for control in CONTROLS:
        assert any(control in heading for heading in headings), control


def test_the_page_cites_many_tests():
    assert len({(file, test) for _, file, test in citations()}) >= 40


def test_every_cited_test_file_and_test_exists():
    assert problems() == []


def test_a_wrong_citation_would_be_caught(tmp_path):
    page = tmp_path / "security.md"
    page.write_text("| a | b | `fazhi/io/tests/test_security_doc.py::test_every_cited_test_file_and_test_exists`, "
                    "`::test_renamed_long_ago` |\n| c | d | `fazhi/io/tests/test_gone.py` |\n| e | f | `test_views.py` |\n",
                    encoding="utf-8")
    assert problems(page) == [
        "line 1: fazhi/io/tests/test_security_doc.py::test_renamed_long_ago not found",
        "line 2: fazhi/io/tests/test_gone.py not found (or not unique)",
        "line 3: test_views.py not found (or not unique)",  # several apps have one: the path must be given
    ]
