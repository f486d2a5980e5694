"""``--github-comment``: one pull-request comment, created once, then updated in place.

A local HTTP server on 127.0.0.1 plays GitHub's REST API (issues comments endpoints): real
HTTP, every request recorded (method, path, Authorization header, body), answers in the
documented shapes, pages of the list linked by a ``Link: <...>; rel="next"`` header, and on
demand the refusals GitHub gives (401, 403, 404, 422, rate limits). The guard runs as the CLI,
on a lint-only folder, with the environment GitHub Actions would set.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from backend.db.guard import github_comment
from backend.db.guard.cli import main

ROOT = Path(__file__).resolve().parents[1]
PASSING = ROOT / "scenarios" / "lint" / "pass_linear_chain" / "versions"
FAILING = ROOT / "scenarios" / "lint" / "fail_pass_downgrade" / "versions"
TOKEN = "ghs_s3cr3tT0kenNeverShown42"
REPO = "cotton/erp"
PR = 7
PER_PAGE = 2  # the stand-in pages by 2 whatever the client asks, so pagination is walked


@dataclass
class GitHub:
    """The stand-in's state: comments on the pull request, requests seen, a refusal to play."""

    comments: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    refuse: tuple[int, dict, dict] | None = None  # (status, headers, body) for every request
    next_id: int = 1000
    url: str = ""
    link_base: str | None = None  # where the Link header points (default: this server)

    def add(self, body: str, login: str) -> dict:
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "body": body,
            "user": {"login": login, "type": "User" if login != "github-actions[bot]" else "Bot"},
            "html_url": f"https://github.com/{REPO}/pull/{PR}#issuecomment-{self.next_id}",
        }
        self.comments.append(comment)
        return comment


def handler_for(github: GitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, body: object, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _record(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            seen = {
                "method": self.command,
                "path": urlparse(self.path).path,
                "query": parse_qs(urlparse(self.path).query),
                "auth": self.headers.get("Authorization"),
                "body": body,
            }
            github.requests.append(seen)
            return seen

        def _route(self) -> None:
            seen = self._record()
            if github.refuse is not None:
                status, headers, body = github.refuse
                return self._answer(status, body, headers)
            if seen["auth"] != f"Bearer {TOKEN}":
                return self._answer(401, {"message": "Bad credentials"})
            list_path = f"/repos/{REPO}/issues/{PR}/comments"
            if self.command == "GET" and seen["path"] == list_path:
                page = int(seen["query"].get("page", ["1"])[0])
                chunk = github.comments[(page - 1) * PER_PAGE : page * PER_PAGE]
                headers = {}
                if page * PER_PAGE < len(github.comments):
                    following = f"{github.link_base or github.url}{list_path}?per_page={PER_PAGE}&page={page + 1}"
                    headers["Link"] = f'<{following}>; rel="next"'
                return self._answer(200, chunk, headers)
            if self.command == "POST" and seen["path"] == list_path:
                return self._answer(201, github.add(seen["body"]["body"], "github-actions[bot]"))
            prefix = f"/repos/{REPO}/issues/comments/"
            if self.command == "PATCH" and seen["path"].startswith(prefix):
                wanted = int(seen["path"].removeprefix(prefix))
                for comment in github.comments:
                    if comment["id"] == wanted:
                        comment["body"] = seen["body"]["body"]
                        return self._answer(200, comment)
            return self._answer(404, {"message": "Not Found"})

        do_GET = do_POST = do_PATCH = _route

    return Handler


@pytest.fixture
def github(tmp_path: Path, monkeypatch) -> Iterator[GitHub]:
    state = GitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": PR}}))
    for name, value in {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": state.url,
        "GITHUB_EVENT_PATH": str(event),
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)  # no annotations, no step summary
    yield state
    server.shutdown()
    server.server_close()


def guard(capsys, versions: Path = FAILING) -> tuple[int, str, str]:
    code = main(["lint", "--versions", str(versions), "--github-comment"])
    out, err = capsys.readouterr()
    assert TOKEN not in out and TOKEN not in err
    return code, out, err


def ours(github: GitHub) -> list[dict]:
    return [c for c in github.comments if c["body"].startswith(github_comment.heading("lint"))]


def test_first_run_creates_one_comment_and_the_second_updates_that_same_comment(
    github: GitHub, capsys
) -> None:
    # Others' comments, enough for the list to take several pages; one quotes ours, one is the
    # guard's comment of another job (another check).
    github.add("LGTM", "reviewer")
    github.add(f"> {github_comment.MARKER}\n> quoted", "reviewer")
    github.add("please rebase", "lead")
    github.add(github_comment.heading("security") + "the security job's report", "actions")
    others = [dict(c) for c in github.comments]

    code, _, err = guard(capsys)
    assert code == 1  # the lint finding, as without a comment
    [created] = ours(github)
    assert "pull-request comment created" in err
    assert "require-real-downgrade" in created["body"]
    assert [r["method"] for r in github.requests] == ["GET", "GET", "POST"]  # two pages
    assert all(r["auth"] == f"Bearer {TOKEN}" for r in github.requests)

    github.requests.clear()
    code, _, err = guard(capsys, PASSING)
    assert code == 0
    assert ours(github) == [created] and created["body"].count(github_comment.MARKER) == 1
    assert "✅ passed" in created["body"] and "require-real-downgrade" not in created["body"]
    patches = [r for r in github.requests if r["method"] == "PATCH"]
    assert [r["path"] for r in patches] == [f"/repos/{REPO}/issues/comments/{created['id']}"]
    assert not [r for r in github.requests if r["method"] == "POST"]
    assert "pull-request comment updated" in err
    assert [c for c in github.comments if c["id"] != created["id"]] == others  # untouched


@pytest.mark.parametrize(
    ("status", "headers", "body", "shown"),
    [
        (401, {}, {"message": "Bad credentials"}, "401 (Bad credentials)"),
        (403, {}, {"message": "Resource not accessible by integration"}, "403 (Resource not"),
        (404, {}, {"message": "Not Found"}, "404 (Not Found)"),
        (422, {}, {"message": "Validation Failed"}, "422 (Validation Failed)"),
        (
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
            {"message": "API rate limit exceeded"},
            "403 (rate limit exhausted, resets at epoch 1700000000)",
        ),
        (429, {"x-ratelimit-remaining": "0"}, {"message": "Too Many"}, "429 (rate limit"),
    ],
)
def test_a_refusal_is_one_warning_line_and_the_exit_code_is_unchanged(
    github: GitHub, capsys, status: int, headers: dict, body: dict, shown: str
) -> None:
    github.refuse = (status, headers, {**body, "echo": TOKEN})  # even an echoed token is hidden
    for versions, verdict in ((FAILING, 1), (PASSING, 0)):
        code, _, err = guard(capsys, versions)
        assert code == verdict
        warnings = [line for line in err.splitlines() if "comment not posted" in line]
        assert len(warnings) == 1 and shown in warnings[0], err
        assert warnings[0].startswith("migration-guard: warning: ")
    assert github.comments == []


def test_no_server_listening_is_a_warning_too(github: GitHub, capsys, monkeypatch) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{closed}")
    code, _, err = guard(capsys)
    assert code == 1 and "comment not posted: GET /repos/cotton/erp/issues/7/comments" in err


def test_outside_a_pull_request_nothing_is_sent(github: GitHub, capsys, tmp_path) -> None:
    push = tmp_path / "push.json"
    push.write_text(json.dumps({"ref": "refs/heads/main"}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GITHUB_EVENT_PATH", str(push))
        code, _, err = guard(capsys)
    assert code == 1 and "not started by a pull request" in err
    assert github.requests == []


def test_a_next_page_on_another_host_is_not_followed(github: GitHub, capsys) -> None:
    for text in ("one", "two", "three"):
        github.add(text, "reviewer")
    github.link_base = "http://127.0.0.2:9"  # the token must not travel there
    code, _, err = guard(capsys)
    assert code == 1 and "is not on http://127.0.0.1" in err and "not followed" in err
    assert [r["method"] for r in github.requests] == ["GET"]
