"""Time and memory of importing a province's village boundaries (Jawa Tengah: 8,563 villages).

    python bench/boundaries.py [--vertices 800] [--keep DIR]

Generates BIG-style boundaries for every village of the province (a grid of wiggled squares with
about `--vertices` points each, as large as BIG's own file), written as a zipped shapefile and as
GeoJSON, then imports each into a fresh database of the province in a separate process, printing
wall time and peak memory (PSS of the process).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from run import peak_memory_mib  # noqa: E402
from tests.support.boundaries import province_features, write_zipped_shapefile  # noqa: E402

IMPORT = """
import sys
from pathlib import Path
from opd_desa.db import open_database
from opd_desa.maps.importing import import_boundaries
s = import_boundaries(open_database(Path(sys.argv[1])), Path(sys.argv[2]))
print(s.features, s.matched, s.skipped, len(s.unmatched), len(s.missing))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=800)
    parser.add_argument("--region", default="33")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="opd-desa-bench-maps-"))
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    zipped = write_zipped_shapefile(folder / "batas.zip", province_features(args.region, args.vertices))
    geojson = folder / "batas.geojson"
    with geojson.open("w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[')
        for i, feature in enumerate(province_features(args.region, args.vertices)):
            f.write(("," if i else "") + json.dumps(feature))
        f.write("]}")
    shp = next((folder / "batas-parts").glob("*.shp"))
    print(
        f"generated in {time.perf_counter() - start:.0f} s: {shp.stat().st_size / 2**20:.0f} MB .shp, "
        f"{zipped.stat().st_size / 2**20:.0f} MB zip, {geojson.stat().st_size / 2**20:.0f} MB GeoJSON"
    )
    template = folder / "template.db"
    if not template.exists():
        from opd_desa.services.setup import init_database

        conn, _ = init_database(template, [args.region])
        conn.close()
    for source in (zipped, geojson):
        db = folder / "bench.db"
        db.write_bytes(template.read_bytes())
        start = time.perf_counter()
        memory, out = peak_memory_mib([sys.executable, "-c", IMPORT, str(db), str(source)])
        elapsed = time.perf_counter() - start
        print(
            f"import boundaries {source.name}: {elapsed:.1f} s, peak {memory:.0f} MiB; "
            f"features matched skipped unmatched missing: {out.strip()}"
        )
        subprocess.run(["sqlite3", str(db), "SELECT count(*), sum(length(geometry)) FROM boundaries"], check=False)


if __name__ == "__main__":
    main()
