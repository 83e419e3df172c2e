"""Copy front-end assets installed from the npm registry into the static folder (served locally, no CDN).

Usage: ``python -m fazhi.vendor_assets NODE_MODULES DEST``. Each entry: (path under node_modules, file name).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ASSETS = [
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts.min.js"),
    # Henan province (410000) with its 18 city-level boundaries (names such as 郑州市, 济源市), ECharts-encoded
    # GeoJSON; registered with echarts.registerMap("henan", ...) by the plans dashboard.
    ("echarts-map/json/province/henan.json", "henan.json"),
]


def copy_assets(node_modules: Path, dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for source, name in ASSETS:
        src = node_modules / source
        if not src.exists():
            raise SystemExit(f"vendor_assets: {src} is missing; run `npm ci` in frontend/")
        shutil.copyfile(src, dest / name)
        written.append(dest / name)
    return written


if __name__ == "__main__":
    for path in copy_assets(Path(sys.argv[1]), Path(sys.argv[2])):
        print(f"vendor: {path}")
