"""The quality report of one run: static HTML pages built from the GX validation results, offline.

The checks write one ValidationReport JSON per suite, each carrying its scopes' merged GX suite
validation results (`gx_results`). GX's own Data Docs render the same results, but their pages load
their scripts and styles from 8 CDN hosts and show a blank index without internet, which is how many
offices that read them work. So the pages are rendered here from those results: an index with one row
per validated scope and one page per scope listing every expectation with its verdict, counts and
examples. Styles are inline; no page references a network resource or runs a script.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2

SITE_DIR = "data_docs"
MAX_EXAMPLES = 20  # unexpected values shown per expectation (GX keeps up to 20 in partial lists)

_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #222; max-width: 75em; }
table { border-collapse: collapse; margin: .6em 0 1.4em; }
th, td { border: 1px solid #bbb; padding: .25em .6em; vertical-align: top; text-align: left; }
th { background: #1f5f8b; color: #fff; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1b6e1b; font-weight: bold; }
.fail { color: #9c0006; font-weight: bold; }
.muted { color: #666; font-size: .9em; }
code { font-size: .9em; }
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

_INDEX = _ENV.from_string("""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8">
<title>vetdx quality report - {{ run }}</title>
<style>{{ style|safe }}</style></head>
<body>
<h1>vetdx quality report</h1>
<p>Run <code>{{ run }}</code> · validated {{ time }} · {{ scopes|length }} validated scopes,
{{ failed }} with failed expectations.</p>
<table id="scopes">
<thead><tr><th>Scope</th>
<th>Relation</th>
<th>Status</th>
<th>Severity</th>
<th>Expectations</th>
<th>Passed</th>
<th>Failed</th>
<th>Rows judged</th></tr></thead>
<tbody>
{% for s in scopes %}<tr data-scope="{{ s.name }}">
<td><a href="validations/{{ s.file }}">{{ s.name }}</a></td>

<td><code>{{ s.relation }}</code></td>
<td class="{{ 'ok' if s.success else 'fail' }}">{{ 'passed' if s.success else 'failed' }}</td>
<td>{{ s.severity or '' }}</td>
<td class="num">{{ s.evaluated }}</td>
<td class="num">{{ s.passed }}</td>
<td class="num">{{ s.failed }}</td>
<td class="num">{{ s.rows }}</td></tr>
{% endfor %}</tbody>
</table>
<p class="muted">Rendered by vetdx from the Great Expectations validation results of the run
(one JSON report per suite beside this folder).</p>
</body>
</html>
""")

_PAGE = _ENV.from_string("""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8">
<title>{{ name }} - vetdx quality report</title>
<style>{{ style|safe }}</style></head>
<body>
<p><a href="../index.html">vetdx quality report</a> · run <code>{{ run }}</code></p>
<h1>{{ name }}</h1>
<p>Relation <code>{{ relation }}</code> ·
<span class="{{ 'ok' if success else 'fail' }}">{{ 'passed' if success else 'failed' }}</span>
· {{ stats.evaluated_expectations }} expectations, {{ stats.successful_expectations }} passed,
{{ stats.unsuccessful_expectations }} failed.</p>
<table id="expectations">
<thead><tr><th>Expectation</th>
<th>Column</th>
<th>Arguments</th>
<th>Status</th>
<th>Severity</th>
<th>Elements</th>
<th>Unexpected</th>
<th>Unexpected %</th>
<th>Examples</th></tr></thead>
<tbody>
{% for r in results %}<tr data-expectation="{{ r.type }}"><td><code>{{ r.type }}</code></td>
<td>{{ r.column }}</td>
<td><code>{{ r.kwargs }}</code></td>
<td class="{{ 'ok' if r.success else 'fail' }}">{{ 'passed' if r.success else 'failed' }}</td>
<td>{{ r.severity }}</td>
<td class="num">{{ r.element_count }}</td>
<td class="num">{{ r.unexpected_count }}</td>
<td class="num">{{ r.unexpected_percent }}</td>
<td>{{ r.examples }}{% if r.error %}<br><span class="fail">{{ r.error }}</span>{% endif %}</td></tr>
{% endfor %}</tbody>
</table>
</body>
</html>
""")


def render_data_docs(results_dir: Path) -> Path:
    """Write the quality pages into `results_dir/data_docs` and return its index.html."""
    site = results_dir / SITE_DIR
    pages = site / "validations"
    pages.mkdir(parents=True, exist_ok=True)
    run = results_dir.name
    scopes = []
    for report_path in sorted(results_dir.glob("*.json")):
        report = json.loads(report_path.read_text(encoding="utf-8"))
        if not isinstance(report, dict):  # other JSON: not ours
            continue
        for raw in report.get("gx_results", []):
            scope = _scope(raw, report)
            (pages / scope["file"]).write_text(
                _PAGE.render(style=_STYLE, run=run, **scope["page"]), encoding="utf-8", newline="\n"
            )
            scopes.append(scope)
    index = site / "index.html"
    failed = sum(not s["success"] for s in scopes)
    index.write_text(
        _INDEX.render(style=_STYLE, run=run, time=_run_time(results_dir), scopes=scopes, failed=failed),
        encoding="utf-8",
        newline="\n",
    )
    return index


def _scope(raw: dict, report: dict) -> dict:
    """One GX suite validation result as an index row and its page."""
    name = raw.get("suite_name") or report.get("suite", "suite")
    stats = {
        "evaluated_expectations": 0,
        "successful_expectations": 0,
        "unsuccessful_expectations": 0,
        **raw.get("statistics", {}),
    }
    relation = report.get("relation", "")
    severities = _severities(report)
    results = [_result(r, name, severities) for r in raw.get("results", [])]
    failed = [r["severity"] for r in results if not r["success"]]
    return {
        "name": name,
        "file": f"{_file_stem(name)}.html",
        "relation": relation,
        "success": bool(raw.get("success")),
        "severity": "ERROR" if "ERROR" in failed else ("WARN" if failed else None),
        "evaluated": stats["evaluated_expectations"],
        "passed": stats["successful_expectations"],
        "failed": stats["unsuccessful_expectations"],
        "rows": report.get("row_count", ""),
        "page": {
            "name": name,
            "relation": relation,
            "success": bool(raw.get("success")),
            "stats": stats,
            "results": results,
        },
    }


def _severities(report: dict) -> dict[tuple[str, str, str], str]:
    """(scope name, expectation, column) -> vetdx severity (ERROR blocks publishing, WARN does not), from
    the report's outcomes; GX's own `critical` says nothing about that."""
    suite = report.get("suite", "")
    return {
        (f"{suite}.{o.get('scope')}", o.get("expectation", ""), o.get("column") or ""): o.get("severity", "")
        for o in report.get("outcomes", [])
    }


def _result(raw: dict, scope: str, severities: dict[tuple[str, str, str], str]) -> dict:
    config = raw.get("expectation_config", {})
    kwargs = dict(config.get("kwargs", {}))
    column = kwargs.pop("column", None) or ", ".join(
        str(kwargs.pop(k)) for k in ("column_A", "column_B") if k in kwargs
    )
    severity = severities.get((scope, config.get("type", ""), column or ""), config.get("severity", ""))
    kwargs.pop("batch_id", None)
    result = raw.get("result", {}) or {}
    examples = result.get("partial_unexpected_list") or []
    percent = result.get("unexpected_percent")
    exception = raw.get("exception_info", {}) or {}
    return {
        "type": config.get("type", ""),
        "column": column or "",
        "kwargs": json.dumps(kwargs, ensure_ascii=False, sort_keys=True, default=str) if kwargs else "",
        "success": bool(raw.get("success")),
        "severity": severity,
        "element_count": result.get("element_count", ""),
        "unexpected_count": result.get("unexpected_count", ""),
        "unexpected_percent": "" if percent is None else f"{percent:.2f}",
        "examples": ", ".join(
            json.dumps(e, ensure_ascii=False, default=str) for e in examples[:MAX_EXAMPLES]
        ),
        "error": exception.get("exception_message") if exception.get("raised_exception") else None,
    }


def _file_stem(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)


def _run_time(results_dir: Path) -> str:
    """When the reports were written: the newest report's modification time (UTC)."""
    times = [p.stat().st_mtime for p in results_dir.glob("*.json")] or [results_dir.stat().st_mtime]
    return dt.datetime.fromtimestamp(max(times), tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
