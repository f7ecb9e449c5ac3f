"""Country profiles as HTML pages (one per country plus an index), usable as a report annex.

The pages are static files next to the charts they embed (`../charts/radar/<ISO3>.svg`), with their
styles inline and no network reference, so the export folder works offline, zipped or on a web server
as it is. Each page links its PDF (`<ISO3>.pdf`, written by `pdf.py` from the same figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from pipelines import i18n
from pipelines.exports import report
from pipelines.exports.marts import PUBLIC_MARTS, PublishedData

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("pipelines.exports", "templates"),
    autoescape=True,  # country and indicator names come from files member states send
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def _common(data: PublishedData, lang: str, radar: bool, version: str | None) -> dict:
    return {
        "lang": lang,
        "rtl": i18n.is_rtl(lang),
        "t": i18n.labels(lang),
        "note": i18n.data_label_text(data.data_label, lang),
        "version": version,
        "num": lambda value: i18n.fmt_number(value, lang),
        "ltr": lambda value: i18n.ltr(str(value), lang),
        "raw": _attribute_number,
        "radar": radar,
    }


def write_profile_pages(
    folder: Path,
    data: PublishedData,
    lang: str,
    profiles: dict[str, report.CountryProfile],
    iso3s: Sequence[str],
    radar: bool,
) -> list[Path]:
    """`<ISO3>.html` of each country in `iso3s`. A page shows its country's figures and no version
    id (the index page and the manifest name the version), so an unchanged country's page is the same
    file from version to version and is reused; its content key is in the manifest.
    `radar`: the set has radar charts (a root with three or more children)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = report.node_names(data, lang)
    common = _common(data, lang, radar, None)
    written: list[Path] = []
    for iso3 in iso3s:
        profile = profiles[iso3]
        page = _ENV.get_template("profile.html.j2").render(
            **common,
            profile=profile,
            group=i18n.group_label(profile.oic_group, lang),
            income=i18n.income_label(profile.income_group, lang),
            missing=[(names.get(d, d), i18n.reason(why, lang, names)) for d, why in profile.missing.items()],
            scores=profile.scores.to_dicts(),
            strengths=profile.strengths.to_dicts(),
            weaknesses=profile.weaknesses.to_dicts(),
        )
        written.append(_write(folder / f"{iso3}.html", page))
    return written


def write_profiles_index(
    folder: Path,
    data: PublishedData,
    lang: str,
    version: str,
    workbook_name: str,
    summary_pdf: str,
    radar: bool,
) -> Path:
    """`index.html`: the overall ranking with a link to every country's page, and the version."""
    folder.mkdir(parents=True, exist_ok=True)
    overall = report.ranking(data, "overall", lang)
    rows = [
        {**row, "group": i18n.group_label(row["oic_group"], lang)}
        for row in overall.select("rank", "iso3", "country", "oic_group", "score").to_dicts()
    ]
    index = _ENV.get_template("index.html.j2").render(
        **_common(data, lang, radar, version),
        rows=rows,
        round=data.latest_round,
        marts=list(PUBLIC_MARTS),
        workbook=workbook_name,
        summary_pdf=summary_pdf,
    )
    return _write(folder / "index.html", index)


def _attribute_number(value: float | None) -> str:
    """Machine-readable value for a data attribute: 6 decimals at most, so float noise such as
    8.049999999999955 reads 8.05."""
    return "" if value is None else repr(round(value, 6))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
