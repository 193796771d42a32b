"""Small documents for the renderer tests: a long table, every kind of cell, and one chart of each kind."""

from __future__ import annotations

import datetime as dt

from opd_desa.documents.page import (
    BarChart,
    Block,
    Chart,
    Column,
    Document,
    Heading,
    KeyFigure,
    KeyFigures,
    Mark,
    PairingChart,
    Paragraph,
    Signature,
    Table,
    TrendChart,
)

HEADERS = (
    "Village",
    "Kecamatan",
    "Poverty rate (%)",
    "Gap to target (pp)",
    "Mentor",
    "Paired since",
    "Reported",
    "Budget",
)
TITLES = {"en": "Programme results for 2023", "id": "Hasil program tahun 2023"}


def villages_table(rows: int) -> Table:
    """A table of `rows` villages with a column of every kind, some names long enough to wrap."""
    columns = (
        Column(HEADERS[0]),
        Column(HEADERS[1]),
        Column(HEADERS[2], kind="percent"),
        Column(HEADERS[3], kind="points"),
        Column(HEADERS[4]),
        Column(HEADERS[5], kind="date"),
        Column(HEADERS[6], kind="bool"),
        Column(HEADERS[7], kind="money"),
    )
    body = tuple(
        (
            f"Sumberrejo Tengah {i}",
            "Kalinyamatan",
            8.0 + (i % 7) * 0.75,
            (i % 7) * 0.75 - 1.5,
            "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak" if i % 3 == 0 else "Dinas Kesehatan",
            dt.date(2021, 10, 13) if i % 2 else None,
            i % 2 == 0,
            50_000_000 + i * 1_000_000,
        )
        for i in range(rows)
    )
    return Table(columns, body)


def trend() -> TrendChart:
    return TrendChart(
        "Poverty rate by year",
        (2019, 2020, 2021, 2022, 2023),
        (6.66, 7.17, 7.44, 6.88, 6.61),
        "Poverty rate",
        "Poverty rate (%)",
        "Year",
        "Source: BPS",
        6.5,
        "Target",
        (Mark(dt.date(2021, 10, 13), "Programme start"),),
    )


def bars() -> BarChart:
    return BarChart(
        "Kecamatan",
        ("Bangsri", "Keling", "Kembang", "Mayong"),
        (9.1, 7.2, 10.4, 6.0),
        "Poverty rate",
        "Poverty rate (%)",
        "Kecamatan",
        "Source: BPS",
        8.0,
        "Target",
        "Above the target",
        "At or below the target",
        sort=True,
    )


def pairings() -> PairingChart:
    return PairingChart(
        "Each pairing: baseline to 2023",
        ("Tulakan", "Sowan Kidul", "Blingoh"),
        (12.0, 10.5, 9.8),
        (10.9, 10.6, 8.2),
        "Baseline",
        "2023",
        "Poverty rate (%)",
        "Source: BPS",
        "Mean change",
        "Change (pp)",
        "Paired",
        "Unpaired",
        -0.7,
        -0.2,
    )


def document(rows: int = 10, lang: str = "en", charts: bool = False, wide: bool = False) -> Document:
    """A document with a title block, key figures, a villages table of `rows` rows and a signature."""
    blocks: list[Block] = [
        KeyFigures((KeyFigure("Poverty rate", "8.37 %", "target 8.00 %"), KeyFigure("Above target", "112"))),
        Paragraph("In 2023 the poverty rate was 8.37 %, above the target."),
    ]
    if charts:
        blocks += [
            Heading("Trend"),
            Chart(trend(), "The dotted line marks the programme start."),
            Heading("Kecamatan"),
            Chart(bars()),
            Heading("Scorecard"),
            Chart(pairings()),
        ]
    blocks += [Heading("Villages above the target"), villages_table(rows)]
    if wide:
        columns = tuple(Column(f"Measure number {i} of the village", kind="percent") for i in range(24))
        blocks += [
            Heading("All measures"),
            Table(columns, tuple(tuple(float(i + j) for j in range(24)) for i in range(5))),
        ]
    blocks.append(Signature("Jepara", dt.date(2026, 12, 1), "Head of Bappeda", "Contoh Nama", "19700101 199503 1 001"))
    return Document(
        TITLES[lang],
        lang,
        tuple(blocks),
        "Bappeda Kabupaten Jepara",
        "Bappeda Kabupaten Jepara",
        ("BPS Kabupaten Jepara",),
    )
