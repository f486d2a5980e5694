"""The guard's report as one pull-request comment, updated in place on every run.

GitHub's REST API, issues comments endpoints (a pull request is an issue): list the pull
request's comments (every page), find the one that starts with :data:`MARKER` (and the checks it
reports: one comment per job), update it with
``PATCH /repos/{owner}/{repo}/issues/comments/{id}``, or create it with ``POST
/repos/{owner}/{repo}/issues/{n}/comments``. So a pull request carries one guard comment that
always shows the latest run, never a pile of them.

The environment is the one GitHub Actions sets: ``GITHUB_TOKEN`` (the workflow passes it),
``GITHUB_REPOSITORY``, ``GITHUB_API_URL`` (default https://api.github.com) and
``GITHUB_EVENT_PATH`` (the event JSON, whose ``pull_request.number`` is the pull request).

A comment is a courtesy, not a verdict: :func:`post` raises :class:`CommentNotPosted` with one
line (the HTTP status and what GitHub said), and the CLI prints it as a warning without
changing its exit code. The token is only ever put in the request's Authorization header; no
message built here contains it.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- migration-guard -->"
DEFAULT_API_URL = "https://api.github.com"
TIMEOUT_S = 15
PER_PAGE = 100
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class CommentNotPosted(Exception):
    """The comment could not be posted; ``str()`` is one line without the token."""


@dataclass(frozen=True)
class Posted:
    """What :func:`post` did: ``created`` or ``updated`` the comment ``comment_id``."""

    action: str
    comment_id: int
    url: str | None


def post(report: str, checks: str = "all", environ: Mapping[str, str] = os.environ) -> Posted:
    """Create or update the pull request's guard comment of ``checks`` (the CLI's check
    argument: jobs that run one check each keep one comment each) with ``report`` (markdown)."""
    api = _Api.from_environment(environ)
    try:
        number = pull_request_number(environ)
        header = heading(checks)
        existing = _find_own_comment(api, number, header)
        body = header + report
        if existing is None:
            made = api.request("POST", f"/repos/{api.repository}/issues/{number}/comments", body)
            return Posted("created", made["id"], made.get("html_url"))
        path = f"/repos/{api.repository}/issues/comments/{existing}"
        updated = api.request("PATCH", path, body)
        return Posted("updated", updated["id"], updated.get("html_url"))
    except CommentNotPosted as exc:  # whatever GitHub echoed, the token is not shown
        raise CommentNotPosted(str(exc).replace(api.token, "***")) from None


def pull_request_number(environ: Mapping[str, str]) -> int:
    """``pull_request.number`` of the event that started the workflow."""
    event_path = environ.get("GITHUB_EVENT_PATH")
    if not event_path:
        raise CommentNotPosted("GITHUB_EVENT_PATH is not set: not running under GitHub Actions")
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommentNotPosted(f"cannot read the event file {event_path}: {exc}") from None
    number = (event.get("pull_request") or {}).get("number")
    if not isinstance(number, int):
        raise CommentNotPosted("the workflow was not started by a pull request (no number)")
    return number


def heading(checks: str) -> str:
    """The hidden lines a guard comment starts with: the marker, then which checks it shows."""
    return f"{MARKER}\n<!-- checks: {checks} -->\n"


def _find_own_comment(api: _Api, number: int, header: str) -> int | None:
    """The id of the first comment that starts with ``header``, across every page (a reply
    quoting it starts with ``>``, so it is never taken for ours)."""
    url: str | None = f"/repos/{api.repository}/issues/{number}/comments?per_page={PER_PAGE}"
    while url is not None:
        comments, url = api.request_page(url)
        for comment in comments:
            if (comment.get("body") or "").startswith(header):
                return comment["id"]
    return None


@dataclass(frozen=True)
class _Api:
    base: str
    repository: str
    token: str

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> _Api:
        token, repository = environ.get("GITHUB_TOKEN"), environ.get("GITHUB_REPOSITORY")
        if not token:
            raise CommentNotPosted("GITHUB_TOKEN is not set (pass it to the step's env)")
        if not repository or "/" not in repository:
            raise CommentNotPosted("GITHUB_REPOSITORY is not set as OWNER/REPO")
        base = (environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
        return cls(base, repository, token)

    def request(self, method: str, path: str, body: str | None = None) -> dict:
        return self._send(method, path, body)[0]

    def request_page(self, path_or_url: str) -> tuple[list[dict], str | None]:
        """One page of a list, and the next page's URL from the Link header (only when it is on
        the same API: the token goes nowhere else)."""
        page, headers = self._send("GET", path_or_url)
        match = _NEXT_LINK.search(headers.get("Link") or "")
        following = match.group(1) if match else None
        if following is not None and not following.startswith(self.base + "/"):
            raise CommentNotPosted(f"the next page is not on {self.base}: not followed")
        return page, following

    def _send(self, method: str, path_or_url: str, body: str | None = None):
        url = path_or_url if path_or_url.startswith(self.base) else self.base + path_or_url
        shown = f"{method} {url.removeprefix(self.base).split('?', 1)[0]}"
        data = None if body is None else json.dumps({"body": body}).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                return json.loads(response.read() or b"null"), response.headers
        except urllib.error.HTTPError as exc:
            raise CommentNotPosted(f"GitHub answered {_refusal(exc)} to {shown}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CommentNotPosted(f"{shown} failed: {reason}") from None


def _refusal(exc: urllib.error.HTTPError) -> str:
    """``403 (rate limit exceeded ...)``: the status and GitHub's own message, if any."""
    remaining = exc.headers.get("x-ratelimit-remaining") if exc.headers else None
    try:
        message = json.loads(exc.read() or b"{}").get("message")
    except (ValueError, AttributeError, OSError):
        message = None
    if exc.code in (403, 429) and remaining == "0":
        reset = exc.headers.get("x-ratelimit-reset")
        detail = "rate limit exhausted" + (f", resets at epoch {reset}" if reset else "")
    else:
        detail = message or exc.reason
    return f"{exc.code} ({detail})" if detail else str(exc.code)
