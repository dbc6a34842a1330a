"""What to watch: open items whose status the report must not present as current once stale.

Each item carries the date its sources were last searched (``last_checked``) and the date by
which they must be searched again (``recheck_by``). On a build after the re-check date, or
after a measure's own end date when the last search came before it, the item's status is shown
as the last one recorded, with the date it has not been re-checked since.
"""

from __future__ import annotations

import html
import os
from datetime import date

import pandas as pd

TODAY_VARIABLE = "MINERAL_REPORT_TODAY"


def build_date() -> date:
    """The date the book is built: today, unless MINERAL_REPORT_TODAY (YYYY-MM-DD) says otherwise."""
    fixed = os.environ.get(TODAY_VARIABLE)
    return date.fromisoformat(fixed) if fixed else date.today()


def _day(value: pd.Timestamp) -> str:
    return f"{value.day} {value:%B %Y}"


def is_stale(item: pd.Series, today: date) -> bool:
    """True when the re-check date has passed, or the measure ended after the last search."""
    now = pd.Timestamp(today)
    if now > item["recheck_by"]:
        return True
    expires = item["expires"]
    return bool(pd.notna(expires) and item["last_checked"] < expires <= now)


def status_text(item: pd.Series, today: date) -> str:
    """The status as the page states it on ``today``, with the date of its latest source."""
    dated = pd.notna(item["status_as_of"])
    if is_stale(item, today):
        source = f" (latest source {_day(item['status_as_of'])})" if dated else ""
        return (
            f"Not re-checked since {_day(item['last_checked'])}. Last recorded status, which may no "
            f"longer hold: {item['status']}{source}"
        )
    source = f"latest source {_day(item['status_as_of'])}; " if dated else ""
    return f"{item['status']} ({source}checked {_day(item['last_checked'])})"


def _source_line(rows: pd.DataFrame) -> str:
    """The sources as HTML links: publisher and date, pointing at the publisher's page."""
    parts = []
    for _, row in rows.iterrows():
        dated = f", {row['published']}" if pd.notna(row["published"]) else ""
        label = html.escape(f"{row['publisher']}{dated}")
        parts.append(f'<a href="{html.escape(row["url"], quote=True)}">{label}</a>')
    return "; ".join(parts)


def watch_table(items: pd.DataFrame, sources: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per item, soonest re-check first, with the status as it may be stated today."""
    known = set(items["item_id"])
    for position, item in enumerate(sources["item_id"]):
        if item not in known:
            name = sources.attrs.get("resource", "watch-sources")
            raise ValueError(
                f"{name}: line {position + 2}, column item_id: {item!r} is not a watch item"
            )
    bare = sorted(known - set(sources["item_id"]))
    if bare:
        raise ValueError(
            f"{items.attrs.get('resource', 'watch-items')}: items without a source: {', '.join(bare)}"
        )
    ordered = items.sort_values(["recheck_by", "item_id"])
    return pd.DataFrame(
        {
            "item_id": ordered["item_id"],
            "topic": ordered["topic"],
            "decision_pending": ordered["decision_pending"],
            "status": [status_text(row, today) for _, row in ordered.iterrows()],
            "stale": [is_stale(row, today) for _, row in ordered.iterrows()],
            "why_it_matters": ordered["why_it_matters"],
            "recheck_by": ordered["recheck_by"].map(_day),
            "sources": [
                _source_line(sources[sources["item_id"] == item]) for item in ordered["item_id"]
            ],
        }
    ).reset_index(drop=True)


def watch_html(table: pd.DataFrame) -> str:
    """The watch list as an HTML list for the pages: one item per entry, sources linked."""
    entries = []
    for _, row in table.iterrows():
        text = {
            key: html.escape(str(row[key]))
            for key in ("topic", "decision_pending", "status", "why_it_matters", "recheck_by")
        }
        entries.append(
            f"<li><strong>{text['topic']}.</strong> <em>Pending:</em> {text['decision_pending']} "
            f"<em>Status:</em> {text['status']} <em>Why it matters for India:</em> {text['why_it_matters']} "
            f"<em>Re-check by:</em> {text['recheck_by']}. <em>Sources:</em> {row['sources']}.</li>"
        )
    return '<ul class="watch-list">' + "".join(entries) + "</ul>"
