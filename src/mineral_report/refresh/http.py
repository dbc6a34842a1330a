"""A small HTTP client for publishers' APIs: bounded retries, clear errors, no leaked keys.

Rate limits (429) and server errors (5xx) are retried a few times with backoff, honouring
``Retry-After``; an unreachable host fails at once, because retrying a dead network only makes
the user wait. Every message passes through :meth:`HttpClient.scrub`, so an API key given in a
URL or echoed by a server never reaches an error, a log line or a file.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mineral_report.refresh.errors import RefreshError

# Query parameters whose values are credentials (e.g. Comtrade's ``subscription-key``).
SECRET_PARAMETER = re.compile(r"key|token|secret|password", re.IGNORECASE)
REDACTED = "REDACTED"
BODY_EXCERPT_CHARS = 200
USER_AGENT = "mineral-report-refresh"


def redact_url(url: str) -> str:
    """The URL with the values of credential-like query parameters replaced."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (name, REDACTED if SECRET_PARAMETER.search(name) else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe=",")))


def host_of(url: str) -> str:
    return urlsplit(url).netloc or url


@dataclass
class HttpClient:
    """GET with timeouts and bounded retries; every failure becomes a :class:`RefreshError`."""

    timeout: float = 60.0
    attempts: int = 4
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 60.0
    secrets: tuple[str, ...] = ()
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def scrub(self, text: str) -> str:
        """Text safe to show: URLs' credential parameters redacted, known secrets removed."""
        cleaned = re.sub(r"https?://\S+", lambda match: redact_url(match.group(0)), text)
        for secret in self.secrets:
            if secret:
                cleaned = cleaned.replace(secret, REDACTED)
        return cleaned

    def get_bytes(self, url: str, headers: Mapping[str, str] | None = None) -> bytes:
        request = urllib.request.Request(
            url, headers={"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})}
        )
        shown = self.scrub(redact_url(url))
        for attempt in range(1, self.attempts + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return self._read_whole(response, shown)
            except urllib.error.HTTPError as error:
                retryable = error.code == 429 or error.code >= 500
                if not retryable or attempt == self.attempts:
                    raise RefreshError(self._status_message(error, shown, attempt)) from None
                self.sleep(self._wait_before_retry(error, attempt))
            except urllib.error.URLError as error:
                if _is_timeout(error.reason):
                    if attempt == self.attempts:
                        raise RefreshError(self._timeout_message(shown, attempt)) from None
                    self.sleep(self._backoff(attempt))
                    continue
                raise RefreshError(
                    self.scrub(f"cannot reach {host_of(url)}: {error.reason}")
                ) from None
            except (TimeoutError, socket.timeout):
                if attempt == self.attempts:
                    raise RefreshError(self._timeout_message(shown, attempt)) from None
                self.sleep(self._backoff(attempt))
            except (ConnectionError, http.client.HTTPException) as error:
                raise RefreshError(
                    self.scrub(f"connection to {host_of(url)} failed while reading {shown}: {error!r}")
                ) from None
        raise AssertionError("unreachable: the loop returns or raises")

    def get_json(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        body = self.get_bytes(url, {"Accept": "application/json", **(headers or {})})
        try:
            return json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            excerpt = body[:BODY_EXCERPT_CHARS].decode("utf-8", errors="replace")
            raise RefreshError(
                self.scrub(
                    f"response from {redact_url(url)} is not valid JSON ({error}); "
                    f"it starts: {excerpt!r}"
                )
            ) from None

    def _read_whole(self, response: http.client.HTTPResponse, shown: str) -> bytes:
        """The body, or an error if the connection closed before ``Content-Length`` bytes came."""
        try:
            return response.read()
        except http.client.IncompleteRead as error:
            expected = len(error.partial) + (error.expected or 0)
            raise RefreshError(
                f"truncated response from {shown}: got {len(error.partial)} of {expected} bytes"
            ) from None

    def _status_message(self, error: urllib.error.HTTPError, shown: str, attempt: int) -> str:
        try:
            excerpt = error.read()[:BODY_EXCERPT_CHARS].decode("utf-8", errors="replace").strip()
        except (OSError, http.client.HTTPException):
            excerpt = ""
        tries = f" after {attempt} attempts" if attempt > 1 else ""
        detail = f": {excerpt}" if excerpt else ""
        return self.scrub(f"HTTP {error.code} {error.reason} from {shown}{tries}{detail}")

    def _timeout_message(self, shown: str, attempt: int) -> str:
        return f"no answer within {self.timeout:g} s from {shown} ({attempt} attempts)"

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_seconds * 2 ** (attempt - 1), self.max_wait_seconds)

    def _wait_before_retry(self, error: urllib.error.HTTPError, attempt: int) -> float:
        retry_after = (error.headers or {}).get("Retry-After", "")
        if retry_after.strip().isdigit():
            return min(float(retry_after), self.max_wait_seconds)
        return self._backoff(attempt)


def _is_timeout(reason: object) -> bool:
    return isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason)


def query_string(parameters: Iterable[tuple[str, str]]) -> str:
    """A query string that keeps commas readable (Comtrade's lists are comma-separated)."""
    return urlencode(list(parameters), safe=",")
