"""One command's conversation with the API, through the generated client (crm_client): the client built
from the settings, a spinner while waiting, and every way a call can fail turned into a message and an
exit code, never a traceback."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.text import Text

from crm_cli.config import Settings
from crm_client import AuthenticatedClient, Client
from crm_client.models import Problem
from crm_client.types import Response

TIMEOUT_S = 30.0
PIPED_WIDTH = 200


class ExitCode(IntEnum):
    OK = 0
    API_ERROR = 1  # the API answered an error (4xx, 5xx) or something this client cannot read
    USAGE = 2  # the command line, environment or config file (also click's code for usage errors)
    UNREACHABLE = 3  # no answer: connection refused, DNS, TLS, timeout
    INTERNAL = 4  # a fault in crm itself


@dataclass
class State:
    """What the root command hands its subcommands. Tests pass `transport` (an httpx.MockTransport)."""

    transport: httpx.BaseTransport | None = None
    settings: Settings | None = None
    stdout: Console = field(default_factory=lambda: output_console())
    stderr: Console = field(default_factory=lambda: Console(stderr=True))


def output_console() -> Console:
    """Rich's console on stdout; piped (not a terminal, no COLUMNS) it is wide, so table rows stay one line
    each for grep and friends, rather than folding at 80 columns."""
    console = Console()
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(width=PIPED_WIDTH)
    return console


def fail(state: State, message: str, code: ExitCode) -> NoReturn:
    state.stderr.print(Text(f"crm: {message}"), style="red", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


class Session:
    def __init__(self, state: State, *, as_json: bool) -> None:
        if state.settings is None:
            raise RuntimeError("the root command sets the settings")
        self.state = state
        self.settings = state.settings
        self.as_json = as_json

    def call(self, endpoint: Any, label: str, *args: Any, authenticated: bool = True, **kwargs: Any) -> Response[Any]:
        """`endpoint` is a crm_client.api module; its sync_detailed gets the client and the arguments. Returns
        a 2xx answer; anything else ends the command with the problem on stderr."""
        answers: list[httpx.Response] = []

        def keep(response: httpx.Response) -> None:
            response.read()
            answers.append(response)  # the raw answer, should parsing the typed one fail

        client = self._client(authenticated, keep)
        try:
            with client, self.state.stderr.status(label, spinner="dots"):
                answer = endpoint.sync_detailed(*args, client=client, **kwargs)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            fail(self.state, f"cannot use the CRM URL {self.settings.base_url}: {error}", ExitCode.USAGE)
        except httpx.TransportError as error:
            fail(
                self.state,
                f"cannot reach the CRM API at {self.settings.base_url}: {_reason(error)}",
                ExitCode.UNREACHABLE,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            # Not the documented shape (e.g. an HTML error page from a proxy): report what came.
            if not answers:
                raise
            raw = answers[-1]
            if raw.status_code >= 400:
                self._problem(raw.status_code, raw.content)
            fail(
                self.state,
                f"unexpected answer {raw.status_code} from {raw.request.url}: {_excerpt(raw.content)}",
                ExitCode.API_ERROR,
            )
        if answer.status_code >= 400:
            self._problem(answer.status_code, answer.content)
        return answer

    def _client(self, authenticated: bool, keep: Callable[[httpx.Response], None]) -> AuthenticatedClient | Client:
        httpx_args: dict[str, Any] = {"event_hooks": {"response": [keep]}}
        if self.state.transport is not None:
            httpx_args["transport"] = self.state.transport
        options: dict[str, Any] = {
            "base_url": self.settings.base_url,
            "timeout": httpx.Timeout(TIMEOUT_S),
            "headers": {"User-Agent": "crm-cli"},
            "httpx_args": httpx_args,
        }
        if not authenticated:
            return Client(**options)
        if not self.settings.api_key:
            fail(self.state, "no API key: set CRM_API_KEY, pass --api-key or choose a --profile", ExitCode.USAGE)
        return AuthenticatedClient(token=self.settings.api_key, **options)

    def _problem(self, status: int, content: bytes) -> NoReturn:
        """An error answer: its problem+json on stderr (title, detail, each field at fault); under --json the
        answer itself on stdout too, for scripts."""
        if self.as_json:
            self.print_raw(content)
        try:
            problem = Problem.from_dict(json.loads(content))
        except (ValueError, KeyError, TypeError, AttributeError):
            fail(self.state, f"HTTP {status}: {_excerpt(content)}", ExitCode.API_ERROR)
        lines = [f"crm: {problem.status} {problem.title}: {problem.detail}"]
        for error in problem.errors or []:
            lines.append(f"  {error.pointer}: {error.detail}")
        if isinstance(problem.existing_id, str):
            lines.append(f"  existing record: {problem.existing_id}")
        self.state.stderr.print(Text("\n".join(lines)), style="red", highlight=False, soft_wrap=True)
        raise typer.Exit(ExitCode.API_ERROR)

    def print_raw(self, content: bytes) -> None:
        """The API's answer as it came, byte for byte (exact numbers stay exact)."""
        text = content.decode("utf-8", errors="replace")
        self.state.stdout.file.write(text if text.endswith("\n") else text + "\n")
        self.state.stdout.file.flush()


def _reason(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {TIMEOUT_S:g} s"
    return str(error) or type(error).__name__


def _excerpt(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace").strip()
    return (text[:300] + "...") if len(text) > 300 else (text or "(empty body)")
