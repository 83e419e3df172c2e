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
