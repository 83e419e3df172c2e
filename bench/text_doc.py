"""Run the text pipeline on one file N times in one process (for an outside timer such as ``/usr/bin/time -v``).

    python bench/text_doc.py FILE --repeat 20     # start-up + 20 pipelines
    python bench/text_doc.py FILE --repeat 0      # start-up and imports only (OpenCC loaded, one tiny clean)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_text import pipeline_text

from fazhi.core.text import clean


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--clean-text", action="store_true", help="run on the file's cleaned text (no damage)")
    args = parser.parse_args()
    text = Path(args.file).read_text(encoding="utf-8")
    if args.clean_text:
        repaired = clean(text).text  # the same document without damage, repeated to the same length
        text = (repaired * (len(text) // len(repaired) + 1))[: len(text)]
    clean("预热")  # load OpenCC once, also for --repeat 0
    for _ in range(args.repeat):
        pipeline_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
