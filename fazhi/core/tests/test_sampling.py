"""Sampling from a published seed: fixed expected draws (the same on any machine and Python version), an
independent implementation of the key (coreutils ``sha256sum``), strata, bad input, and the CLI round trip."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from fazhi.core import sampling
from fazhi.core.sampling import Item, SamplingError

FILES = [f"F{i:03d}" for i in range(1, 21)]


def test_fixed_expected_draws():
    # Written down once from the algorithm; a change of algorithm, encoding or ordering breaks them.
    assert sampling.draw_ids("fazhi-2025", FILES, 5) == ["F017", "F001", "F018", "F009", "F015"]
    assert sampling.draw_ids("种子", ["案卷甲", "案卷乙", "案卷丙", "案卷丁"], 2) == ["案卷丁", "案卷乙"]
    items = [Item(unit, f"{unit}-{i}") for unit in ("A", "B") for i in range(1, 6)]
    assert [i.id for i in sampling.draw("seed-1", items, 2)] == ["A-5", "A-3", "B-1", "B-4"]
    assert sampling.population_digest(items) == "9cc0bf38f091cc77134fc0ae52f19da64fdf00030215bd487cdbb7db2b272e9f"


def test_key_is_plain_sha256_of_seed_zero_id():
    assert sampling.rank_key("abc", "F001") == "9850b84ada15daccae6311a69e7fcff729b22588290e9aa73764ed4d6326f017"
    tool = shutil.which("sha256sum")
    assert tool, "coreutils sha256sum is part of the base system"
    out = subprocess.run([tool], input="种子".encode() + b"\x00" + "案卷丁".encode(), capture_output=True,
                         check=True).stdout.decode().split()[0]
    assert out == sampling.rank_key("种子", "案卷丁")


def test_order_of_the_population_does_not_matter():
    assert sampling.draw_ids("s", FILES, 7) == sampling.draw_ids("s", list(reversed(FILES)), 7)
    items = [Item("B", "b1"), Item("A", "a1"), Item("B", "b2"), Item("A", "a2")]
    assert sampling.population_digest(items) == sampling.population_digest(list(reversed(items)))


def test_another_seed_gives_another_draw_and_k_larger_than_stratum_takes_all():
    assert sampling.draw_ids("s1", FILES, 5) != sampling.draw_ids("s2", FILES, 5)
    assert sorted(sampling.draw_ids("s1", FILES[:3], 5)) == FILES[:3]
    drawn = sampling.draw("s", [Item("A", "a1"), Item("B", "b1"), Item("B", "b2")], {"A": 1, "B": 0})
    assert [i.id for i in drawn] == ["a1"]


def test_bad_input_is_refused_with_where():
    with pytest.raises(SamplingError, match="重复"):
        sampling.draw_ids("s", ["F1", "F1"], 1)
    with pytest.raises(SamplingError, match="种子为空"):
        sampling.draw_ids(" ", ["F1"], 1)
    with pytest.raises(SamplingError, match="第2行"):
        sampling.parse_population("A\tF1\nA\tF2\tX\n")
    assert sampling.parse_population("# comment\n\nF1\nA\tF2\n") == [Item("", "F1"), Item("A", "F2")]


def _fazhi(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "fazhi.cli", *args], input=stdin, capture_output=True, text=True)


def test_cli_draw_and_verify(tmp_path):
    population = tmp_path / "population.txt"
    population.write_text(sampling.format_population([Item("A", f"A-{i}") for i in range(1, 6)]
                                                     + [Item("B", f"B-{i}") for i in range(1, 6)]), encoding="utf-8")
    result = _fazhi("sample", "draw", "--seed", "seed-1", "-k", "2", str(population), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [d["id"] for d in payload["drawn"]] == ["A-5", "A-3", "B-1", "B-4"]
    assert payload["population_digest"] == "9cc0bf38f091cc77134fc0ae52f19da64fdf00030215bd487cdbb7db2b272e9f"
    drawn = tmp_path / "drawn.txt"
    drawn.write_text(_fazhi("sample", "draw", "--seed", "seed-1", "-k", "2", str(population)).stdout)
    ok = _fazhi("sample", "verify", "--seed", "seed-1", "-k", "2", str(population), "--drawn", str(drawn),
                "--digest", payload["population_digest"])
    assert ok.returncode == 0 and "一致" in ok.stdout
    tampered = tmp_path / "tampered.txt"
    tampered.write_text("A\tA-1\nA\tA-3\nB\tB-1\nB\tB-4\n")
    bad = _fazhi("sample", "verify", "--seed", "seed-1", "-k", "2", str(population), "--drawn", str(tampered))
    assert bad.returncode == 1 and "A-1" in bad.stderr
    wrong_digest = _fazhi("sample", "verify", "--seed", "seed-1", "-k", "2", str(population), "--drawn", str(drawn),
                          "--digest", "0" * 64)
    assert wrong_digest.returncode == 1 and "指纹" in wrong_digest.stderr



def test_cli_refuses_a_binary_population_file_with_a_message(tmp_path, capsys):
    import argparse

    from fazhi.core import sampling_cli

    binary = tmp_path / "population.bin"
    binary.write_bytes(b"\xfa\xfb\x00\xff" * 1000)
    args = argparse.Namespace(population=str(binary), seed="s", k=1, json=False)
    assert sampling_cli.run_draw(args) == sampling_cli.EXIT_INPUT_ERROR
    assert "UTF-8" in capsys.readouterr().err


def test_sizes_text_round_trip_and_bad_sizes():
    assert sampling.parse_sizes("3") == 3 and sampling.format_sizes(3) == "3"
    sizes = {"government": 1, "department": 2}
    assert sampling.format_sizes(sizes) == "department=2,government=1"
    assert sampling.parse_sizes("department=2,government=1") == sizes
    for bad in ("", "x", "-1", "a=1,a=2", "a=x", "=2", "a=-1"):
        with pytest.raises(SamplingError):
            sampling.parse_sizes(bad)
    items = [Item("A", "a1"), Item("B", "b1"), Item("B", "b2")]
    assert sampling.shortfalls(items, 2) == [("A", 2, 1)]
    assert sampling.shortfalls(items, {"B": 2, "C": 1}) == [("C", 1, 0)]


def test_cli_empty_population_is_an_error_not_an_empty_draw(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing registered\n\n", encoding="utf-8")
    for command in (("draw",), ("verify", "--drawn", str(empty))):
        result = _fazhi("sample", *command, "--seed", "s", "-k", "2", str(empty))
        assert result.returncode == 2 and "样本总体为空" in result.stderr and result.stdout == ""


def test_cli_sizes_per_stratum_and_shortfall_warning(tmp_path):
    population = tmp_path / "population.txt"
    population.write_text("department\tD1\ndepartment\tD2\ngovernment\tG1\n", encoding="utf-8")
    result = _fazhi("sample", "draw", "--seed", "s", "-k", "department=1,government=2", str(population), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["k"] == {"department": 1, "government": 2}
    assert [d["stratum"] for d in payload["drawn"]] == ["department", "government"]
    assert "分组 government 只有 1 项，少于抽取数量 2" in result.stderr
    bad = _fazhi("sample", "draw", "--seed", "s", "-k", "lots", str(population))
    assert bad.returncode == 2 and "抽取数量" in bad.stderr
