"""The markdown report reads well once rendered: its tables, links, hints and folded warnings.

Rendered to HTML with markdown-it-py (GitHub's flavour: tables on) and read back with the
standard library's HTML parser, so what is asserted is what a reviewer sees.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

from backend.db.guard import report
from backend.db.guard.findings import CheckResult, Table, error, warning
from backend.db.guard.report import github, markdown
from backend.db.guard.rules import registry

ACTIONS = {
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "cotton/erp",
    "GITHUB_SHA": "0123abc",
    "GITHUB_WORKSPACE": "/home/runner/work/erp/erp",
}
LEFT = error(
    "enum-left-behind",
    "backend/db/migrations/versions/b2_lots.py",
    24,
    "downgrade to base leaves enum `cotton_grade` behind | <fast>",
    "drop it in downgrade(): sa.Enum(name='cotton_grade').drop(op.get_bind())",
)
FAILED = CheckResult(
    check="downgrade-test",
    findings=[
        LEFT,
        error(
            registry.UPGRADE_IS_REPEATABLE, "backend/db/migrations/versions", None, "differs", "x"
        ),
        warning("squawk-ban-drop-column", "/home/runner/work/erp/erp/v/c3.py", 7, "drop", "expand"),
    ],
    duration_s=1.5,
    tables=[Table("per revision", ("revision", "seconds"), (("b2", "0.12"), ("c3", "0.30")))],
)
PASSED = CheckResult(check="lint", duration_s=0.1)


class Page(HTMLParser):
    """What the rendered HTML shows: table rows (cells' text), links and <details> blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[tuple[str, str]] = []
        self.details: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._link: str | None = None
        self._details_depth = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self._link = dict(attrs)["href"]
            self._link_text: list[str] = []
        elif tag == "details":
            self._details_depth += 1
            self.details.append("")

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link, "".join(self._link_text)))
            self._link = None
        elif tag == "details":
            self._details_depth -= 1

    def handle_data(self, data) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link_text.append(data)
        if self._details_depth:
            self.details[-1] += data


def rendered(text: str) -> Page:
    # html=True: the comment's <details>, <br> and <sub> are raw HTML, as GitHub allows.
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    page = Page()
    page.feed(html)
    return page


def test_the_summary_table_has_a_row_per_check_with_verdict_counts_and_time() -> None:
    page = rendered(markdown.render([PASSED, FAILED], environ=ACTIONS))
    assert page.rows[0] == ["check", "verdict", "errors", "warnings", "time"]
    assert page.rows[1] == ["lint", "✅ passed", "0", "0", "0.10 s"]
    assert page.rows[2] == ["downgrade-test", "❌ failed", "2", "1", "1.50 s"]


def test_errors_link_to_the_file_at_their_line_on_the_commit_under_actions() -> None:
    page = rendered(markdown.render([FAILED], environ=ACTIONS))
    blob = "https://github.com/cotton/erp/blob/0123abc"
    assert (f"{blob}/backend/db/migrations/versions/b2_lots.py#L24", LEFT.where) in page.links
    assert (f"{blob}/backend/db/migrations/versions", "backend/db/migrations/versions") in (
        page.links
    )  # no line: the folder, no anchor
    # An absolute path inside the workspace links relative to the repository.
    assert (f"{blob}/v/c3.py#L7", "/home/runner/work/erp/erp/v/c3.py:7") in page.links


def test_without_actions_the_places_are_code_not_links() -> None:
    text = markdown.render([FAILED], environ={})
    page = rendered(text)
    assert page.links == []
    assert f"`{LEFT.where}`" in text


def test_each_error_shows_its_rule_message_and_fix_escaped() -> None:
    page = rendered(markdown.render([FAILED], environ=ACTIONS))
    shown = "".join(page.text)
    assert "enum-left-behind" in shown
    assert "downgrade to base leaves enum cotton_grade behind | <fast>" in shown
    assert "Fix: drop it in downgrade(): sa.Enum(name='cotton_grade').drop(op.get_bind())" in shown


def test_warnings_are_folded_and_errors_are_not() -> None:
    page = rendered(markdown.render([FAILED], environ=ACTIONS))
    assert len(page.details) == 1
    assert "1 warning" in page.details[0] and "squawk-ban-drop-column" in page.details[0]
    assert "enum-left-behind" not in page.details[0]


def test_a_checks_tables_are_shown_under_it() -> None:
    page = rendered(markdown.render([PASSED, FAILED], environ=ACTIONS))
    assert ["revision", "seconds"] in page.rows
    assert ["c3", "0.30"] in page.rows
    assert "per revision" in "".join(page.text)


def test_a_pass_is_one_line_and_a_table() -> None:
    text = markdown.render([PASSED], environ={})
    assert text.splitlines()[0] == "## Migration guard: ✅ passed"
    assert "###" not in text


def test_markdown_is_a_format_of_the_cli_and_the_step_summary() -> None:
    assert report.render("markdown", [FAILED], [], as_list=False) == markdown.render([FAILED])
    assert github.summary([PASSED, FAILED]) == markdown.render([PASSED, FAILED])


def test_tables_reach_the_json_report() -> None:
    [document] = [FAILED.to_dict()]
    assert document["tables"] == [
        {
            "title": "per revision",
            "header": ["revision", "seconds"],
            "rows": [["b2", "0.12"], ["c3", "0.30"]],
        }
    ]
