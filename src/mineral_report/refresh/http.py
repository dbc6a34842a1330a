"""A small HTTP client for publishers' APIs: bounded in time and size, clear errors, no leaked keys.

Rate limits (429) and server errors (5xx) are retried a few times with backoff, honouring
``Retry-After``; an unreachable host fails at once, because retrying a dead network only makes
the user wait. Every request has an overall deadline (not just a per-read timeout) and every
answer a size cap, both checked while the body streams in, whether it comes with a
``Content-Length``, chunked, or gzip-encoded. Redirects are followed only while the address
stays on the same scheme, host and port when the request carries credentials. Every message
passes through :meth:`HttpClient.scrub`, so an API key given in a URL, a header or an
environment variable, or echoed by a server, never reaches an error, a log line or a file.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import ssl
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from mineral_report.refresh.errors import RefreshError

# Query parameters, headers and environment variables whose values are credentials
# (e.g. Comtrade's ``subscription-key`` parameter, ``Ocp-Apim-Subscription-Key`` header,
# ``COMTRADE_API_KEY`` variable).
SECRET_NAME = re.compile(r"key|token|secret|password", re.IGNORECASE)
SECRET_PARAMETER = SECRET_NAME
REDACTED = "REDACTED"
BODY_EXCERPT_CHARS = 200
SHOWN_VALUE_CHARS = 60
USER_AGENT = "mineral-report-refresh"
READ_BLOCK = 1 << 16
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MIN_SECRET_CHARS = 8  # shorter environment values are too likely to occur in ordinary text

# The largest real answers are a few MB (a Comtrade chunk; the MCS 2026 flat CSV is about
# 2–3 MB): the default cap leaves room many times over and still stops an endless body.
MAX_MEGABYTES_ENV = "MINERAL_REPORT_DOWNLOAD_MAX_MB"
DEADLINE_ENV = "MINERAL_REPORT_DOWNLOAD_DEADLINE"
DEFAULT_MAX_MEGABYTES = 64.0
DEFAULT_DEADLINE_SECONDS = 300.0


def _environment_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number > 0:
        raise RefreshError(f"{name}={text!r} is not a positive number")
    return number


def _default_max_bytes() -> int:
    return int(_environment_number(MAX_MEGABYTES_ENV, DEFAULT_MAX_MEGABYTES) * 2**20)


def _default_deadline() -> float:
    return _environment_number(DEADLINE_ENV, DEFAULT_DEADLINE_SECONDS)


def environment_secrets() -> tuple[str, ...]:
    """Values of environment variables named like credentials (``COMTRADE_API_KEY``...)."""
    return tuple(
        value
        for name, value in os.environ.items()
        if SECRET_NAME.search(name) and len(value.strip()) >= MIN_SECRET_CHARS
    )


def scrub_secrets(text: str, secrets: Iterable[str]) -> str:
    """``text`` without any of ``secrets``, raw, stripped or percent-encoded."""
    forms = set()
    for secret in secrets:
        for form in (secret, secret.strip()):
            if form:
                forms.update({form, quote(form, safe=""), repr(form)[1:-1]})
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, REDACTED)
    return text


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Text safe to show: URLs redacted, ``secrets`` and credential-like variables removed."""
    return scrub_secrets(_URL.sub(_redact_match, text), (*secrets, *environment_secrets()))


def _shorten(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE_CHARS else value[:SHOWN_VALUE_CHARS] + "…"


def redact_url(url: str) -> str:
    """The URL as a person reads it: credential values replaced, the query decoded, long values cut."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    if not parts.query:
        return urlunsplit(parts._replace(netloc=netloc))
    query = "&".join(
        f"{name}={REDACTED if SECRET_NAME.search(name) else _shorten(value)}"
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def host_of(url: str) -> str:
    return urlsplit(url).netloc.rsplit("@", 1)[-1] or url


def path_segment(value: str) -> str:
    """``value`` percent-encoded as one path segment: no ``/``, ``?``, ``#`` or ``..`` can act."""
    return quote(value, safe="")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


_URL = re.compile(r"https?://[^\s\"'<>]+")
_TRAILING = ".,;:)]}"


def _redact_match(match: re.Match[str]) -> str:
    found = match.group(0)
    core = found.rstrip(_TRAILING)
    return redact_url(core) + found[len(core) :]


class _Retry(Exception):
    """An answer worth asking again for (429, 5xx, a timeout), and what to say if none succeeds."""

    def __init__(self, head: str, rest: str = "", wait: float | None = None):
        super().__init__(head)
        self.head = head
        self.rest = rest
        self.wait = wait

    def message(self, attempts: int) -> str:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return f"{self.head}{tries}{self.rest}"


@dataclass
class _Answer:
    status: int
    reason: str
    headers: Message
    body: bytes


@dataclass
class HttpClient:
    """GET with timeouts, a deadline, a size cap and bounded retries; failures are :class:`RefreshError`."""

    timeout: float = 60.0  # per connection attempt and per read
    attempts: int = 4
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 60.0
    secrets: tuple[str, ...] = ()
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    deadline: float = field(default_factory=_default_deadline)  # per request, whole answer
    max_bytes: int = field(default_factory=_default_max_bytes)  # per answer, after decoding

    def scrub(self, text: str) -> str:
        """Text safe to show: URLs' credential parameters redacted, known secrets removed."""
        return scrub(text, self.secrets)

    def get_bytes(self, url: str, headers: Mapping[str, str] | None = None) -> bytes:
        sent = self._checked_headers(
            {
                "User-Agent": USER_AGENT,
                "Accept": "*/*",
                "Accept-Encoding": "gzip",
                "Connection": "close",
                **(headers or {}),
            }
        )
        for attempt in range(1, self.attempts + 1):
            try:
                return self._follow(url, sent)
            except _Retry as retry:
                if attempt == self.attempts:
                    raise RefreshError(self.scrub(retry.message(attempt))) from None
                self.sleep(self._backoff(attempt) if retry.wait is None else retry.wait)
        raise AssertionError("unreachable: the loop returns or raises")

    def get_json(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        body = self.get_bytes(url, {"Accept": "application/json", **(headers or {})})
        try:
            return json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            excerpt = body[:BODY_EXCERPT_CHARS].decode("utf-8", errors="replace")
            raise RefreshError(
                self.scrub(
                    f"the answer from {redact_url(url)} is not valid JSON ({error}); "
                    f"it starts {excerpt!r}"
                )
            ) from None

    # -- one request, its redirects and its answer ------------------------------------------

    def _checked_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Header values without surrounding whitespace; a control character is refused."""
        checked = {}
        for name, value in headers.items():
            clean = value.strip()
            if clean != value and value in self.secrets and clean not in self.secrets:
                self.secrets = (*self.secrets, clean)
            if any(ord(c) < 32 or ord(c) == 127 for c in clean) or not clean.isascii():
                raise RefreshError(
                    f"the {name} header's value has a control or non-ASCII character in it "
                    "(not sent); check the variable or file it comes from"
                )
            checked[name] = clean
        return checked

    def _carries_credentials(self, headers: Mapping[str, str]) -> bool:
        return any(SECRET_NAME.search(name) for name in headers) or any(
            value in self.secrets for value in headers.values()
        )

    def _follow(self, url: str, headers: dict[str, str]) -> bytes:
        """The body of ``url``'s answer, following at most a few redirects, within the deadline."""
        limit = time.monotonic() + self.deadline
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._exchange(current, headers, limit)
            if answer.status not in REDIRECT_STATUSES:
                return self._checked_answer(answer, current)
            location = answer.headers.get("Location", "").strip()
            if not location:
                raise RefreshError(
                    self.scrub(
                        f"HTTP {answer.status} from {redact_url(current)} names no new address"
                    )
                )
            target = urljoin(current, location)
            if _origin(target) != _origin(current) and self._carries_credentials(headers):
                raise RefreshError(
                    self.scrub(
                        f"{redact_url(current)} redirects to another host ({host_of(target)}); "
                        f"the API key is sent only to {host_of(url)}, so the redirect was not followed"
                    )
                )
            current = target
        raise RefreshError(
            self.scrub(f"more than {MAX_REDIRECTS} redirects from {redact_url(url)}")
        )

    def _checked_answer(self, answer: _Answer, url: str) -> bytes:
        shown = redact_url(url)
        status = answer.status
        if 200 <= status < 300:
            return answer.body
        said = self._server_said(answer.body)
        head = f"HTTP {status} {answer.reason} from {shown}".rstrip()
        if status == 401:
            raise RefreshError(
                self.scrub(f"{head}: the API key is missing, wrong or expired{said}")
            )
        if status == 403:
            raise RefreshError(
                self.scrub(
                    f"{head}: access refused, usually because the key's call quota is used up "
                    f"or the key does not cover this API; try again later or check the subscription{said}"
                )
            )
        if status == 429:
            retry_after = answer.headers.get("Retry-After", "").strip()
            wait = min(float(retry_after), self.max_wait_seconds) if retry_after.isdigit() else None
            raise _Retry(
                head,
                f": the publisher's rate limit still applies; wait and run the refresh again{said}",
                wait,
            )
        if status >= 500:
            raise _Retry(head, f": the publisher's server failed{said}")
        raise RefreshError(self.scrub(f"{head}{said}"))

    def _server_said(self, body: bytes) -> str:
        """The server's own explanation, one line: a JSON ``message``/``error``, else the text."""
        text = body.decode("utf-8", errors="replace").strip()
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            text = str(parsed.get("message") or parsed.get("error") or parsed.get("detail") or text)
        text = " ".join(text.split())[:BODY_EXCERPT_CHARS]
        return f' (the server says "{text}")' if text else ""

    def _exchange(self, url: str, headers: Mapping[str, str], limit: float) -> _Answer:
        """One GET; the connection is cut when the deadline passes, wherever it is blocked."""
        shown = redact_url(url)
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise RefreshError(self.scrub(f"{shown} is not an http(s) address"))
        remaining = limit - time.monotonic()
        if remaining <= 0:
            raise RefreshError(self.scrub(self._deadline_message(shown)))
        timeout = min(self.timeout, remaining)
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        host, port = parts.hostname, parts.port
        proxy = urllib.request.getproxies().get(parts.scheme)
        if proxy and not urllib.request.proxy_bypass(parts.netloc):  # as urllib would
            proxy_parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
            host, port = proxy_parts.hostname or host, proxy_parts.port
            if parts.scheme == "http":
                target = url  # a plain-HTTP proxy is asked for the whole address
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
            if host != parts.hostname:
                connection.set_tunnel(parts.hostname, parts.port)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        expired = threading.Event()
        watchdog: threading.Timer | None = None
        try:
            try:
                connection.connect()
            except (TimeoutError, socket.timeout):
                raise _Retry(f"no answer within {self.timeout:g} s from {shown}") from None
            except OSError as error:
                reason = getattr(error, "strerror", None) or error
                raise RefreshError(self.scrub(f"cannot reach {host_of(url)}: {reason}")) from None
            # The socket itself: the connection drops its reference once the answer is under way.
            watchdog = threading.Timer(remaining, _cut, args=(connection.sock, expired))
            watchdog.daemon = True
            watchdog.start()
            try:
                connection.request("GET", target, headers=dict(headers))
                response = connection.getresponse()
                body = self._read_body(response, shown, whole=200 <= response.status < 300)
            except RefreshError:
                if expired.is_set():
                    raise RefreshError(self.scrub(self._deadline_message(shown))) from None
                raise
            except (TimeoutError, socket.timeout):
                if expired.is_set():
                    raise RefreshError(self.scrub(self._deadline_message(shown))) from None
                raise _Retry(f"no answer within {self.timeout:g} s from {shown}") from None
            except http.client.IncompleteRead as error:
                if expired.is_set():
                    raise RefreshError(self.scrub(self._deadline_message(shown))) from None
                got = len(error.partial)
                of = f" of {got + error.expected} bytes" if error.expected else ""
                raise RefreshError(
                    self.scrub(f"truncated response from {shown}: got {got}{of}")
                ) from None
            except (OSError, http.client.HTTPException) as error:
                if expired.is_set():
                    raise RefreshError(self.scrub(self._deadline_message(shown))) from None
                raise RefreshError(
                    self.scrub(
                        f"connection to {host_of(url)} failed while reading {shown}: {error!r}"
                    )
                ) from None
            if expired.is_set():
                raise RefreshError(self.scrub(self._deadline_message(shown)))
            return _Answer(response.status, response.reason or "", response.msg, body)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            connection.close()

    def _read_body(self, response: http.client.HTTPResponse, shown: str, whole: bool) -> bytes:
        """The decoded body, never more than ``max_bytes``; only an excerpt of an error page."""
        cap = self.max_bytes if whole else BODY_EXCERPT_CHARS * 4
        declared = (response.getheader("Content-Length") or "").strip()
        if whole and declared.isdigit() and int(declared) > cap:
            raise RefreshError(
                self.scrub(self._size_message(shown, f"it announces {int(declared):,} bytes"))
            )
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding not in {"identity", "gzip", "x-gzip"}:
            raise RefreshError(
                self.scrub(f"the answer from {shown} is {encoding}-encoded, which is not supported")
            )
        decoder = zlib.decompressobj(wbits=31) if encoding != "identity" else None
        blocks: list[bytes] = []
        size = received = 0
        while True:
            block = response.read1(READ_BLOCK)
            if not block:
                break
            received += len(block)
            if decoder is not None:
                try:
                    block = decoder.decompress(block, cap - size + 1)
                    while decoder.unconsumed_tail and len(block) <= cap - size:
                        block += decoder.decompress(
                            decoder.unconsumed_tail, cap - size - len(block) + 1
                        )
                except zlib.error as error:
                    raise RefreshError(
                        self.scrub(f"the gzip body from {shown} is damaged ({error})")
                    ) from None
            size += len(block)
            if size > cap:
                if not whole:
                    blocks.append(block)
                    break
                raise RefreshError(
                    self.scrub(self._size_message(shown, f"stopped after {received:,} bytes"))
                )
            blocks.append(block)
        missing = response.length  # what a Content-Length promised and never came
        if whole and missing:
            raise RefreshError(
                self.scrub(
                    f"truncated response from {shown}: got {received} of {received + missing} bytes"
                )
            )
        if whole and decoder is not None and not decoder.eof:
            raise RefreshError(
                self.scrub(f"truncated response from {shown}: the gzip body ends early")
            )
        return b"".join(blocks)[:cap]

    def _size_message(self, shown: str, detail: str) -> str:
        limit = self.max_bytes / 2**20
        return (
            f"the answer from {shown} is larger than the {limit:g} MB limit ({detail}); "
            f"raise {MAX_MEGABYTES_ENV} if such an answer is expected"
        )

    def _deadline_message(self, shown: str) -> str:
        return (
            f"the answer from {shown} did not arrive in full within {self.deadline:g} s; "
            f"raise {DEADLINE_ENV} if the connection is just slow"
        )

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_seconds * 2 ** (attempt - 1), self.max_wait_seconds)


def _cut(sock: socket.socket | None, expired: threading.Event) -> None:
    """At the deadline: shut the socket, so a blocked read returns at once."""
    expired.set()
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def query_string(parameters: Iterable[tuple[str, str]]) -> str:
    """A query string that keeps commas readable (Comtrade's lists are comma-separated)."""
    return urlencode(list(parameters), safe=",")
