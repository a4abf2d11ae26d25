"""Label colours as an analyst with a colour-vision deficiency sees them, and how far apart
they look: the check that the default label colours stay distinguishable.

Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for
simulation of color vision deficiency", full severity (1.0), applied to linear RGB.
Difference: CIEDE2000 (ΔE00) in CIELAB under D65; about 2 is "just noticeable", above 10
two colours read as different at a glance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import combinations

RGB = tuple[float, float, float]

#: Machado et al. 2009, severity 1.0 (linear RGB -> linear RGB).
DEFICIENCIES: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
#: Who the check covers: normal vision and the deficiencies the issue names (tritanopia,
#: rarer, is simulated too but not required).
VISIONS = ("normal", "protanopia", "deuteranopia")


def parse(colour: str) -> RGB:
    """``#rrggbb`` -> sRGB in 0..1."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def hex_of(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def blend(colour: str, alpha: float, background: str) -> str:
    """``colour`` laid over ``background`` at ``alpha`` (how the desk paints a span's tint)."""
    fg, bg = parse(colour), parse(background)
    return hex_of(tuple(b + (f - b) * alpha for f, b in zip(fg, bg, strict=True)))  # type: ignore[arg-type]


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def simulate(colour: str, vision: str) -> str:
    """``colour`` as seen with ``vision`` ("normal" or a key of ``DEFICIENCIES``)."""
    if vision == "normal":
        return colour
    m = DEFICIENCIES[vision]
    lin = [_linear(c) for c in parse(colour)]
    out = tuple(_gamma(sum(m[r][k] * lin[k] for k in range(3))) for r in range(3))
    return hex_of(out)  # type: ignore[arg-type]


def lab(colour: str) -> RGB:
    r, g, b = (_linear(c) for c in parse(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(a: str, b: str) -> float:
    """CIEDE2000 difference between two ``#rrggbb`` colours."""
    return delta_e_lab(lab(a), lab(b))


def delta_e_lab(one: RGB, other: RGB) -> float:
    """CIEDE2000 difference between two CIELAB colours (Sharma, Wu & Dalal 2005)."""
    l1, a1, b1 = one
    l2, a2, b2 = other
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    cm = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(cm**7 / (cm**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lm, cmp_ = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hm = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hm = (h1p + h2p) / 2
    else:
        hm = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hm - 30)) + 0.24 * math.cos(math.radians(2 * hm))
         + 0.32 * math.cos(math.radians(3 * hm + 6)) - 0.20 * math.cos(math.radians(4 * hm - 63)))  # fmt: skip
    sl = 1 + 0.015 * (lm - 50) ** 2 / math.sqrt(20 + (lm - 50) ** 2)
    sc = 1 + 0.045 * cmp_
    sh = 1 + 0.015 * cmp_ * t
    rt = -2 * math.sqrt(cmp_**7 / (cmp_**7 + 25**7)) * math.sin(math.radians(60 * math.exp(-(((hm - 275) / 25) ** 2))))
    return math.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh))


def closest_pairs(
    colours: dict[str, str], background: str, *, visions: Iterable[str] = VISIONS
) -> list[tuple[float, str, str, str]]:
    """(ΔE00, vision, a, b) for every pair of labels and every label against the background
    (named "background"), smallest first."""
    out = []
    for vision in visions:
        seen = {name: simulate(c, vision) for name, c in colours.items()}
        bg = simulate(background, vision)
        for a, b in combinations(sorted(seen), 2):
            out.append((delta_e(seen[a], seen[b]), vision, a, b))
        for a in sorted(seen):
            out.append((delta_e(seen[a], bg), vision, a, "background"))
    return sorted(out)


def as_painted(colours: dict[str, str], alpha: float, background: str) -> dict[str, str]:
    """Each label's colour as the desk paints it: a tint of it over the background."""
    return {name: blend(c, alpha, background) for name, c in colours.items()}


def problems(
    colours: dict[str, str], background: str, *, pair: float, against_background: float,
    visions: Sequence[str] = VISIONS,
) -> list[str]:  # fmt: skip
    """What falls below the minimum differences, in words (empty: all clear)."""
    out = []
    for d, vision, a, b in closest_pairs(colours, background, visions=visions):
        need = against_background if b == "background" else pair
        if d < need:
            out.append(f"{vision}: {a} and {b} differ by ΔE00 {d:.1f} (< {need})")
    return out
