"""``fazhi sample draw|verify``: redraw a published sample from its seed and population file (no database)."""

from __future__ import annotations

import argparse
import json
import sys

from . import sampling

EXIT_MISMATCH = 1
EXIT_INPUT_ERROR = 2


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    sample = subparsers.add_parser("sample", help="随机抽样 / reproducible sampling",
                                   description=sampling.__doc__.split("\n\n")[1] if sampling.__doc__ else None)
    commands = sample.add_subparsers(dest="sample_command", metavar="COMMAND", required=True)
    for name, help_text in (("draw", "按种子抽取 / draw from a seed"),
                            ("verify", "核验公布的抽样结果 / check a published draw")):
        parser = commands.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--seed", required=True, help="公布的随机种子 / the published seed")
        parser.add_argument("-k", required=True, metavar="K",
                            help="每组抽取数量：一个数，或“分组=数量,…” / items drawn per stratum: N, or stratum=N,…")
        parser.add_argument("population", metavar="POPULATION", help="样本总体文件（每行“编号”或“分组<TAB>编号”）")
        if name == "draw":
            parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
            parser.set_defaults(func=run_draw)
        else:
            parser.add_argument("--drawn", required=True, metavar="FILE",
                                help="公布的抽中清单（同样格式，按抽取顺序）/ the published drawn list")
            parser.add_argument("--digest", help="公布的总体指纹 / the published population digest")
            parser.set_defaults(func=run_verify)
    return sample


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except UnicodeDecodeError as error:  # a binary or GBK file: say so instead of a traceback
        raise sampling.SamplingError(f"{path}: 不是 UTF-8 文本 / not UTF-8 text (byte {error.start})") from error


def _load(args) -> tuple[list[sampling.Item], list[sampling.Item]]:
    items = sampling.parse_population(_read(args.population))
    if not items:  # drawing nothing from nothing would look like success
        raise sampling.SamplingError(f"{args.population}: 样本总体为空，没有可抽取的样本 / the population is empty: "
                                     "nothing to draw")
    k = sampling.parse_sizes(args.k)
    for stratum, asked, available in sampling.shortfalls(items, k):
        label = stratum or "-"
        print(f"注意 / warning: 分组 {label} 只有 {available} 项，少于抽取数量 {asked} / stratum {label} has "
              f"{available} of the {asked} asked", file=sys.stderr)
    return items, sampling.draw(args.seed, items, k)


def run_draw(args) -> int:
    try:
        items, drawn = _load(args)
    except (OSError, sampling.SamplingError) as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    digest = sampling.population_digest(items)
    if args.json:
        print(json.dumps({"algorithm": sampling.ALGORITHM, "seed": args.seed, "k": sampling.parse_sizes(args.k),
                          "population_size": len(items), "population_digest": digest,
                          "drawn": [{"stratum": i.stratum, "id": i.id} for i in drawn]}, ensure_ascii=False))
    else:
        sys.stdout.write(sampling.format_population(drawn))
        print(f"# {sampling.ALGORITHM} population={len(items)} digest={digest}", file=sys.stderr)
    return 0


def run_verify(args) -> int:
    try:
        items, drawn = _load(args)
        published = sampling.parse_population(_read(args.drawn))
    except (OSError, sampling.SamplingError) as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    digest = sampling.population_digest(items)
    problems = []
    if args.digest and args.digest.lower() != digest:
        problems.append(f"总体指纹不符 / population digest differs: published {args.digest}, file {digest}")
    if published != drawn:
        problems.append("抽中清单与重新抽取的结果不一致 / the published list differs from the redraw")
        for number, (got, want) in enumerate(zip(published, drawn, strict=False), start=1):
            if got != want:
                problems.append(f"第{number}项 / item {number}: published {got.id}, redraw {want.id}")
                break
        if len(published) != len(drawn):
            problems.append(f"数量 / count: published {len(published)}, redraw {len(drawn)}")
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return EXIT_MISMATCH
    print(f"一致 / verified: {len(drawn)} of {len(items)} items, digest {digest}")
    return 0
