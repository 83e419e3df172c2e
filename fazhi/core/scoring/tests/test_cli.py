"""The ``fazhi assess compute FILE`` command, run in-process through a parser built the way fazhi/cli.py does."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from fazhi.core.scoring import cli

from .factories import totals_input


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="fazhi")
    subparsers = parser.add_subparsers(dest="command", required=True)
    cli.register(subparsers)
    args = parser.parse_args(argv)
    return args.func(args)


def test_compute_file(tmp_path, capsys):
    path = tmp_path / "campaign.json"
    path.write_text(
        json.dumps(totals_input({"甲市": (1, 93.5), "乙市": (1, 70)}), ensure_ascii=False), "utf-8"
    )
    assert main(["assess", "compute", str(path)]) == 0
    out = capsys.readouterr()
    result = json.loads(out.out)
    assert result["units"][0]["unit"] == "甲市" and result["units"][0]["total"] == "93.50"
    assert result["lists"]["warning"] == ["乙市"]
    assert "甲市" in out.out  # ensure_ascii=False
    assert out.err == ""


def test_compute_stdin_keeps_every_digit(monkeypatch, capsys):
    # JSON numbers are read as Decimal: 0.1 + 0.2 is exactly 0.30.
    data = {
        "indicators": [
            {"code": "A", "points": 50, "categories": [2]},
            {"code": "B", "points": 50, "categories": [2]},
        ],
        "units": [{"code": "u", "category": 2}],
        "scores": [
            {"unit": "u", "indicator": "A", "score": 0.1},
            {"unit": "u", "indicator": "B", "score": 0.2},
        ],
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(data)))
    assert main(["assess", "compute", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["units"][0]["total"] == "0.30"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "JSON"),
        (json.dumps(totals_input({"u": (1, 120)})), "u"),
        (json.dumps({"units": []}), "indicators"),
        ("[]", "input"),
    ],
)
def test_errors_exit_2_without_traceback(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    assert main(["assess", "compute", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith("错误 / error:") and expected in out.err
    assert "Traceback" not in out.err


def test_missing_file(tmp_path, capsys):
    assert main(["assess", "compute", str(tmp_path / "nope.json")]) == 2
    assert "nope.json" in capsys.readouterr().err


def test_subcommand_required(capsys):
    with pytest.raises(SystemExit) as info:
        main(["assess"])
    assert info.value.code == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "JSON"),
        (bytes(range(256)) * 4, "UTF-8"),
        (b"[" * 200_000, "JSON 嵌套层数过多"),
        (b'"x"', "input"),
        (b'{"input": {}}', "未知字段 input"),
    ],
    ids=["empty", "binary", "deeply-nested", "wrong-shape-string", "wrong-shape-object"],
)
def test_bad_files_exit_2_without_traceback(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["assess", "compute", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and expected in out.err and "Traceback" not in out.err


def test_directory_exits_2(tmp_path, capsys):
    assert main(["assess", "compute", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err


def test_huge_file_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "MAX_INPUT_BYTES", 1024)
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(totals_input({f"u{i}": (1, 80) for i in range(100)})), "utf-8")
    assert main(["assess", "compute", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "过大" in out.err


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ([], "result：须为对象"),
        ("x", "result：须为对象"),
        ({"units": {}}, "result.units：须为数组"),
        ({"units": [1]}, "result.units[0]：须为对象"),
        ({"units": [{"unit": ["a"]}]}, "result.units[0].unit"),
        ({"units": [], "lists": []}, "result.lists：须为对象"),
        ({"units": [], "lists": {"warning": "u"}}, "result.lists.warning"),
    ],
)
def test_publication_bundle_of_the_wrong_shape_exits_2(tmp_path, capsys, published, expected):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"input": totals_input({"甲市": (1, 93.5)}), "result": published}), "utf-8")
    assert main(["assess", "compute", str(path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and expected in out.err and "Traceback" not in out.err


def test_publication_row_without_a_total_is_a_difference(tmp_path, capsys):
    path = tmp_path / "bundle.json"
    published = {"units": [{"unit": "甲市", "total": "not a number"}], "lists": {}}
    path.write_text(json.dumps({"input": totals_input({"甲市": (1, 93.5)}), "result": published}), "utf-8")
    assert main(["assess", "compute", str(path)]) == 3
    assert "甲市" in capsys.readouterr().err
