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
        Field("until", ("selesai",)),
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
