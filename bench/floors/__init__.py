"""Floors: the same work as an `opd-desa` command, done by hand with no checks, each a script the
benchmark times beside the command (see bench/run.py)."""
