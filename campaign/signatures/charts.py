"""Charts drawn on the server as SVG, so that they need no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_TOP, PAD_BOTTOM = 640, 200, 16, 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


def daily_series(by_day: dict[str, int], until: date, days: int = 60) -> list[tuple[date, int]]:
    """Counts for each of the last `days` days up to `until`, zero where nothing was signed."""
    start = until - timedelta(days=days - 1)
    return [(start + timedelta(n), by_day.get((start + timedelta(n)).isoformat(), 0))
            for n in range(days)]


def bars_for(series: list[tuple[date, int]]) -> tuple[list[Bar], int]:
    peak = max((count for _day, count in series), default=0) or 1
    slot = WIDTH / max(len(series), 1)
    usable = HEIGHT - PAD_TOP - PAD_BOTTOM
    bars = []
    for index, (day, count) in enumerate(series):
        height = usable * count / peak
        bars.append(Bar(x=round(index * slot + 1, 2), y=round(HEIGHT - PAD_BOTTOM - height, 2),
                        width=round(max(slot - 2, 1), 2), height=round(height, 2),
                        label=f"{day.isoformat()}: {count}"))
    return bars, peak


def signatures_per_day_svg(series: list[tuple[date, int]], title: str) -> Markup:
    bars, peak = bars_for(series)
    rects = "".join(
        f'<rect x="{b.x}" y="{b.y}" width="{b.width}" height="{b.height}" fill="#0b5394">'
        f"<title>{escape(b.label)}</title></rect>"
        for b in bars
    )
    first = series[0][0].isoformat() if series else ""
    last = series[-1][0].isoformat() if series else ""
    axis = (f'<line x1="0" y1="{HEIGHT - PAD_BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - PAD_BOTTOM}" '
            f'stroke="#555"/>'
            f'<text x="0" y="{HEIGHT - 6}" font-size="12" fill="#333">{first}</text>'
            f'<text x="{WIDTH}" y="{HEIGHT - 6}" font-size="12" fill="#333" '
            f'text-anchor="end">{last}</text>'
            f'<text x="0" y="12" font-size="12" fill="#333">{peak}</text>')
    # Every interpolated value is a number or escaped above.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart">{rects}{axis}</svg>'
    )
