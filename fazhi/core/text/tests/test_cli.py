"""CLI in-process: the parser is built the way fazhi/cli.py builds it."""

from __future__ import annotations

import json

import pytest

from fazhi.core.text.cli import main

from .conftest import SEED_FILES


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_doc_clean(capsys):
    code, out, err = run(capsys, "doc", "clean", str(SEED_FILES["001"]))
    assert code == 0 and not err
    assert "（一）指导思想。" in out and "設(shè)" not in out


def test_doc_outline_json(capsys):
    code, out, _ = run(capsys, "doc", "outline", str(SEED_FILES["003"]), "--json")
    data = json.loads(out)
    assert code == 0 and len(data["outline"]) == 10
    tasks = [c for ch in data["outline"] for c in ch["children"] if c["style"] == "paren_cn"]
    assert len(tasks) == 44
    assert tasks[41]["deadlines"][0] == {
        "kind": "date", "phrase": "7月底前", "offset": tasks[41]["deadlines"][0]["offset"], "date": "2020-07-31",
        "rule": None, "days": None, "year_inferred": True,
    }


def test_doc_outline_documents(capsys):
    code, out, _ = run(capsys, "doc", "outline", str(SEED_FILES["001"]), "--json")
    data = json.loads(out)
    docs = data["documents"]
    assert code == 0 and [d["title"] for d in docs] == ["河南省法治政府建设实施方案", "法治河南（法治政府）建设考核方案"]
    assert docs[0]["roots"] == list(range(10)) and docs[1]["roots"] == list(range(10, 17))
    assert docs[0]["end"] == docs[1]["offset"]
    assert data["outline"][10]["title"] == "指导思想"  # "outline" itself is unchanged
    code, out, _ = run(capsys, "doc", "outline", str(SEED_FILES["001"]))
    assert out.startswith("【河南省法治政府建设实施方案】\n一、") and "\n【法治河南（法治政府）建设考核方案】\n一、 指导思想" in out


def test_doc_outline_text(capsys):
    code, out, _ = run(capsys, "doc", "outline", str(SEED_FILES["003"]))
    assert code == 0 and out.startswith("一、 依法全面履行政府职能")


def test_report_check_json(capsys):
    code, out, _ = run(capsys, "report", "check", str(SEED_FILES["000"]), "--json")
    data = json.loads(out)
    assert code == 0
    assert data["catalogue"]["reconsideration.resolution_rate"]["value"] == "27"
    assert data["catalogue"]["reconsideration.resolution_rate"]["numerator"] == "8223"
    assert data["catalogue"]["reconsideration.received"]["value"] == "34777"
    assert [p["key"] for p in data["parts"] if not p["present"]] == ["other"]
    assert data["metadata"]["published"] == "2025-03-27"
    assert any(f["raw"] == "1.06万名" and f["value"] == "10600" for f in data["figures"])
    doc = data["document"]
    assert (doc["doctype"], doc["issuer"], doc["year"]) == ("annual_report", "河南省人民政府", 2024)
    assert {"code": "part_missing", "severity": "bad", "params": {"part": "other"}} in data["findings"]
    assert any(f["code"] == "no_causes" for f in data["findings"])  # 000 names problems, not their causes


def test_report_check_text(capsys):
    code, out, _ = run(capsys, "report", "check", str(SEED_FILES["002"]))
    assert code == 0 and out.count("✓") >= 5
    assert "法治政府建设年度报告 (annual_report" in out and "@14" in out  # type, and the line of each part


def test_errors_exit_2_without_traceback(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "doc", "clean", str(empty))
    assert code == 2 and not out and "文档为空" in err and "Traceback" not in err
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)))
    assert run(capsys, "report", "check", str(binary), "--json")[0] == 2
    assert run(capsys, "doc", "outline", str(tmp_path / "missing.txt"))[0] == 2


@pytest.mark.parametrize("command", [("doc", "clean"), ("doc", "outline"), ("report", "check")])
def test_directory_and_huge_file_exit_2(capsys, tmp_path, command):
    code, out, err = run(capsys, *command, str(tmp_path))
    assert code == 2 and not out and "无法读取文件" in err and "Traceback" not in err
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:  # sparse: larger than the 20 MB limit without writing it
        fh.truncate(21 * 1024 * 1024)
    code, out, err = run(capsys, *command, str(huge))
    assert code == 2 and not out and "Traceback" not in err and str(huge) in err
