"""A local stand-in for SendGrid's POST /v3/mail/send, checked against the official contract.

Every request body is validated against the request schema of
sendgrid-mail-send.openapi.json (JSON Schema 2020-12, $refs resolved in place) plus the
rules the real API enforces beyond that file. Answers can be programmed:

    standin.answer(429, times=2, reset_at=1772445600)
    standin.answer(400, message="The from email does not contain a valid address.")

It can also behave like a provider under load: answer slowly (`delay=(0.5, 0.8)` seconds)
and enforce a provider-wide limit (`rate_limit=4` requests per second, in windows of one
whole second; beyond it, 429 with X-RateLimit-Reset at the window's end).

Use it from a test module (`from tests.notifications.sendgrid_standin import
sendgrid_standin  # noqa: F401`) or from a script (SendGridStandIn().start()).
"""

import json
import random
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

CONTRACT_PATH = Path(__file__).with_name("sendgrid-mail-send.openapi.json")
CONTRACT_URI = "urn:sendgrid:mail-send-openapi"
REQUEST_SCHEMA_POINTER = "/paths/~1v3~1mail~1send/post/requestBody/content/application~1json/schema"
API_KEY = "SG.test-key.for-the-stand-in"
#: SendGrid's limit on one request (the real API answers 413 above it).
MAX_BODY_BYTES = 30 * 1024 * 1024
#: Headers SendGrid will not let a sender set (it answers 400).
RESERVED_HEADERS = {
    "x-sg-id",
    "x-sg-eid",
    "received",
    "dkim-signature",
    "content-type",
    "content-transfer-encoding",
    "to",
    "from",
    "subject",
    "reply-to",
    "cc",
    "bcc",
}
# A bare addr-spec, as the API wants; "Name <a@b>" in an email field is a 400 there.
ADDRESS = re.compile(
    r"^[^@\s<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
AUTH_ERROR = "The provided authorization grant is invalid, expired, or revoked"


def contract_validator() -> Draft202012Validator:
    """A validator for the request body, resolving $refs into the whole OpenAPI document."""
    document = json.loads(CONTRACT_PATH.read_text())
    request_schema = _resolve_pointer(document, REQUEST_SCHEMA_POINTER)
    # The contract's known flaw: top-level custom_args is typed as a string, though the
    # API takes an object of strings (as in personalizations). Validate what the API takes.
    request_schema["properties"]["custom_args"] = {"type": "object"}
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource(CONTRACT_URI, resource)
    schema = {"$ref": f"{CONTRACT_URI}#{REQUEST_SCHEMA_POINTER}"}
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _resolve_pointer(document: dict, pointer: str) -> dict:
    """The node at a JSON pointer (only ~0 and ~1 escapes, as in the contract)."""
    node = document
    for part in pointer.lstrip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def api_rule_errors(body: dict) -> list[dict]:
    """Errors for what the real API enforces beyond the schema, in SendGrid's error shape."""
    errors = []

    def error(field_name, message):
        errors.append({"field": field_name, "message": message, "help": None})

    personalizations = body.get("personalizations") or []
    if len(personalizations) > 1000:
        error("personalizations", "The personalizations field cannot have more than 1000 items.")
    recipients = 0
    for index, personalization in enumerate(personalizations):
        if not isinstance(personalization, dict):
            continue
        for kind in ("to", "cc", "bcc"):
            for address in personalization.get(kind) or []:
                recipients += 1
                if isinstance(address, dict) and not ADDRESS.match(str(address.get("email"))):
                    error(
                        f"personalizations.{index}.{kind}",
                        "Does not contain a valid address.",
                    )
        for key, value in (personalization.get("custom_args") or {}).items():
            if not isinstance(value, str):
                error(
                    f"personalizations.{index}.custom_args.{key}",
                    "Custom args values must be strings.",
                )
    if recipients > 1000:
        error("personalizations", "A request may have at most 1000 recipients.")
    for field_name in ("from", "reply_to"):
        value = body.get(field_name)
        if isinstance(value, dict) and not ADDRESS.match(str(value.get("email"))):
            error(field_name, f"The {field_name} email does not contain a valid address.")
    types = [c.get("type") for c in body.get("content") or [] if isinstance(c, dict)]
    if "text/plain" in types and types.index("text/plain") != 0:
        error("content", "If present, text/plain must be first, followed by text/html.")
    if "text/html" in types:
        expected = 1 if "text/plain" in types else 0
        if types.index("text/html") != expected:
            error("content", "If present, text/plain must be first, followed by text/html.")
    if len(set(types)) != len(types):
        error("content", "Each content type may appear only once.")
    for index, attachment in enumerate(body.get("attachments") or []):
        content_type = attachment.get("type", "") if isinstance(attachment, dict) else ""
        if ";" in content_type or "\r" in content_type or "\n" in content_type:
            error(
                f"attachments.{index}.type",
                "The attachment type cannot contain ';', or CRLF characters.",
            )
    for name, value in (body.get("headers") or {}).items():
        if name.lower() in RESERVED_HEADERS:
            error(f"headers.{name}", f"The {name} header is reserved.")
        if not isinstance(value, str):
            error(f"headers.{name}", "Header values must be strings.")
    return errors


@dataclass
class RecordedRequest:
    """One request the stand-in received, with what it found wrong and what it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict | None
    raw: bytes
    schema_errors: list[dict]
    rule_errors: list[dict]
    status: int = 0
    #: The X-Message-Id answered with a 202.
    message_id: str | None = None
    #: When it arrived and when its answer was sent (epoch seconds).
    received_at: float = 0.0
    answered_at: float = 0.0
    #: The X-RateLimit-Reset of a 429 answer (epoch seconds).
    reset_at: int | None = None

    @property
    def validation_errors(self) -> list[str]:
        """Schema and API-rule errors together, as "field: message" text."""
        return [f"{e['field']}: {e['message']}" for e in self.schema_errors + self.rule_errors]

    @property
    def outbox_ids(self) -> list[str]:
        """The outbox ids our code puts in each personalization's custom_args."""
        return [
            p.get("custom_args", {}).get("outbox_id")
            for p in (self.body or {}).get("personalizations", [])
        ]


@dataclass
class PlannedAnswer:
    status: int
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)


class SendGridStandIn:
    """The stand-in server: start(), then point SendGridBackend at `url`."""

    def __init__(
        self,
        api_key: str = API_KEY,
        delay: tuple[float, float] | None = None,
        rate_limit: int | None = None,
    ):
        self.api_key = api_key
        #: Each answer waits a random time in this range (seconds).
        self.delay = delay
        #: Requests accepted per whole second; more get 429 until the next second.
        self.rate_limit = rate_limit
        self._window: tuple[int, int] = (0, 0)
        self.requests: list[RecordedRequest] = []
        self._planned: deque[PlannedAnswer] = deque()
        self._lock = threading.Lock()
        self._validator = contract_validator()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(
        self,
        status: int,
        *,
        times: int = 1,
        message: str | None = None,
        field_name: str | None = None,
        reset_at: int | None = None,
    ) -> None:
        """Answer the next `times` valid-or-not requests with `status` (after recording)."""
        for _ in range(times):
            self._planned.append(self._planned_answer(status, message, field_name, reset_at))

    @staticmethod
    def _planned_answer(status, message, field_name, reset_at) -> PlannedAnswer:
        if status in (200, 202):
            return PlannedAnswer(status)
        default = {
            400: "Bad Request",
            401: AUTH_ERROR,
            403: "You do not have authorization to make the request.",
            413: "The JSON payload you have included in your request is too large.",
            429: "too many requests",
            500: "Internal server error",
        }.get(status, "error")
        body = {"errors": [{"message": message or default, "field": field_name, "help": None}]}
        headers = {}
        if status == 429 and reset_at is not None:
            headers = {"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0"}
            headers["X-RateLimit-Reset"] = str(reset_at)
        return PlannedAnswer(status, body, headers)

    def received_outbox_ids(self) -> list[str]:
        """Outbox ids of every accepted (2xx) request, duplicates kept."""
        with self._lock:
            return [
                outbox_id
                for request in self.requests
                if 200 <= request.status < 300
                for outbox_id in request.outbox_ids
            ]

    def refused_by_limit(self) -> int:
        """How many requests were answered 429."""
        with self._lock:
            return sum(1 for request in self.requests if request.status == 429)

    def requests_inside_pauses(self, grace: float = 0.2) -> int:
        """Requests that arrived after a 429 had announced a reset and before that reset.

        `grace` seconds after each 429's answer are left out: a worker that checked for a
        pause just before another worker recorded it may still have a request on the way.
        """
        with self._lock:
            pauses = [
                (request.answered_at + grace, request.reset_at)
                for request in self.requests
                if request.status == 429 and request.reset_at is not None
            ]
            return sum(
                1
                for request in self.requests
                if any(start < request.received_at < end for start, end in pauses)
            )

    def _over_the_limit(self, moment: float) -> int | None:
        """The reset time if this request is beyond the per-second limit, else None."""
        if self.rate_limit is None:
            return None
        window = int(moment)
        with self._lock:
            start, used = self._window
            used = used + 1 if start == window else 1
            self._window = (window, used)
        return window + 1 if used > self.rate_limit else None

    def handle(self, method: str, path: str, headers: dict, raw: bytes) -> PlannedAnswer:
        """Record one request and decide the answer, as SendGrid would."""
        received_at = time.time()
        body, schema_errors, rule_errors = None, [], []
        if path != "/v3/mail/send" or method != "POST":
            return PlannedAnswer(404, {"errors": [{"message": "not found", "field": None}]})
        too_large = len(raw) > MAX_BODY_BYTES
        try:
            body = json.loads(raw)
        except ValueError as error:
            schema_errors = [{"field": None, "message": f"Bad Request: {error}", "help": None}]
        if isinstance(body, dict):
            # Like SendGrid: the field as a dotted path, None for the body itself.
            schema_errors = sorted(
                (
                    {
                        "field": ".".join(map(str, e.absolute_path)) or None,
                        "message": e.message,
                        "help": None,
                    }
                    for e in self._validator.iter_errors(body)
                ),
                key=lambda e: (e["field"] or "", e["message"]),
            )
            rule_errors = api_rule_errors(body)
        elif body is not None:
            schema_errors = [{"field": None, "message": "Bad Request", "help": None}]
        record = RecordedRequest(method, path, headers, body, raw, schema_errors, rule_errors)
        record.received_at = received_at
        with self._lock:
            self.requests.append(record)
            planned = self._planned.popleft() if self._planned else None
        if planned is None:
            reset_at = self._over_the_limit(received_at)
            if reset_at is not None:
                planned = self._planned_answer(429, None, None, reset_at)
            else:
                planned = self._natural_answer(headers, body, record, too_large)
        record.status = planned.status
        if planned.status == 429 and "X-RateLimit-Reset" in planned.headers:
            record.reset_at = int(planned.headers["X-RateLimit-Reset"])
        if planned.status == 202:
            record.message_id = f"standin-{uuid.uuid4().hex[:22]}"
            planned = PlannedAnswer(202, None, {"X-Message-Id": record.message_id})
        if self.delay is not None:
            time.sleep(random.uniform(*self.delay))  # noqa: S311 (timing, not security)
        record.answered_at = time.time()
        return planned

    def _natural_answer(self, headers, body, record, too_large) -> PlannedAnswer:
        if headers.get("authorization") != f"Bearer {self.api_key}":
            return self._planned_answer(401, None, None, None)
        if too_large:
            return self._planned_answer(413, None, None, None)
        if record.schema_errors or record.rule_errors:
            return PlannedAnswer(400, {"errors": record.schema_errors + record.rule_errors})
        sandbox = (body.get("mail_settings") or {}).get("sandbox_mode") or {}
        # Sandbox mode validates and answers 200 without sending.
        return PlannedAnswer(200 if sandbox.get("enable") else 202)

    def start(self) -> "SendGridStandIn":
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                planned = standin.handle(method, self.path, headers, raw)
                payload = json.dumps(planned.body).encode() if planned.body else b""
                self.send_response(planned.status)
                for name, value in planned.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self):
                self._answer("POST")

            def do_GET(self):
                self._answer("GET")

            def log_message(self, format, *args):
                pass  # keep test and benchmark output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits for it, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def sendgrid_standin():
    """A started stand-in with the default key (API_KEY), stopped after the test."""
    standin = SendGridStandIn().start()
    yield standin
    standin.stop()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (to test network errors)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
