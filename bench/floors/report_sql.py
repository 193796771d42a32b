"""The floor of `report`: the same joins over an opd-desa database, in a bare Typer app.

python bench/floors/report_sql.py kabupaten DB YEAR   # aggregate rows as JSON
python bench/floors/report_sql.py villages DB YEAR    # every village's row as CSV
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys

import typer

app = typer.Typer()

VILLAGES = """
SELECT v.code, v.name, k.name, a.code, p.rate, q.rate, coalesce(p.population, v.population),
       coalesce(t.n, 0), t.budget
FROM villages v
JOIN regions k ON k.code = v.kecamatan_code
LEFT JOIN poverty p ON p.village_code = v.code AND p.year = :year
LEFT JOIN poverty q ON q.village_code = v.code AND q.year = :year - 1
LEFT JOIN pairings pr ON pr.village_code = v.code AND pr.since <= :day AND (pr.until IS NULL OR pr.until > :day)
LEFT JOIN agencies a ON a.id = pr.agency_id
LEFT JOIN (SELECT village_code, count(*) AS n, sum(budget) AS budget FROM activities
           WHERE date BETWEEN :start AND :end GROUP BY village_code) t ON t.village_code = v.code
ORDER BY v.code
"""

KABUPATEN = """
SELECT substr(v.kecamatan_code, 1, 5) AS kabupaten, r.name, count(*), count(p.rate),
       sum(p.population), sum(p.rate * p.population) / sum(p.population)
FROM villages v
LEFT JOIN poverty p ON p.village_code = v.code AND p.year = :year
LEFT JOIN regions r ON r.code = substr(v.kecamatan_code, 1, 5)
GROUP BY kabupaten ORDER BY kabupaten
"""


def _params(year: int) -> dict[str, object]:
    return {"year": year, "day": f"{year}-12-31", "start": f"{year}-01-01", "end": f"{year}-12-31"}


@app.command()
def kabupaten(db: str, year: int) -> None:
    """Each kabupaten's villages and population-weighted rate, as JSON."""
    conn = sqlite3.connect(db)
    keys = ("code", "name", "villages", "with_data", "population", "rate")
    rows = [dict(zip(keys, row, strict=True)) for row in conn.execute(KABUPATEN, _params(year))]
    json.dump({"year": year, "rows": rows}, sys.stdout)


@app.command()
def villages(db: str, year: int) -> None:
    """Every village's row, as CSV."""
    conn = sqlite3.connect(db)
    out = csv.writer(sys.stdout)
    out.writerow(("code", "name", "kecamatan", "agency", "rate", "previous", "population", "activities", "budget"))
    out.writerows(conn.execute(VILLAGES, _params(year)))


if __name__ == "__main__":
    app()
