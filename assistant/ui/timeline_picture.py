"""The picture of a brief's timeline: events on a date axis, each labelled with its [n] and a few
words, and the topic's articles per week below (over the period of the events).  Drawn with
matplotlib, 1400 px wide.

Labels never overlap: they are laid out on rows above the axis, each label on the lowest row
where its measured width (in pixels, by the renderer that draws it) leaves a gap to the labels
already there, with a thin line down to its event (a label's white box hides the lines of the
labels above it that rise past).  A label whose event is near an edge is
aligned to that side so it stays inside the picture.  The picture grows taller with the rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Sequence

from assistant.briefing import Brief, BriefPoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

WIDTH_PX = 1400
DPI = 100
FONT_PT = 9
ROW_PT = 17  # one row of labels
GAP_PX = 10  # the least space between two labels on a row


def timeline_figure(brief: Brief) -> "Figure":
    """Events above (a dot per day, a bar per week/month/year; filled when the text dates the
    event, hollow when only publication does), labelled "[n] a few words"; weekly coverage below."""
    import matplotlib

    matplotlib.use("Agg")  # no display: render to an image
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    points = sorted((p for p in brief.timeline if p.date), key=lambda p: span(p.date, p.precision))
    rows = max(1, len(points))  # the most rows a layout can need; trimmed below
    figure = Figure(figsize=(WIDTH_PX / DPI, _height(rows)), dpi=DPI)
    FigureCanvasAgg(figure)
    events, weeks = figure.subplots(2, 1, sharex=True, height_ratios=[_events_height(rows), 1.4])
    figure.subplots_adjust(left=0.05, right=0.98, top=0.94, bottom=0.12, hspace=0.08)
    # The events set the period shown; coverage outside it (older mentions of the topic) is cut off.
    days = [d for p in points for d in span(p.date, p.precision)] or [date.fromisoformat(w.week) for w in brief.coverage]
    if days:
        first, last = min(days), max(days)
        pad = timedelta(days=max(2, (last - first).days // 25))
        events.set_xlim(first - pad, last + pad + timedelta(days=1))
    labels = []
    for point in points:
        start, end = span(point.date, point.precision)
        filled = point.date_basis == "text"
        colour = "#1f5fbf" if filled else "#7a8699"
        if end > start:
            events.plot([start, end], [0, 0], color=colour, linewidth=6, alpha=0.55, solid_capstyle="butt")
        events.plot([start], [0], marker="o", markersize=7, color=colour, markerfacecolor=colour if filled else "white")
        labels.append(
            events.annotate(
                label_text(point), (start, 0), xytext=(0, 12), textcoords="offset points", ha="center", va="bottom",
                fontsize=FONT_PT, color="#1d2733", bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                arrowprops={"arrowstyle": "-", "color": "#a5adba", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 4},
            )  # fmt: skip
        )
    used = layout_labels(figure, labels)
    figure.set_size_inches(WIDTH_PX / DPI, _height(used))
    events.get_gridspec().set_height_ratios([_events_height(used), 1.4])
    events.set_ylim(-0.25, 1.0)
    events.set_yticks([])
    for side in ("left", "right", "top"):
        events.spines[side].set_visible(False)
    events.set_title(f"Timeline: {brief.topic}", fontsize=11, loc="left")
    events.grid(axis="x", alpha=0.3)
    if brief.coverage:
        weeks.bar([date.fromisoformat(w.week) for w in brief.coverage], [w.articles for w in brief.coverage],
                  width=6, align="edge", color="#9bb7e0")  # fmt: skip
    weeks.set_ylabel("articles / week", fontsize=8)
    weeks.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    layout_labels(figure, labels)  # again at the final size: the axes moved with it
    return figure


def label_text(point: BriefPoint) -> str:
    """"[3] Air Force jet shot down": the line's first source number and its event label."""
    number = f"[{point.citations[0]}]" if point.citations else ""
    return f"{number} {point.label}".strip()


def layout_labels(figure: "Figure", labels: Sequence["Annotation"]) -> int:
    """Put each label on the lowest row where it overlaps no other (widths measured by the
    renderer); returns the number of rows used."""
    if not labels:
        return 1
    from matplotlib.text import Text

    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    left, right = (figure.bbox.x0 + 4, figure.bbox.x1 - 4)
    taken: list[list[tuple[float, float]]] = []
    for label in labels:
        label.set_horizontalalignment("center")
        label.set_position((0, 12))
        axes = label.axes
        x = axes.transData.transform((axes.convert_xunits(label.xy[0]), 0.0))[0]  # type: ignore[union-attr]
        width = Text.get_window_extent(label, renderer).width  # the words, not the leader line
        lo, hi = x - width / 2, x + width / 2
        if lo < left:
            label.set_horizontalalignment("left")
            lo, hi = x - 6, x - 6 + width
            label.set_position((-6, 12))
        elif hi > right:
            label.set_horizontalalignment("right")
            lo, hi = x + 6 - width, x + 6
            label.set_position((6, 12))
        row = next((i for i, spans in enumerate(taken) if all(hi + GAP_PX <= a or lo - GAP_PX >= b for a, b in spans)), len(taken))
        if row == len(taken):
            taken.append([])
        taken[row].append((lo, hi))
        dx = label.get_position()[0]
        label.set_position((dx, 12 + row * ROW_PT))
        label.set_zorder(10 - row)  # a lower label is drawn later: its white box hides the lines rising past it
    return len(taken)


def span(iso: str, precision: str) -> tuple[date, date]:
    """First and last day of a timeline date at its precision ("2017-03" -> March 1..31)."""
    if precision == "year":
        return date(int(iso), 1, 1), date(int(iso), 12, 31)
    if precision == "month":
        first = date.fromisoformat(iso + "-01")
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    day = date.fromisoformat(iso)
    return day, day + timedelta(days=6) if precision == "week" else day


def _events_height(rows: int) -> float:
    """Inches for the events panel: its axis sits at a fifth of its height (y from -0.25 to 1),
    the rows of labels above it."""
    return (24 + rows * ROW_PT) / 72 / 0.8 + 0.15


def _height(rows: int) -> float:
    return _events_height(rows) + 1.4 + 1.1
