"""opd-desa: the books of the "1 OPD 1 Desa Dampingan" poverty-mentoring programme."""

__version__ = "0.1.0"
