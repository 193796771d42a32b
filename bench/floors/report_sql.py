"""The floor of `report`: the same joins and the same output over an opd-desa database, in a bare Typer app.

python bench/floors/report_sql.py kabupaten DB YEAR   # aggregate rows, summary and sources as JSON
python bench/floors/report_sql.py villages DB YEAR    # every village's row as CSV

Both do in SQL what the report shows for poverty: the figure of the year and of the year before, the
mentor on 31 December, the target of the year (the nearest stored, else 8 %), and from them the
change, the gap and whether the village is above the target; a kabupaten row counts its villages,
those with data and those above the target, adds up its population and weights its rate, and carries
the official figure recorded for it; the summary counts mentors too, and the sources name those of
both years' figures. What SQL does not do (formatting, JSON) is left to the standard library.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections import Counter

import typer

app = typer.Typer()

TARGET = """
target(rate) AS (SELECT coalesce((SELECT value FROM all_targets WHERE measure_id = 1
                                  ORDER BY year < :year, abs(year - :year) LIMIT 1), 8.0))
"""

SCOPE = """
FROM villages v
JOIN target
JOIN regions k ON k.code = v.kecamatan_code
LEFT JOIN poverty p ON p.village_code = v.code AND p.year = :year
LEFT JOIN poverty q ON q.village_code = v.code AND q.year = :year - 1
LEFT JOIN pairings pr ON pr.village_code = v.code AND pr.since <= :day AND (pr.until IS NULL OR pr.until > :day)
LEFT JOIN agencies a ON a.id = pr.agency_id
"""

VILLAGES = f"""
WITH {TARGET}
SELECT v.code, v.name, k.name, a.code, p.rate, q.rate, round(p.rate - q.rate, 2), round(p.rate - target.rate, 2),
       CASE WHEN p.rate > target.rate THEN 'true' WHEN p.rate IS NOT NULL THEN 'false' END,
       coalesce(p.population, v.population), coalesce(t.n, 0), t.budget
{SCOPE}
LEFT JOIN (SELECT village_code, count(*) AS n, sum(budget) AS budget FROM activities
           WHERE date BETWEEN :start AND :end GROUP BY village_code) t ON t.village_code = v.code
ORDER BY v.code
"""

KABUPATEN = f"""
WITH {TARGET},
villages_in AS (
    SELECT substr(v.kecamatan_code, 1, 5) AS kabupaten, p.rate, coalesce(p.population, v.population) AS population,
           p.source_id AS source, q.source_id AS previous_source, a.id IS NOT NULL AS paired,
           p.rate > target.rate AS above
    {SCOPE}
)
SELECT g.kabupaten, coalesce(r.name, g.kabupaten), g.villages, g.with_data, g.population,
       round(g.weighted / g.weight, 2), g.above, f.value, s.text,
       g.paired, g.above_unpaired, g.weighted, g.weight, g.rate_sum, g.sources
FROM (SELECT kabupaten, count(*) AS villages, count(rate) AS with_data, sum(population) AS population,
             sum(CASE WHEN population > 0 THEN rate * population END) AS weighted,
             sum(CASE WHEN rate IS NOT NULL AND population > 0 THEN population END) AS weight,
             coalesce(sum(above), 0) AS above, sum(paired) AS paired,
             coalesce(sum(above AND NOT paired), 0) AS above_unpaired, sum(rate) AS rate_sum,
             coalesce(group_concat(DISTINCT source), '') || ',' || coalesce(group_concat(DISTINCT previous_source), '')
                 AS sources
      FROM villages_in GROUP BY kabupaten) g
LEFT JOIN regions r ON r.code = g.kabupaten
LEFT JOIN area_figures f ON f.measure_id = 1 AND f.region_code = g.kabupaten AND f.year = :year
LEFT JOIN sources s ON s.id = f.source_id
ORDER BY g.kabupaten
"""


def _params(year: int) -> dict[str, object]:
    return {"year": year, "day": f"{year}-12-31", "start": f"{year}-01-01", "end": f"{year}-12-31"}


ROW_KEYS = (
    "code",
    "name",
    "villages",
    "with_data",
    "population",
    "rate",
    "above_target",
    "official",
    "official_source",
)
SUM_KEYS = ("paired", "above_unpaired", "weighted", "weight", "rate_sum")
HEADER = "code,name,kecamatan,agency,rate,previous_rate,change,gap,above_target,population,activities,budget"


@app.command()
def kabupaten(db: str, year: int) -> None:
    """Each kabupaten's villages, population-weighted rate and villages above the target, the summary
    and the sources, as JSON."""
    conn = sqlite3.connect(db)
    rows, sums, source_ids = [], Counter[str](), set()
    for found in conn.execute(KABUPATEN, _params(year)):
        row = dict(zip(ROW_KEYS, found[: len(ROW_KEYS)], strict=True))
        rows.append(row)
        sums.update({key: row[key] for key in ("villages", "with_data", "above_target")})
        sums.update({key: value or 0 for key, value in zip(SUM_KEYS, found[len(ROW_KEYS) : -1], strict=True)})
        source_ids.update(found[-1].split(",") if found[-1] else ())
    marks = ",".join("?" * len(source_ids))
    query = f"SELECT text FROM sources WHERE id IN ({marks}) ORDER BY text"
    summary = {
        "villages": sums["villages"],
        "with_data": sums["with_data"],
        "above_target": sums["above_target"],
        "paired": sums["paired"],
        "above_target_unpaired": sums["above_unpaired"],
        "weighted_rate": round(sums["weighted"] / sums["weight"], 2) if sums["weight"] else None,
        "mean_rate": round(sums["rate_sum"] / sums["with_data"], 2) if sums["with_data"] else None,
    }
    sources = [text for (text,) in conn.execute(query, [*source_ids])]
    json.dump({"year": year, "rows": rows, "summary": summary, "sources": sources}, sys.stdout, indent=2)


@app.command()
def villages(db: str, year: int) -> None:
    """Every village's row, as CSV (the report's columns)."""
    conn = sqlite3.connect(db)
    sys.stdout.write(HEADER + "\n")
    csv.writer(sys.stdout, lineterminator="\n").writerows(conn.execute(VILLAGES, _params(year)))


if __name__ == "__main__":
    app()
