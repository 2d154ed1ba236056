"""Charts of the справка as PNG pictures (matplotlib, Agg, no pyplot state): bars for choices,
stacked bars for yes/no shares, an indicator by school with its norm, paired bars for dynamics.

Labels are in DejaVu Sans, which ships with matplotlib and has the Cyrillic and the Sakha
letters (ҕ ҥ ө һ ү); figures are written as Russians write them (app/reports/rounding.py)."""

import io
import textwrap
from decimal import Decimal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from app.reports.rounding import PERCENT, figure_text, value_places

WIDTH_IN, DPI, BAR_IN = 6.3, 150, 0.4
FONT = {"font.family": "DejaVu Sans", "font.size": 10, "axes.unicode_minus": False}
BLUE, RED, GREY, DARK = "#3b6ea8", "#c0392b", "#b9c3cf", "#222222"
MOST_BARS = 40  # more schools than this: a histogram reads better than a bar per school
LABEL_CHARS = 38


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(str(text), LABEL_CHARS, max_lines=2, placeholder="…"))


def _render(draw, bars: int) -> io.BytesIO:
    with matplotlib.rc_context(FONT):
        figure = Figure(figsize=(WIDTH_IN, max(1.6, 0.7 + BAR_IN * bars)), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        draw(axes)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.tight_layout()
        image = io.BytesIO()
        figure.savefig(image, format="png", dpi=DPI)
    image.seek(0)
    return image


def _axis_numbers(axes, places: int) -> None:
    def tick(value, _):
        number = Decimal(str(round(value, 6)))
        return figure_text(number, value_places(number, places))

    axes.xaxis.set_major_formatter(tick)


def choice_bars(
    options: list[tuple[str, int, object]], axis_title: str = "Число организаций"
) -> io.BytesIO:
    """Horizontal bars of ``(label, count, percent)``, the most chosen on top."""
    rows = sorted(options, key=lambda option: option[1])

    def draw(axes):
        bars = axes.barh([_label(label) for label, *_ in rows], [c for _, c, _ in rows], color=BLUE)
        axes.bar_label(bars, [f"{c} ({figure_text(p, PERCENT)} %)" for _, c, p in rows], padding=3)
        axes.set_xlabel(axis_title)
        axes.margins(x=0.3)  # room for «12 (40,0 %)» beyond the longest bar
        axes.xaxis.get_major_locator().set_params(integer=True)

    return _render(draw, len(rows))


def yes_no_bars(questions: list[tuple[str, int, int]]) -> io.BytesIO:
    """A stacked 100 % bar per yes/no question ``(label, yes, no)``, in their order."""
    rows = list(reversed(questions))
    labels = [_label(label) for label, *_ in rows]
    yes = [100 * y / ((y + n) or 1) for _, y, n in rows]

    def draw(axes):
        axes.barh(labels, yes, color=BLUE, label="да")
        axes.barh(labels, [100 - share for share in yes], left=yes, color=GREY, label="нет")
        for index, (share, (_, y, n)) in enumerate(zip(yes, rows, strict=True)):
            if y:
                axes.text(share / 2, index, f"{y} ({figure_text(share, PERCENT)} %)",
                          ha="center", va="center", color="white")  # fmt: skip
            if n:
                axes.text((100 + share) / 2, index, str(n), ha="center", va="center", color=DARK)
        axes.set_xlim(0, 100)
        axes.set_xlabel("% организаций, ответивших на вопрос")
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1), ncols=2, frameon=False)

    return _render(draw, len(rows) + 1)


def school_bars(schools, norm, outside, places: int, unit: str) -> io.BytesIO:
    """An indicator by school ``[(name, value)]``, sorted, the norm as a line and the schools
    ``outside`` it in red; beyond MOST_BARS schools, a histogram of the values."""
    known = sorted((row for row in schools if row[1] is not None), key=lambda row: row[1])
    if len(known) > MOST_BARS:
        return _histogram([float(value) for _, value in known], norm, places, unit)
    outside = set(outside)

    def draw(axes):
        values = [float(value) for _, value in known]
        colors = [RED if name in outside else BLUE for name, _ in known]
        bars = axes.barh([_label(name) for name, _ in known], values, color=colors)
        axes.bar_label(bars, [figure_text(value, places) for _, value in known], padding=3)
        _norm_line(axes, norm, places)
        axes.set_xlabel(unit or "Значение")
        axes.margins(x=0.15)
        _axis_numbers(axes, places)

    return _render(draw, len(known))


def _norm_line(axes, norm, places: int) -> None:
    if norm is not None:
        label = f"норма {figure_text(norm, value_places(norm, places))}"
        axes.axvline(float(norm), color=RED, linestyle="--", label=label)
        axes.legend(loc="lower right", frameon=False)


def _histogram(values: list[float], norm, places: int, unit: str) -> io.BytesIO:
    def draw(axes):
        axes.hist(values, bins=20, color=BLUE, edgecolor="white")
        _norm_line(axes, norm, places)
        axes.set_xlabel(unit or "Значение")
        axes.set_ylabel("Число организаций")
        _axis_numbers(axes, places)

    return _render(draw, 8)


def paired_bars(rows: list[tuple[str, float, float, int]], before: str, now: str) -> io.BytesIO:
    """Dynamics: for each ``(label, earlier, current, places)`` two bars, earlier and current."""
    rows = list(reversed(rows))
    positions = range(len(rows))

    def draw(axes):
        for shift, index, color, name in ((0.2, 1, GREY, before), (-0.2, 2, BLUE, now)):
            values = [float(row[index]) for row in rows]
            bars = axes.barh([p + shift for p in positions], values, 0.4, color=color, label=name)
            labels = [figure_text(row[index], row[3]) for row in rows]
            axes.bar_label(bars, labels, padding=3)
        axes.set_yticks(list(positions), [_label(row[0]) for row in rows])
        axes.margins(x=0.15)
        axes.set_xticks([])
        axes.spines["bottom"].set_visible(False)
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1), ncols=2, frameon=False)

    return _render(draw, 2 * len(rows) + 1)
