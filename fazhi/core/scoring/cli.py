"""Command line: ``fazhi assess compute FILE.json`` (``-`` reads standard input).

Prints the result JSON (see :mod:`fazhi.core.scoring.io`) on standard output. Any input or scoring error is
printed on standard error as one clear message, with exit code 2 and no traceback.

FILE may also be the bundle a published campaign offers for download (``{"input": …, "result": …}``): the
input is computed and compared with the published result, unit by unit (total, grade, rank) and list by list;
a difference is reported on standard error with exit code 3 — that is how anyone can check a publication.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .engine import compute
from .errors import ScoringError
from .io import parse_input, result_to_dict

__all__ = ["register", "run_compute"]

EXIT_INPUT_ERROR = 2
EXIT_MISMATCH = 3


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``assess`` (with ``compute FILE``) to the main ``fazhi`` parser's sub-commands."""
    assess = subparsers.add_parser(
        "assess", help="年度考核计分 / assessment scoring", description="年度考核计分 / assessment scoring"
    )
    commands = assess.add_subparsers(dest="assess_command", metavar="COMMAND", required=True)
    compute_parser = commands.add_parser(
        "compute",
        help="计算总分、等次、排名和结果运用名单 / compute totals, grades, ranks and lists",
        description="读取考核数据 JSON，输出结果 JSON / read campaign JSON, print result JSON",
    )
    compute_parser.add_argument(
        "file", metavar="FILE.json", help="输入文件，- 表示标准输入 / input file, - for stdin"
    )
    compute_parser.set_defaults(func=run_compute)
    verify_parser = commands.add_parser(
        "verify",
        help="核验本单位的结果数据片 / verify a unit's result slice against the published root",
        description="用数据片重新计算本单位结果，并核验其属于公布的根哈希 / recompute the unit's result from its "
                    "slice and check its inclusion proof against the published root hash",
    )
    verify_parser.add_argument("file", metavar="SLICE.json", help="数据片文件，- 表示标准输入 / slice file")
    verify_parser.add_argument("--root", required=True, metavar="HASH",
                               help="公布页或结果通知书上的根哈希 / the root printed on the public page or notice")
    verify_parser.set_defaults(func=run_verify)
    return assess


def _fail(message: str) -> int:
    print(f"错误 / error: {message}", file=sys.stderr)
    return EXIT_INPUT_ERROR


#: The largest input read (a campaign of thousands of units and hundreds of indicators is a few tens of MB).
MAX_INPUT_BYTES = 200 * 1024 * 1024


class InputTooLarge(Exception):
    """The input is larger than ``MAX_INPUT_BYTES``."""


def _read(name: str) -> str:
    """The text of ``name`` (``-``: standard input), at most ``MAX_INPUT_BYTES``; a UTF-8 BOM is dropped."""
    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream (tests replace stdin with StringIO)
            text = sys.stdin.read(MAX_INPUT_BYTES + 1)
            if len(text) > MAX_INPUT_BYTES:
                raise InputTooLarge
            return text.removeprefix("\ufeff")
        data = stream.read(MAX_INPUT_BYTES + 1)
    else:
        with Path(name).open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputTooLarge
    return data.decode("utf-8-sig")


def published_shape_problem(published) -> str | None:
    """What is wrong with the ``result`` part of a publication bundle (None when it can be compared)."""
    def scalar(value) -> bool:
        return isinstance(value, str | int) and not isinstance(value, bool)

    if not isinstance(published, dict):
        return f"result：须为对象（JSON object） / result: must be an object, got {type(published).__name__}"
    units = published.get("units", [])
    if not isinstance(units, list):
        return "result.units：须为数组 / result.units: must be an array"
    for index, row in enumerate(units):
        if not isinstance(row, dict):
            return f"result.units[{index}]：须为对象 / result.units[{index}]: must be an object"
        if not scalar(row.get("unit")):
            return f"result.units[{index}].unit：须为单位编码 / result.units[{index}].unit: must be a unit code"
    lists = published.get("lists", {})
    if not isinstance(lists, dict):
        return "result.lists：须为对象 / result.lists: must be an object"
    for name, codes in lists.items():
        if not isinstance(codes, list) or not all(scalar(c) for c in codes):
            return f"result.lists.{name}：须为单位编码数组 / result.lists.{name}: must be an array of unit codes"
    return None


def run_compute(args: argparse.Namespace) -> int:
    """Read ``args.file``, compute, print the result; 0 on success, 2 on any input or scoring error."""
    try:
        text = _read(args.file)
    except OSError as exc:
        return _fail(f"无法读取文件 {args.file}：{exc.strerror or exc} / cannot read {args.file}")
    except UnicodeDecodeError:
        return _fail(f"文件 {args.file} 不是 UTF-8 编码 / {args.file} is not UTF-8")
    except InputTooLarge:
        mb = MAX_INPUT_BYTES // (1024 * 1024)
        return _fail(f"文件 {args.file} 过大（上限 {mb} MB） / {args.file} is larger than {mb} MB")
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return _fail(
            f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg} / invalid JSON at line {exc.lineno}"
        )
    except RecursionError:
        return _fail("JSON 嵌套层数过多 / JSON nested too deeply")
    published = None
    if isinstance(data, dict) and {"input", "result"} <= set(data):
        data, published = data["input"], data["result"]
        problem = published_shape_problem(published)
        if problem:
            return _fail(problem)
    try:
        result = compute(parse_input(data))
    except ScoringError as exc:
        return _fail(str(exc))
    output = result_to_dict(result)
    try:
        sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `fazhi assess compute x.json | head`: the reader has all it wanted
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if published is not None:
        differences = compare_with_published(output, published)
        if differences:
            print("与公布结果不一致 / differs from the published result:", file=sys.stderr)
            for line in differences[:50]:
                print(f"  {line}", file=sys.stderr)
            return EXIT_MISMATCH
        print(f"与公布结果一致 / matches the published result ({len(output['units'])} units)", file=sys.stderr)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """``fazhi assess verify SLICE.json --root HASH``: 0 when the slice recomputes and proves, 3 when it does not,
    2 when the file cannot be read."""
    from .slices import verify_slice

    try:
        text = _read(args.file)
        data = json.loads(text)  # no parse_float: the leaf is hashed exactly as downloaded
    except OSError as exc:
        return _fail(f"无法读取文件 {args.file}：{exc.strerror or exc} / cannot read {args.file}")
    except (UnicodeDecodeError, InputTooLarge):
        return _fail(f"文件 {args.file} 不是 UTF-8 编码或过大 / {args.file} is not UTF-8 or too large")
    except json.JSONDecodeError as exc:
        return _fail(f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg} / invalid JSON at line {exc.lineno}")
    except RecursionError:
        return _fail("JSON 嵌套层数过多 / JSON nested too deeply")
    report = verify_slice(data, args.root)
    where = f"{report.campaign} {report.unit}".strip()
    for note in report.notes:
        print(f"说明 / note: {note}", file=sys.stderr)
    if not report.ok:
        print(f"核验未通过 / verification failed: {where}", file=sys.stderr)
        for line in report.errors:
            print(f"  {line}", file=sys.stderr)
        return EXIT_MISMATCH
    total = (data.get("leaf") or {}).get("result", {}).get("total")
    grade = (data.get("leaf") or {}).get("result", {}).get("grade")
    print(f"核验通过 / verified: {where} 总分 {total} 等次 {grade}；属于根哈希 {args.root.strip().lower()}")
    return 0


def _key(row: dict) -> tuple:
    total = row.get("total")
    try:
        total = str(Decimal(str(total)))
    except (InvalidOperation, ValueError):
        total = repr(total)  # not a number: compared as it is, so it shows as a difference
    return (total, row.get("grade"), row.get("rank"))


def compare_with_published(computed: dict, published: dict) -> list[str]:
    """Human-readable differences between a recomputed result and a published one (empty when they agree)."""
    differences = []
    mine = {row["unit"]: row for row in computed["units"]}
    theirs = {row.get("unit"): row for row in published.get("units", [])}
    for code in sorted(set(mine) | set(theirs), key=str):
        if code not in theirs:
            differences.append(f"{code}: 未公布 / not in the published result")
        elif code not in mine:
            differences.append(f"{code}: 无法复算 / published but not in the input")
        elif _key(mine[code]) != _key(theirs[code]):
            a, b = _key(mine[code]), _key(theirs[code])
            differences.append(f"{code}: 复算 / recomputed {a} ≠ 公布 / published {b}")
    for name, codes in computed["lists"].items():
        theirs_list = sorted(published.get("lists", {}).get(name, []), key=str)
        if sorted(codes, key=str) != theirs_list:
            differences.append(f"lists.{name}: 复算 / recomputed {sorted(codes, key=str)} ≠ 公布 / published "
                               f"{theirs_list}")
    return differences
