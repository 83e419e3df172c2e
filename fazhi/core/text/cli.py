"""Command line (命令行): ``fazhi doc clean|outline FILE`` and ``fazhi report check FILE``.

``doc outline --json`` prints ``title``, ``outline`` (every top-level item), ``unattached_deadlines``
and ``documents``: the documents the text holds (:func:`~.outline.split_documents`), each with
``title``, ``offset``, ``end`` and ``roots`` — the indexes of its top-level items in ``outline``.

``register(subparsers)`` adds the commands to the project's ``fazhi`` parser; every command
returns an exit code. A document that cannot be read prints a clear bilingual message on
stderr and exits with 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from typing import Any

from .cleaning import CleanResult, clean
from .deadlines import attach_deadlines, find_deadlines, guess_base_year
from .errors import DocumentError
from .outline import group_by_document, parse_outline, split_documents
from .reading import read_document
from .report_check import check_report


def _json_default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def load_clean(path: str) -> CleanResult:
    """Read and clean a file (the first two steps of every command)."""
    raw = read_document(path)
    result = clean(raw.text)
    result.metadata.setdefault("encoding", raw.encoding)
    result.metadata.setdefault("format", raw.format)
    return result


def base_year_of(result: CleanResult) -> int | None:
    """Document year: the publication year when known, else the year in the title."""
    published = str(result.metadata.get("published", ""))
    m = re.match(r"(\d{4})", published)
    return int(m.group(1)) if m else guess_base_year(result.text)


def cmd_clean(args: argparse.Namespace) -> int:
    result = load_clean(args.file)
    sys.stdout.write(result.text + "\n")
    return 0


def cmd_outline(args: argparse.Namespace) -> int:
    result = load_clean(args.file)
    roots = parse_outline(result.text)
    deadlines = find_deadlines(result.text, base_year_of(result))
    loose = attach_deadlines(roots, deadlines)
    documents = split_documents(result.text, roots)
    groups = group_by_document(roots, documents)
    index = {id(r): k for k, r in enumerate(roots)}
    if args.json:
        docs = [{**d.to_dict(), "roots": [index[id(r)] for r in group]} for d, group in zip(documents, groups, strict=True)]
        sys.stdout.write(
            _dump({"title": result.metadata.get("title"), "outline": roots, "unattached_deadlines": loose,
                   "documents": docs}) + "\n"
        )
        return 0

    def show(nodes, depth=0):
        for node in nodes:
            sys.stdout.write(f"{'  ' * depth}{node.label} {node.title}\n")
            for d in node.deadlines:
                sys.stdout.write(f"{'  ' * depth}  ⏱ {d.phrase} → {d.date or d.rule or d.days}\n")
            show(node.children, depth + 1)

    if len(documents) > 1:
        for document, group in zip(documents, groups, strict=True):
            sys.stdout.write(f"【{document.title}】\n")
            show(group)
    else:
        show(roots)
    return 0


def cmd_report_check(args: argparse.Namespace) -> int:
    result = load_clean(args.file)
    report = check_report(result.text, result.repaired_spans, title=result.metadata.get("title"))
    if args.json:
        data = report.to_dict()
        data["metadata"] = {k: v for k, v in result.metadata.items() if k != "translation"}
        data["unrepaired"] = result.unrepaired
        sys.stdout.write(_dump(data) + "\n")
        return 0
    kind = report.kind
    if kind is not None:
        sys.stdout.write(f"文种 type: {kind.name} ({kind.doctype}, {kind.confidence:.2f}); "
                         f"发文机关 issuer: {kind.issuer or '—'}; 年度 year: {kind.year or '—'}\n")
    for part in report.parts:
        mark = "✓" if part["present"] else "✗"
        line = f" @{part['where']['line']}" if part.get("where") else ""
        causes = "" if part.get("causes") is not False else " 未分析原因 no causes"
        sys.stdout.write(f"{mark} {part['name']} ({part['how'] or '缺失 missing'}{line}){causes}\n")
    for key, entry in report.catalogue.items():
        basis = f" = {entry['numerator']}/{entry['denominator']}" if entry.get("numerator") is not None else ""
        sys.stdout.write(f"  {key}: {entry['value']}{entry['unit']}{basis}\n")
    for check in report.checks:
        sys.stdout.write(f"{'✓' if check['ok'] else '✗'} {check['message']}\n")
    return 0


def _safe(func):
    """Wrap a command: reading errors become a message on stderr and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except DocumentError as exc:
            sys.stderr.write(f"fazhi: {args.file}: {exc}\n")
            return 2
        except OSError as exc:
            sys.stderr.write(f"fazhi: {args.file}: 无法读取文件 / cannot read the file ({exc.strerror or exc})\n")
            return 2

    run.__name__ = func.__name__
    run.__doc__ = func.__doc__
    return run


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``doc`` and ``report`` commands to the project's ``fazhi`` argument parser."""
    doc = subparsers.add_parser("doc", help="中文公文处理 / Chinese document tools")
    doc_sub = doc.add_subparsers(dest="doc_command", required=True)
    p = doc_sub.add_parser("clean", help="输出清洗后的文本 / print the cleaned text")
    p.add_argument("file")
    p.set_defaults(func=_safe(cmd_clean))
    p = doc_sub.add_parser("outline", help="文档层级结构 / numbered outline with deadlines")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_safe(cmd_outline))

    report = subparsers.add_parser("report", help="年度报告 / annual reports")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    p = report_sub.add_parser("check", help="检查五个必备部分和数据 / check parts, figures, consistency")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_safe(cmd_report_check))


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point building the parser the way ``fazhi/cli.py`` does."""
    parser = argparse.ArgumentParser(prog="fazhi")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
