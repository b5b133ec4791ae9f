"""Charts drawn on the server as SVG geometry: no JavaScript, no chart library, print-safe.

The functions only compute coordinates; `templates/dashboards/_line_chart.html` and
`_bar_chart.html` draw them, each with a data table for screen readers.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: nothing to measure that month (no gap filled in)
    x: float
    y: float | None
    detail: str = ""


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[Point]
    segments: list[str]  # SVG path data, one per unbroken run of measured points
    grid: list[tuple[float, str]]  # (y, label)
    target_y: float | None
    target_label: str
    plot_left: int
    plot_bottom: int


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    length: float
    y: float
    over: bool  # past the reference value


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    bar_height: int
    label_width: int
    reference_x: float | None
    reference_label: str


LEFT, RIGHT, TOP, BOTTOM = 40, 24, 10, 28


def line_chart(
    series: list[tuple[str, float | None, str]],
    *,
    max_value: float = 100,
    target: float | None = None,
    target_label: str = "",
    width: int = 560,
    height: int = 200,
) -> LineChart:
    """A line over evenly spaced labels; gaps where a value is None."""
    plot_w = width - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    step = plot_w / max(len(series) - 1, 1)

    def y_of(value: float) -> float:
        return round(TOP + plot_h * (1 - min(value, max_value) / max_value), 1)

    points = [
        Point(
            label=label,
            value=value,
            x=round(LEFT + i * step, 1),
            y=None if value is None else y_of(value),
            detail=detail,
        )
        for i, (label, value, detail) in enumerate(series)
    ]
    segments, run = [], []
    for point in [*points, None]:
        if point is not None and point.y is not None:
            run.append(point)
            continue
        if run:
            segments.append(
                " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(run))
            )
        run = []
    grid = [(y_of(max_value * f), f"{round(max_value * f):g}") for f in (0, 0.25, 0.5, 0.75, 1)]
    return LineChart(
        width=width,
        height=height,
        points=points,
        segments=segments,
        grid=grid,
        target_y=None if target is None else y_of(target),
        target_label=target_label,
        plot_left=LEFT,
        plot_bottom=height - BOTTOM,
    )


def bar_chart(
    rows: list[tuple[str, float]],
    *,
    reference: float | None = None,
    reference_label: str = "",
    width: int = 560,
    bar_height: int = 22,
    label_width: int = 180,
) -> BarChart:
    """Horizontal bars scaled to the largest value or the reference, whichever is larger."""
    scale_max = max([value for _label, value in rows] + [reference or 0, 1])
    plot_w = width - label_width - 60
    bars = [
        Bar(
            label=label,
            value=value,
            length=round(plot_w * value / scale_max, 1),
            y=i * (bar_height + 8),
            over=reference is not None and value > reference,
        )
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(
        width=width,
        height=max(len(rows), 1) * (bar_height + 8) + 20,
        bars=bars,
        bar_height=bar_height,
        label_width=label_width,
        reference_x=None
        if reference is None
        else round(label_width + plot_w * reference / scale_max, 1),
        reference_label=reference_label,
    )
