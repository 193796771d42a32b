"""Write a sample brief (made-up, Jepara-like numbers) as PDF, HTML and XLSX, to look at the pages.

    python scripts/sample_brief.py OUT_DIR [--lang id] [--villages N]

The numbers are invented: the point is to see the page furniture, the tables and the charts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KECAMATAN = (
    "Bangsri",
    "Batealit",
    "Donorojo",
    "Jepara",
    "Kalinyamatan",
    "Karimunjawa",
    "Kedung",
    "Keling",
    "Kembang",
    "Mayong",
    "Mlonggo",
    "Nalumsari",
    "Pakis Aji",
    "Pecangaan",
    "Tahunan",
    "Welahan",
)
AGENCIES = (
    "Dinas Kesehatan",
    "Dinas Pendidikan, Pemuda dan Olahraga",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak",
    "Bappeda",
    "Dinas Perhubungan",
    "Dinas Pertanian dan Pangan",
    "Dinas Koperasi, UKM, Tenaga Kerja dan Transmigrasi",
)

WORDS = {
    "en": {
        "title": "1 OPD 1 Desa Dampingan: results for {year}",
        "subtitle": "Bappeda Kabupaten Jepara · Kabupaten Jepara · poverty rate",
        "key": "Key figures",
        "rate": "Poverty rate of the kabupaten",
        "above": "Villages above the target",
        "paired": "Villages paired with an agency",
        "target": "target {t} %",
        "of": "of {n} villages",
        "sentence": "In {year} the poverty rate of Kabupaten Jepara was {rate} %, above the target of {t} %. "
        "{above} villages were above the target; {paired} of them had an agency as mentor.",
        "trend": "The kabupaten's poverty rate by year",
        "kec": "Kecamatan",
        "villages": "Villages above the target",
        "scorecard": "Scorecard of the pairings",
        "activities": "Activities and budget per agency",
        "sources": "Sources",
        "illustrative": "These figures are illustrative, made up to show the layout.",
        "rate_pc": "Poverty rate (%)",
        "year": "Year",
        "series": "Poverty rate",
        "target_l": "Target",
        "start": "Programme start",
        "src": "Source: BPS Kabupaten Jepara; DTKS (illustrative)",
        "above_l": "Above the target",
        "below_l": "At or below the target",
        "village": "Village",
        "kecamatan": "Kecamatan",
        "agency": "Agency",
        "mentor": "Mentor",
        "change": "Change (pp)",
        "gap": "Gap to target (pp)",
        "baseline": "Baseline",
        "now": "{year}",
        "mean": "Mean change",
        "paired_l": "Paired",
        "unpaired_l": "Unpaired",
        "dumbbell": "Each pairing: baseline to {year}",
        "activities_n": "Activities",
        "budget": "Budget",
        "spent": "Spent",
        "realised": "Realisation (%)",
        "reported": "Reported",
        "since": "Paired since",
        "note": "Note",
        "caption_trend": "The dotted line marks the start of the programme (13 October 2021).",
        "sign_title": "Head of Bappeda Kabupaten Jepara",
        "attention": "What needs attention",
    },
    "id": {
        "title": "1 OPD 1 Desa Dampingan: hasil tahun {year}",
        "subtitle": "Bappeda Kabupaten Jepara · Kabupaten Jepara · angka kemiskinan",
        "key": "Angka utama",
        "rate": "Angka kemiskinan kabupaten",
        "above": "Desa di atas target",
        "paired": "Desa yang didampingi OPD",
        "target": "target {t} %",
        "of": "dari {n} desa",
        "sentence": "Pada tahun {year} angka kemiskinan Kabupaten Jepara adalah {rate} %, di atas target {t} %. "
        "Sebanyak {above} desa berada di atas target; {paired} di antaranya didampingi OPD.",
        "trend": "Angka kemiskinan kabupaten per tahun",
        "kec": "Kecamatan",
        "villages": "Desa di atas target",
        "scorecard": "Kartu skor pendampingan",
        "activities": "Kegiatan dan anggaran per OPD",
        "sources": "Sumber",
        "illustrative": "Angka-angka ini hanya ilustrasi untuk menunjukkan tata letak.",
        "rate_pc": "Persentase penduduk miskin (%)",
        "year": "Tahun",
        "series": "Angka kemiskinan",
        "target_l": "Target",
        "start": "Awal program",
        "src": "Sumber: BPS Kabupaten Jepara; DTKS (ilustrasi)",
        "above_l": "Di atas target",
        "below_l": "Pada atau di bawah target",
        "village": "Desa",
        "kecamatan": "Kecamatan",
        "agency": "OPD",
        "mentor": "OPD pendamping",
        "change": "Perubahan (poin)",
        "gap": "Selisih dari target (poin)",
        "baseline": "Awal",
        "now": "{year}",
        "mean": "Rata-rata perubahan",
        "paired_l": "Didampingi",
        "unpaired_l": "Tidak didampingi",
        "dumbbell": "Setiap pendampingan: awal ke {year}",
        "activities_n": "Kegiatan",
        "budget": "Anggaran",
        "spent": "Realisasi belanja",
        "realised": "Realisasi (%)",
        "reported": "Sudah melapor",
        "since": "Didampingi sejak",
        "note": "Catatan",
        "caption_trend": "Garis titik-titik menandai awal program (13 Oktober 2021).",
        "sign_title": "Kepala Bappeda Kabupaten Jepara",
        "attention": "Yang perlu perhatian",
    },
}


def build(lang: str, villages: int, year: int = 2023) -> object:
    """A sample Document with every kind of block."""
    sys.path.insert(0, str(ROOT / "src"))
    from opd_desa.documents import page as p

    w = WORDS[lang]
    rng = random.Random(20231013)
    target = 8.0
    names = [
        f"{rng.choice(('Sowan', 'Tulakan', 'Bondo', 'Jinggotan', 'Blingoh', 'Kunir', 'Sumberrejo'))} "
        f"{rng.choice(('Kidul', 'Lor', 'Wetan', 'Kulon', 'Tengah', ''))}".strip()
        + f" {i + 1}"
        for i in range(villages)
    ]
    rates = [max(1.0, rng.gauss(8.5, 3.0)) for _ in names]
    kec_of = [rng.choice(KECAMATAN) for _ in names]
    above = [i for i, r in enumerate(rates) if r > target]
    mentor = {i: AGENCIES[k % len(AGENCIES)] for k, i in enumerate(above[: len(AGENCIES) * 3])}
    area = 8.37
    fmt = (lambda x: f"{x:.2f}".replace(".", ",")) if lang == "id" else (lambda x: f"{x:.2f}")
    kec_rates = [
        sum(r for r, k in zip(rates, kec_of, strict=True) if k == name) / max(1, kec_of.count(name))
        for name in KECAMATAN
    ]
    paired = sorted(mentor)
    blocks: list[p.Block] = [
        p.KeyFigures(
            (
                p.KeyFigure(w["rate"], f"{fmt(area)} %", w["target"].format(t=fmt(target))),
                p.KeyFigure(w["above"], str(len(above)), w["of"].format(n=villages)),
                p.KeyFigure(w["paired"], str(len(paired)), w["of"].format(n=len(above))),
            )
        ),
        p.Paragraph(
            w["sentence"].format(year=year, rate=fmt(area), t=fmt(target), above=len(above), paired=len(paired))
        ),
        p.Heading(w["trend"]),
        p.Chart(
            p.TrendChart(
                w["trend"],
                (2018, 2019, 2020, 2021, 2022, 2023),
                (7.0, 6.66, 7.17, 7.44, 6.88, area),
                w["series"],
                w["rate_pc"],
                w["year"],
                w["src"],
                target,
                w["target_l"],
                (p.Mark(dt.date(2021, 10, 13), w["start"]),),
                lang,
            ),
            w["caption_trend"],
        ),
        p.Heading(w["kec"]),
        p.Chart(
            p.BarChart(
                w["kec"],
                KECAMATAN,
                tuple(kec_rates),
                w["series"],
                w["rate_pc"],
                w["kecamatan"],
                w["src"],
                target,
                w["target_l"],
                w["above_l"],
                w["below_l"],
                lang=lang,
            )
        ),
        p.Table(
            (p.Column(w["kecamatan"]), p.Column(w["rate_pc"], "percent"), p.Column(w["gap"], "points")),
            tuple((k, r, r - target) for k, r in zip(KECAMATAN, kec_rates, strict=True)),
        ),
        p.Heading(w["villages"]),
        p.Chart(
            p.BarChart(
                w["villages"],
                tuple(names[i] for i in above),
                tuple(rates[i] for i in above),
                w["series"],
                w["rate_pc"],
                w["village"],
                w["src"],
                target,
                w["target_l"],
                w["above_l"],
                w["below_l"],
                sort=True,
                lang=lang,
            )
        ),
        p.Table(
            (
                p.Column(w["village"]),
                p.Column(w["kecamatan"]),
                p.Column(w["rate_pc"], "percent"),
                p.Column(w["gap"], "points"),
                p.Column(w["mentor"]),
                p.Column(w["since"], "date"),
            ),
            tuple(
                (
                    names[i],
                    kec_of[i],
                    rates[i],
                    rates[i] - target,
                    mentor.get(i),
                    dt.date(2021, 10, 13) if i in mentor else None,
                )
                for i in sorted(above, key=lambda i: -rates[i])
            ),
        ),
        p.Heading(w["scorecard"]),
        p.Chart(
            p.PairingChart(
                w["dumbbell"].format(year=year),
                tuple(names[i] for i in paired),
                tuple(rates[i] + rng.uniform(-0.5, 2.5) for i in paired),
                tuple(rates[i] for i in paired),
                w["baseline"],
                w["now"].format(year=year),
                w["rate_pc"],
                w["src"],
                w["mean"],
                w["change"],
                w["paired_l"],
                w["unpaired_l"],
                -1.12,
                -0.31,
                lang,
            )
        ),
        p.Heading(w["activities"]),
        p.Table(
            (
                p.Column(w["agency"]),
                p.Column(w["activities_n"], "int"),
                p.Column(w["budget"], "money"),
                p.Column(w["spent"], "money"),
                p.Column(w["realised"], "percent"),
                p.Column(w["reported"], "bool"),
                p.Column(w["note"]),
            ),
            tuple(
                (
                    a,
                    rng.randint(0, 14),
                    b,
                    s,
                    100 * s / b,
                    rng.random() > 0.3,
                    "=SUM(A1:A9) dicatat apa adanya" if k == 0 else "",
                )
                for k, a in enumerate(AGENCIES)
                for b, s in [(rng.randint(5, 900) * 1_000_000, rng.randint(1, 5) * 1_000_000)]
            ),
        ),
        p.Heading(w["sources"], 2),
        p.Paragraph(w["src"]),
        p.Paragraph(w["illustrative"]),
        p.Signature(
            "Jepara",
            dt.date(2026, 12, 1),
            w["sign_title"],
            "Dr. Ir. Contoh Nama Pejabat, M.Si.",
            "19700101 199503 1 001",
        ),
    ]
    return p.Document(
        w["title"].format(year=year),
        lang,
        tuple(blocks),
        w["subtitle"],
        "Bappeda Kabupaten Jepara · opd-desa",
        (w["src"].split(": ", 1)[1],),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "id"))
    parser.add_argument("--villages", type=int, default=195)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from opd_desa.documents.html import write_html
    from opd_desa.documents.page import Document
    from opd_desa.documents.pdf import write_pdf
    from opd_desa.documents.workbook import write_xlsx

    document = build(args.lang, args.villages)
    assert isinstance(document, Document)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"brief-{args.lang}"
    write_pdf(document, args.out / f"{stem}.pdf")
    write_html(document, args.out / f"{stem}.html")
    write_xlsx(document, args.out / f"{stem}.xlsx")
    print(f"written {stem}.pdf, {stem}.html, {stem}.xlsx to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
