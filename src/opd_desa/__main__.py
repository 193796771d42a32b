"""`python -m opd_desa` runs the command line."""

from opd_desa.cli.main import run

run()
