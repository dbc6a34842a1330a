"""UN Comtrade: India's imports of the basket's HS codes from Russia, China and the world.

Without a key the public preview endpoint is used; with ``COMTRADE_API_KEY`` the data endpoint,
with the key in a request header so it never appears in a URL. Every call asks for one year and
a chunk of codes small enough that the answer fits under ``maxRecords``; an answer of exactly
``maxRecords`` rows may have been cut, so the chunk is split and asked again.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mineral_report.data.load import load
from mineral_report.data.manifest import Resource
from mineral_report.refresh.errors import RefreshError
from mineral_report.refresh.http import HttpClient, query_string
from mineral_report.refresh.vintage import (
    NewVintage,
    csv_bytes,
    ensure_unpublished,
    plain_number,
    publish,
)

BASE_URL_ENV = "COMTRADE_BASE_URL"
API_KEY_ENV = "COMTRADE_API_KEY"
DEFAULT_BASE_URL = "https://comtradeapi.un.org"
PREVIEW_PATH = "/public/v1/preview/C/A/HS"
KEYED_PATH = "/data/v1/get/C/A/HS"
KEY_HEADER = "Ocp-Apim-Subscription-Key"

DATASET = "india-imports-by-hs-comtrade"
SOURCE_FOLDER = "comtrade"
FILE_NAME = "india_imports_by_hs.csv"
CONCORDANCE_DATASET = "critical-mineral-hs-concordance"
REPORTER_INDIA = "699"
PARTNER_ISO3 = {"643": "RUS", "156": "CHN", "0": "WLD"}  # Comtrade (M49) code → ISO3
IMPORTS = "M"
MAX_RECORDS = 500
NO_UNIT = "N/A"  # Comtrade's abbreviation when a record has no quantity unit
NO_UNIT_CODE = -1
YEAR = re.compile(r"\d{4}")
HS_CODE = re.compile(r"\d{4}(\d{2})?")
REQUIRED_COLUMNS = (
    "reporterCode",
    "partnerCode",
    "cmdCode",
    "flowCode",
    "period",
    "primaryValue",
    "netWgt",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
)

SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "calendar_year",
            "type": "integer",
            "description": "Calendar year (January–December), as Comtrade's annual data are",
            "constraints": {"required": True, "minimum": 1988},
        },
        {
            "name": "partner_iso3",
            "type": "string",
            "description": "Partner: RUS = Russia, CHN = China, WLD = all partners (Comtrade's 'World')",
            "format": "iso3",
            "constraints": {"required": True, "enum": sorted(PARTNER_ISO3.values())},
        },
        {
            "name": "hs_code",
            "type": "string",
            "description": "HS heading (4 digits) or subheading (6 digits) of the basket",
            "constraints": {"required": True, "pattern": "\\d{4}(\\d{2})?"},
        },
        {"name": "hs_description", "type": "string", "description": "Comtrade's text for the code"},
        {
            "name": "classification",
            "type": "string",
            "description": "HS edition the figures were reported in (Comtrade's code: H5 = HS 2017, H6 = HS 2022)",
        },
        {
            "name": "flow",
            "type": "string",
            "description": "Trade flow as reported by India",
            "constraints": {"required": True, "enum": ["import"]},
        },
        {
            "name": "trade_value_usd",
            "type": "number",
            "unit": "USD",
            "description": "Comtrade primaryValue: the reported trade value in US dollars",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "net_weight_kg",
            "type": "number",
            "unit": "kg",
            "description": "Net weight; empty when not reported",
            "constraints": {"minimum": 0},
        },
        {
            "name": "qty",
            "type": "number",
            "description": "Quantity in qty_unit; empty when Comtrade gives no unit (its 'N/A')",
            "constraints": {"minimum": 0},
        },
        {
            "name": "qty_unit",
            "type": "string",
            "description": "Comtrade's abbreviation of the quantity unit; empty when there is none",
        },
        {
            "name": "is_qty_estimated",
            "type": "boolean",
            "description": "Comtrade flags the quantity as estimated",
        },
        {
            "name": "is_net_weight_estimated",
            "type": "boolean",
            "description": "Comtrade flags the net weight as estimated",
        },
    ],
    "primaryKey": ["calendar_year", "partner_iso3", "hs_code", "flow"],
}
COLUMNS = [spec["name"] for spec in SCHEMA["fields"]]


@dataclass
class ComtradeClient:
    """Asks Comtrade for India's annual imports, in calls that can never be silently cut."""

    base_url: str = DEFAULT_BASE_URL
    api_key: str | None = None
    http: HttpClient = field(default_factory=HttpClient)
    max_records: int = MAX_RECORDS

    @classmethod
    def from_environment(cls, http: HttpClient | None = None) -> ComtradeClient:
        api_key = os.environ.get(API_KEY_ENV) or None
        client = http or HttpClient()
        if api_key:
            client.secrets = (*client.secrets, api_key)
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        return cls(base_url=base_url.rstrip("/"), api_key=api_key, http=client)

    @property
    def endpoint(self) -> str:
        return self.base_url + (KEYED_PATH if self.api_key else PREVIEW_PATH)

    def imports(self, year: int, hs_codes: Sequence[str]) -> list[dict[str, Any]]:
        """Every record for one year and all codes; an error if there are none."""
        per_call = max(1, self.max_records // len(PARTNER_ISO3))
        records: list[dict[str, Any]] = []
        for start in range(0, len(hs_codes), per_call):
            records += self._fetch_chunk(year, list(hs_codes[start : start + per_call]))
        if not records:
            raise RefreshError(
                f"no records for India's imports in {year} ({len(hs_codes)} HS codes, partners "
                f"{', '.join(PARTNER_ISO3.values())}) from {self.endpoint}; the year may not be "
                "published yet: choose --years that end earlier"
            )
        return records

    def _fetch_chunk(self, year: int, hs_codes: list[str]) -> list[dict[str, Any]]:
        records = self._records(self.http.get_json(self._url(year, hs_codes), self._headers()))
        if len(records) < self.max_records:
            return records
        if len(hs_codes) == 1:
            raise RefreshError(
                f"Comtrade returned {len(records)} records (the limit) for HS {hs_codes[0]} in {year}; "
                "the answer may be cut and cannot be split further"
            )
        middle = len(hs_codes) // 2
        return self._fetch_chunk(year, hs_codes[:middle]) + self._fetch_chunk(year, hs_codes[middle:])

    def _url(self, year: int, hs_codes: Iterable[str]) -> str:
        parameters = [
            ("reportercode", REPORTER_INDIA),
            ("period", str(year)),
            ("cmdCode", ",".join(hs_codes)),
            ("flowCode", IMPORTS),
            ("partnerCode", ",".join(PARTNER_ISO3)),
            ("maxRecords", str(self.max_records)),
            ("format", "JSON"),
            ("breakdownMode", "classic"),
            ("includeDesc", "True"),
        ]
        return f"{self.endpoint}?{query_string(parameters)}"

    def _headers(self) -> dict[str, str]:
        return {KEY_HEADER: self.api_key} if self.api_key else {}

    def _records(self, payload: Any) -> list[dict[str, Any]]:
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            raise RefreshError(f"unexpected answer from {self.endpoint}: no 'data' list")
        if payload.get("error"):
            raise RefreshError(self.http.scrub(f"Comtrade reports an error: {payload['error']}"))
        records = payload["data"]
        missing = sorted({name for record in records for name in REQUIRED_COLUMNS if name not in record})
        if missing:
            raise RefreshError(
                f"Comtrade's answer lacks column(s) {', '.join(missing)}; the API may have changed"
            )
        return records


def to_rows(records: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Comtrade records as rows of the project's CSV, in a stable order.

    A malformed value stops with one line naming the record (its position, and its year,
    partner and code when those are well formed) and the field, never the value itself: an
    answer may echo a credential.
    """
    rows = []
    for position, record in enumerate(records, start=1):
        if str(record["reporterCode"]) != REPORTER_INDIA or record["flowCode"] != IMPORTS:
            continue
        where = _record_name(position, record)
        partner = str(record["partnerCode"])
        if partner not in PARTNER_ISO3:
            raise RefreshError(f"{where}: partnerCode is a partner that was not asked for")
        code = record["cmdCode"]
        if not isinstance(code, str) or not HS_CODE.fullmatch(code):
            raise RefreshError(f"{where}: cmdCode is not an HS code of 4 or 6 digits")
        quantity, unit = _quantity(record, where)
        rows.append(
            {
                "calendar_year": str(_year(record, where)),
                "partner_iso3": PARTNER_ISO3[partner],
                "hs_code": code,
                "hs_description": str(record.get("cmdDesc") or ""),
                "classification": str(record.get("classificationCode") or ""),
                "flow": "import",
                "trade_value_usd": _number(record, "primaryValue", where),
                "net_weight_kg": _number(record, "netWgt", where),
                "qty": quantity,
                "qty_unit": unit,
                "is_qty_estimated": _boolean(record, "isQtyEstimated", where) if unit else "",
                "is_net_weight_estimated": _boolean(record, "isNetWgtEstimated", where),
            }
        )
    return sorted(rows, key=lambda r: (r["calendar_year"], r["partner_iso3"], r["hs_code"]))


def refresh(
    data_dir: Path,
    years: Sequence[int],
    pin: bool,
    client: ComtradeClient | None = None,
    today: date | None = None,
) -> Resource:
    """Fetch every year, then publish one new vintage dated today; nothing is written on error."""
    client = client or ComtradeClient.from_environment()
    today = today or date.today()
    vintage = today.isoformat()
    path = f"{SOURCE_FOLDER}/{vintage}/{FILE_NAME}"
    ensure_unpublished(data_dir, DATASET, vintage, path)
    # The pinned concordance's codes are the report's definition of the basket.
    concordance = load(CONCORDANCE_DATASET, data_dir=data_dir)
    codes = sorted(set(concordance["hs_code"].dropna()))
    records = [record for year in years for record in client.imports(year, codes)]
    rows = to_rows(records)
    if not rows:
        raise RefreshError(f"no records for India's imports in {_span(years)} after filtering")
    new = NewVintage(
        dataset=DATASET,
        vintage=vintage,
        path=path,
        content=csv_bytes(rows, COLUMNS),
        title=(
            "UN Comtrade: India's imports of the critical-mineral HS basket from Russia, China "
            f"and the world, calendar years {_span(years)}"
        ),
        description=(
            "Annual imports reported by India to UN Comtrade (HS classification as reported), for "
            "every HS code of the report's critical-mineral basket, from Russia, China and all "
            "partners. Comtrade's annual data are CALENDAR years (January–December), not India's "
            "April–March fiscal years used by DGCI&S. Headings (4 digits) and their subheadings "
            "(6 digits) both appear: never add a heading to its own subheadings."
        ),
        sources=(
            {
                "publisher": "United Nations Statistics Division, UN Comtrade",
                "title": "UN Comtrade database, annual merchandise trade by HS commodity",
                "path": client.endpoint,
                "table": (
                    f"reporterCode={REPORTER_INDIA} (India), flowCode={IMPORTS}, partnerCode="
                    f"{','.join(PARTNER_ISO3)}, period={_span(years)}, the {len(codes)} HS codes "
                    f"of {CONCORDANCE_DATASET} vintage {concordance.attrs['vintage']}"
                ),
                "retrieved": today.isoformat(),
            },
        ),
        licenses=(
            {
                "name": "UN-Comtrade-terms",
                "title": "UN Comtrade terms of use; cite 'UN Comtrade, United Nations Statistics Division'",
            },
        ),
        schema=SCHEMA,
    )
    return publish(data_dir, new, pin=pin, accessed=today)


def _record_name(position: int, record: dict[str, Any]) -> str:
    """How a message names a record: its position, plus identity fields that are well formed."""
    known = []
    period = str(record.get("period", ""))
    if YEAR.fullmatch(period):
        known.append(f"year {period}")
    if str(record.get("partnerCode")) in PARTNER_ISO3:
        known.append(f"partner {PARTNER_ISO3[str(record['partnerCode'])]}")
    code = record.get("cmdCode")
    if isinstance(code, str) and HS_CODE.fullmatch(code):
        known.append(f"HS {code}")
    return f"Comtrade record {position}" + (f" ({', '.join(known)})" if known else "")


def _year(record: dict[str, Any], where: str) -> int:
    period = str(record["period"])
    if not YEAR.fullmatch(period):
        raise RefreshError(f"{where}: period is not a year")
    return int(period)


def _number(record: dict[str, Any], name: str, where: str) -> str:
    """A number as written in data/, empty when Comtrade gives none (null)."""
    value = record.get(name)
    if value is None:
        return ""
    # JSON numbers only: a string, even a numeric one, means the API's format changed.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RefreshError(f"{where}: {name} is not a number")
    return plain_number(float(value))


def _quantity(record: dict[str, Any], where: str) -> tuple[str, str]:
    """Quantity and its unit; both empty when Comtrade has no unit for the record.

    Comtrade marks a missing quantity with unit code -1, abbreviation "N/A", and a quantity
    that is null or 0.0: that is not a quantity of zero in a unit called "N/A".
    """
    unit = record.get("qtyUnitAbbr")
    if unit is not None and not isinstance(unit, str):
        raise RefreshError(f"{where}: qtyUnitAbbr is not text")
    if not unit or unit.strip() == NO_UNIT or record.get("qtyUnitCode") == NO_UNIT_CODE:
        return "", ""
    return _number(record, "qty", where), unit.strip()


def _boolean(record: dict[str, Any], name: str, where: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, bool):
        raise RefreshError(f"{where}: {name} is not true or false")
    return "true" if value else "false"


def _span(years: Sequence[int]) -> str:
    ordered = sorted(years)
    contiguous = ordered == list(range(ordered[0], ordered[-1] + 1))
    if len(ordered) > 1 and contiguous:
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(year) for year in ordered)
