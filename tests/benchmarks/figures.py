"""The figures every benchmark records, so one run can print them as one table and write them as JSON.

A benchmark calls `record()` for each figure it measures, with the baseline it
measured in the same run (ratios are what count on a shared machine) and, when
issue "speed" sets one, the target ratio. The runner (`python -m tests.benchmarks`)
collects them; a benchmark run on its own still prints its own lines.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    bench: str
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: float | None = None  # the ratio to stay at or under
    size: str = ""  # what it ran on, its number first (100,000 members ...): the growth table compares them
    per_unit: bool = False  # a figure per sheet, per page ...: linear growth of the whole keeps it flat
    notes: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        r = self.ratio
        if self.target is None:
            return None
        return (r if r is not None else self.value) <= self.target

    def as_json(self) -> dict:
        return asdict(self) | {"ratio": self.ratio, "met": self.met}


RESULTS: list[Figure] = []


def from_json(d: dict) -> Figure:
    """A figure as Figure.as_json wrote it (older files lack the newer fields)."""
    return Figure(**{k: d[k] for k in Figure.__dataclass_fields__ if k in d})


def record(bench: str, name: str, value: float, unit: str, baseline: float | None = None,
           baseline_name: str = "", target: float | None = None, size: str = "", *, per_unit: bool = False,
           **notes) -> Figure:
    f = Figure(bench, name, value, unit, baseline, baseline_name, target, size, per_unit, notes)
    RESULTS.append(f)
    return f


def _num(v: float | None, unit: str) -> str:
    if v is None:
        return ""
    if unit == "s":
        return f"{v:.2f} s" if v >= 1 else f"{v * 1000:.1f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:,.3g} {unit}".strip()


def table(figures: list[Figure], scale: int = 1) -> str:
    """Figure, baseline and ratio for every recorded figure, as a plain-text table.

    The targets are set for the 1x sizes: at a larger scale they are shown for reference, without a
    verdict (the growth table, with --against, is that run's verdict)."""
    head = ("benchmark", "figure", "value", "baseline", "ratio", "target")
    lines = []
    for f in figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        target = ""
        if f.target is not None:
            target = f"<= {f.target:g}{'x' if f.ratio is not None else ' ' + f.unit}"
            target = f"(at 1x: {target})" if scale > 1 else target + ("  ok" if f.met else "  MISSED")
        base = _num(f.baseline, f.unit)
        if f.baseline_name and base:
            base = f"{base} ({f.baseline_name})"
        name = f"{f.name} [{f.size}]" if f.size else f.name
        lines.append((f.bench, name, _num(f.value, f.unit), base, ratio, target))
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]

    def fmt(r) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()

    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in lines)])


def size_number(size: str) -> float | None:
    """The leading number of a size ("2,000,000 entries" -> 2000000.0), None when it has none."""
    m = re.match(r"\s*([\d,]+(?:\.\d+)?)", size or "")
    return float(m.group(1).replace(",", "")) if m else None


def growth(before: dict, after: list[Figure], scale_ratio: float) -> str:
    """Each figure of this run against the same figure of a smaller run (`before`: its JSON), as a table.

    A figure's size grew by the ratio of the leading numbers of its two sizes (the runs' scale
    ratio where a size has no number); linear growth is that ratio for a whole (an import, a
    read) and 1 for a per-unit figure (per sheet, per page). `vs linear` is growth over linear:
    1.00 is linear, below is better, above 1.3 grows faster than linearly. Where the figure has
    a baseline measured in the same run, its ratio to it at both sizes is shown too: on a loaded
    machine a flat ratio to a linear baseline is the steadier evidence, and a figure that grows
    faster than linearly while that ratio stays within 10% grows "as its baseline" (the import
    beside raw executemany of the same rows: the database's own storage grows so).
    """
    old = {(f["bench"], f["name"]): f for f in before["figures"]}
    head = ("benchmark", "figure", "size", "value", "grew", "linear", "vs linear", "ratio to baseline", "verdict")
    rows, notes = [], []
    for f in after:
        was = old.get((f.bench, f.name))
        if not was or not was["value"] or f.unit not in ("s", "MB"):
            continue
        a, b = size_number(was.get("size", "")), size_number(f.size)
        size_ratio = b / a if a and b else scale_ratio
        linear = 1.0 if f.per_unit or was.get("per_unit") else size_ratio
        grew = f.value / was["value"]
        over = grew / linear
        verdict = ("better than linear" if over < 0.8 else "linear" if over <= 1.1
                   else "about linear (noise?)" if over <= 1.3 else "FASTER THAN LINEAR")
        ratio = ""
        if was.get("ratio") and f.ratio:
            ratio = f"{was['ratio']:.2f}x -> {f.ratio:.2f}x"
            if over > 1.3 and f.ratio / was["ratio"] <= 1.1:
                # The baseline (raw storage of the same rows, say) grew as much: the growth is the storage's.
                verdict += ", as its baseline"
        sizes = f"{_short(a)} -> {_short(b)}" if a and b else f"x{scale_ratio:g}"
        rows.append((f.bench, f.name, sizes, f"{_num(was['value'], f.unit)} -> {_num(f.value, f.unit)}",
                     f"x{grew:.2f}", f"x{linear:g}" + (" (per unit)" if linear == 1 and size_ratio != 1 else ""),
                     f"{over:.2f}", ratio, verdict))
        if over > 1.3:
            notes.append(f"{f.bench}: {f.name}" + (" (as its baseline)" if verdict.endswith("baseline") else ""))
    if not rows:
        return "no figure of this run is in the earlier run's JSON"
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()

    lines = [fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]
    if notes:
        lines.append("faster than linear: " + "; ".join(notes))
    return "\n".join(lines)


def _short(n: float) -> str:
    return f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" if n >= 1e4 else f"{n:g}"
