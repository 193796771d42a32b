"""`opd-desa import KIND FILE`: read a CSV file or worksheet of one of the six kinds, all or nothing.

Layout, in the order data flows:

- `service.py`     `import_file()`: opens the file, checks its header, runs the kind's handler in
                   one transaction and rolls it back on a dry run or any row error.
- `formats.py`     the six file formats (`FIELDS`, `REQUIRED`): columns and the header texts that
                   mean them; `export` writes the same columns.
- `source.py`      the `Source` protocol both readers satisfy, and `UnreadableFile`.
- `csvfile.py`     CSV as Excel writes it (`open_table`), with `textencoding.py` (UTF-8 or
                   Windows-1252) and `header.py` (header text -> field, the header row among the
                   first ten, a totals row at the bottom; shared with workbooks).
- `filekind.py`    what a file really is by its first bytes (a misnamed file gets one line), and the
                   unpacked size of a zip workbook.
- `workbook.py`    a worksheet of .xlsx/.xlsm/.xls/.ods (`open_sheet`) read whole through
                   python-calamine, typed cells turned into the text parsers read; `xlsxcells.py`
                   and `odscells.py` find the percent cells and the filled block calamine does not tell.
- `withyear.py`    a poverty sheet without a year column read with `--year`.
- `rows.py`        the plumbing every kind shares: `ImportSummary`, `RowError`, `RowProblem`,
                   `cell`/`required`/`blame`, and `Seen` for keys repeated within a file.
- `villages.py`, `agencies.py`, `pairings.py`, `activities.py`, `targets.py`: one row handler per
  kind, `(conn, summary, rows)`.
- `poverty.py`     poverty figures as batched upserts; `povertyreader.py` parses them (in a second
                   process for a large file) from the raw cells.

Importing this package loads nothing: commands that only need `formats.KINDS` stay fast.
"""
