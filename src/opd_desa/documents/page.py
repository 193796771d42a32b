"""The page model every document is built from: plain dataclasses, no rendering.

A document (the brief, the decree annex, a report) is a list of blocks; the PDF, HTML
and workbook renderers each turn the same list into their format, so that what the
Bupati reads on paper and what an officer edits in a spreadsheet say the same thing.
Every word in a block is already translated (a chart's `lang` writes its numbers: 6,60 in
Indonesian); the renderers add only page furniture (page numbers, yes/no, units), in the
document's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "int", "percent", "points", "score", "score_points", "money", "date", "bool"]
"""How a column's values are written: counts, rates (%), changes (percentage points), scores such as
the IDM's (four decimals) and their changes, Rupiah, dates, yes/no."""

Cell = str | int | float | bool | dt.date | None


@dataclass(frozen=True)
class Column:
    """A table column: its header (already translated) and the kind of its values."""

    header: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 starts a section (a sheet in the workbook)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    text: str


@dataclass(frozen=True)
class Table:
    """Rows under column headers; `title` names the table (the workbook's sheet when no heading does)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""


@dataclass(frozen=True)
class Mark:
    """A day marked on a chart by year: the programme's start, or the start of a village's pairing."""

    when: dt.date
    label: str


@dataclass(frozen=True)
class TrendChart:
    """An area's (or a village's) figure by year, the target as a line, and days such as the programme start marked."""

    title: str
    years: tuple[int, ...]
    values: tuple[float | None, ...]
    series_label: str
    y_label: str
    x_label: str
    source: str
    target: float | None = None
    target_label: str = ""
    marks: tuple[Mark, ...] = ()
    lang: str = "en"


@dataclass(frozen=True)
class BarChart:
    """One bar per kecamatan or village against the target line; `sort` orders the bars highest first."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    series_label: str
    y_label: str
    x_label: str
    source: str
    target: float | None = None
    target_label: str = ""
    above_label: str = ""
    below_label: str = ""
    sort: bool = False
    lang: str = "en"


@dataclass(frozen=True)
class PairingChart:
    """Each pairing's baseline -> now (a dumbbell), beside the mean change of paired and unpaired villages."""

    title: str
    villages: tuple[str, ...]
    baseline: tuple[float, ...]
    now: tuple[float, ...]
    baseline_label: str
    now_label: str
    value_label: str
    source: str
    change_title: str
    change_label: str
    paired_label: str
    unpaired_label: str
    paired_change: float | None = None
    unpaired_change: float | None = None
    lang: str = "en"


ChartSpec = TrendChart | BarChart | PairingChart


@dataclass(frozen=True)
class Chart:
    """A chart with its caption (what it shows, in a sentence)."""

    spec: ChartSpec
    caption: str = ""


@dataclass(frozen=True)
class Picture:
    """A finished picture (a map) placed as it is: PNG or SVG bytes, its size in inches (for its
    shape on the page), a title for readers of the page's text, and a caption."""

    data: bytes
    format: Literal["png", "svg"]
    width: float
    height: float
    title: str = ""
    caption: str = ""

    @classmethod
    def from_png(cls, data: bytes, title: str = "", caption: str = "", dpi: float = 200.0) -> Picture:
        """A PNG picture, its size read from the file's header (IHDR) at `dpi`."""
        if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) < 24:
            raise ValueError("not a PNG picture")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return cls(data, "png", width / dpi, height / dpi, title, caption)


@dataclass(frozen=True)
class KeyFigure:
    """One figure worth a box of its own: a label, the value as written, and a line of context."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class KeyFigures:
    """The figures a reader should see first."""

    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Signature:
    """Place, date and the signatory block at the end of a document."""

    place: str
    date: dt.date | None  # None: not known yet, a dotted blank to fill in by hand
    title: str
    name: str
    nip: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page (a new sheet in the workbook does not follow from it)."""


Block = Heading | Paragraph | Table | Chart | Picture | KeyFigures | Signature | PageBreak


@dataclass(frozen=True)
class Document:
    """A whole document: title block, blocks in reading order, and what every page's foot says."""

    title: str
    lang: str
    blocks: tuple[Block, ...]
    subtitle: str = ""
    footer: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)
    logo: bytes | None = None
    """The office's logo (PNG or JPEG bytes), printed beside the title."""
    orientation: Literal["landscape", "portrait"] = "landscape"
    """How the A4 pages stand: landscape for wide tables (the default), portrait for a letter-like
    document such as the decree annex."""
    keep_together: bool = False
    """Set the blocks in plain flow, without moving a heading or a short table to the next page
    early, so that a short document (the annex: title, table, signature) stays on one page; where it
    does not fit, the last rows of a closing table go over with the signature, never the signature alone."""
