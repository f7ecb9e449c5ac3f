"""Country profiles as HTML pages (one per country plus an index), usable as a report annex.

The pages are static files next to the charts they embed (`../charts/radar/<ISO3>.svg`), so the export
folder can be zipped or put on a web server as it is. Printing a page from a browser gives its PDF.
"""

from __future__ import annotations

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


def write_profiles(
    folder: Path,
    data: PublishedData,
    lang: str,
    version: str,
    workbook_name: str,
    profiles: dict[str, report.CountryProfile],
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    common = {
        "lang": lang,
        "rtl": i18n.is_rtl(lang),
        "t": i18n.labels(lang),
        "note": i18n.data_label_text(data.data_label, lang),
        "version": version,
        "num": lambda value: i18n.fmt_number(value, lang),
    }
    written: list[Path] = []
    for iso3, profile in profiles.items():
        page = _ENV.get_template("profile.html.j2").render(
            **common,
            profile=profile,
            group=i18n.group_label(profile.oic_group, lang),
            scores=profile.scores.to_dicts(),
            strengths=profile.strengths.to_dicts(),
            weaknesses=profile.weaknesses.to_dicts(),
        )
        written.append(_write(folder / f"{iso3}.html", page))
    overall = report.ranking(data, "overall", lang)
    rows = [
        {**row, "group": i18n.group_label(row["oic_group"], lang)}
        for row in overall.select("rank", "iso3", "country", "oic_group", "score").to_dicts()
    ]
    index = _ENV.get_template("index.html.j2").render(
        **common, rows=rows, round=data.latest_round, marts=list(PUBLIC_MARTS), workbook=workbook_name
    )
    written.append(_write(folder / "index.html", index))
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
