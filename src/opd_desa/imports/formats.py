"""The file kinds: their columns (canonical name first, then the header texts that mean it).

One home for the file formats: `import` reads these columns and `export` writes them. Kept free of
the readers so that commands (and `export`) load it without them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A column the caller understands: its canonical name and the other header texts that mean it."""

    name: str
    aliases: tuple[str, ...] = ()


_VILLAGE = Field("village", ("desa", "kode_desa", "nama_desa", "kode", "kelurahan"))
_KECAMATAN = Field("kecamatan", ("district", "nama_kecamatan"))
_AGENCY = Field("agency", ("opd", "kode_opd", "nama_opd", "perangkat_daerah"))

FIELDS: dict[str, tuple[Field, ...]] = {
    "villages": (
        Field("code", ("kode", "kode_desa", "kode_wilayah")),
        Field("name", ("nama", "nama_desa", "desa", "kelurahan")),
        _KECAMATAN,
        Field("kind", ("jenis", "status")),
        Field("postal_code", ("kode_pos",)),
        Field("population", ("penduduk", "jumlah_penduduk")),
    ),
    "agencies": (
        Field("code", ("kode", "singkatan")),
        Field("name", ("nama", "nama_opd", "opd")),
        Field("aliases", ("alias",)),
        Field("head", ("kepala",)),
        Field("contact", ("kontak", "narahubung", "contact_person")),
        Field("phone", ("telepon", "telp", "no_telp", "hp", "no_hp", "whatsapp", "wa")),
        Field("email", ("e-mail", "surel", "e_mail")),
    ),
    "poverty": (
        _VILLAGE,
        _KECAMATAN,
        Field("year", ("tahun",)),
        Field("rate", ("persen", "persentase", "tingkat_kemiskinan")),
        Field("poor", ("penduduk_miskin", "jumlah_miskin", "jumlah_penduduk_miskin")),
        Field("population", ("penduduk", "jumlah_penduduk")),
        Field("source", ("sumber",)),
    ),
    "pairings": (
        _VILLAGE,
        _KECAMATAN,
        _AGENCY,
        Field("since", ("mulai", "tanggal_mulai")),
        Field("until", ("selesai", "tanggal_selesai")),
        Field("decree", ("sk", "no_sk")),
        Field("reason", ("alasan",)),
        Field("note", ("keterangan",)),
    ),
    "targets": (
        Field("year", ("tahun",)),
        Field("rate", ("target", "persen", "value", "nilai")),
        Field("source", ("sumber",)),
        Field("measure", ("ukuran", "indikator")),  # optional: poverty when absent
    ),
    "activities": (
        _VILLAGE,
        _KECAMATAN,
        _AGENCY,
        Field("date", ("tanggal",)),
        Field("kind", ("jenis", "kategori")),
        Field("title", ("kegiatan", "nama_kegiatan")),
        Field("budget", ("anggaran", "pagu")),
        Field("spent", ("realisasi",)),
        Field("households", ("kk", "jumlah_kk")),
        Field("beneficiaries", ("penerima_manfaat", "sasaran", "jiwa")),
        Field("source", ("sumber_dana",)),
        Field("note", ("keterangan",)),
    ),
    "figures": (
        Field("village", ("desa", "kode_desa", "kode", "kelurahan")),
        Field("village_name", ("nama_desa",)),
        Field("region", ("kode_wilayah", "wilayah")),
        _KECAMATAN,
        Field("year", ("tahun",)),
        Field("measure", ("ukuran", "indikator")),
        Field("value", ("nilai",)),
        Field("count", ("jumlah", "jumlah_miskin", "jumlah_penduduk_miskin")),
        Field("population", ("penduduk", "jumlah_penduduk")),
        Field("source", ("sumber", "sumber_data")),
        Field("persen_miskin", ("persentase_penduduk_miskin", "persen_penduduk_miskin")),
        Field("persen_miskin_ekstrem", ("miskin_ekstrem", "persentase_penduduk_miskin_ekstrem")),
        Field("idm", ("nilai_idm",)),
        Field("status_idm", ("status",)),
        Field("iks", ()),
        Field("ike", ()),
        Field("ikl", ()),
    ),
}
KINDS = tuple(FIELDS)

REQUIRED: dict[str, tuple[str, ...]] = {
    "villages": ("code",),
    "agencies": ("code", "name"),
    "poverty": ("village", "year", "rate"),
    "pairings": ("village", "agency", "since"),
    "targets": ("year", "rate"),
    "activities": ("village", "date", "kind", "title"),
    "figures": (),  # which columns a figures file needs depends on its shape (imports.figures)
}


def missing_columns(
    kind: str, columns: dict[str, int] | set[str], year_columns: list[tuple[int, int]], *, year_given: bool = False
) -> list[str]:
    """The required columns of `kind` a header lacks: a wide poverty sheet needs no year or rate, a
    poverty sheet with poor and population no rate, and one read with `--year` no year."""
    missing = [name for name in REQUIRED[kind] if name not in columns]
    if kind == "poverty":
        if year_columns:
            missing = [m for m in missing if m not in ("year", "rate")]
        if "rate" in missing and "poor" in columns and "population" in columns:
            missing.remove("rate")
        if year_given and "year" in missing:
            missing.remove("year")
    return missing
