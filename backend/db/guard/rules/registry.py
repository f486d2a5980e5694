"""Every rule the guard can report, in one ordered table: id, check, default severity, summary.

Findings are made from this table (``findings.error(rules.SINGLE_HEAD, ...)``, or the id as a
string where a call site has not been converted yet): a rule that is not here cannot be reported,
and a rule made with another severity than its default fails unless the call site overrides it on
purpose. The ``rules`` command, the SARIF rule metadata and the guide's test read the same table.

Tools' rules are families: one entry with the prefix of their ids (``ruff-F``, ``bandit-B``,
``squawk-``) stands for every id the tool makes (``bandit-B602`` resolves to ``BANDIT``).

Adding a rule is one ``_rule(...)`` line below, in the block of its check, plus its ``###``
section in DATABASE_MIGRATION_GUIDE.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"  # fails the check (exit 1)
    WARNING = "warning"  # reported, never fails the check


class UnknownRule(LookupError):
    """A finding names a rule the registry does not hold (a bug in the guard, not in the user's
    migrations: the CLI reports it as an internal error)."""


@dataclass(frozen=True)
class Rule:
    """One rule: its id (a prefix for a tool's family), the check that reports it, its default
    severity, what it asserts in one line, and the guide heading that documents it."""

    id: str
    check: str
    severity: Severity
    summary: str
    family: bool = False
    heading: str = ""  # the guide's ``###`` heading when it is not the id itself

    @property
    def guide_heading(self) -> str:
        return self.heading or self.id

    @property
    def anchor(self) -> str:
        """The guide's anchor for the heading, as GitHub makes it (the ids are kebab-case)."""
        return self.guide_heading.lower()

    @property
    def label(self) -> str:
        """The id as shown to people: a family's prefix ends with ``*``."""
        return f"{self.id}*" if self.family else self.id

    def covers(self, rule_id: str) -> bool:
        """``rule_id`` is this rule, or (for a family) one of its tool's ids."""
        if self.family:
            return rule_id.startswith(self.id) and len(rule_id) > len(self.id)
        return rule_id == self.id


_TABLE: list[Rule] = []


def _rule(
    rule_id: str,
    check: str,
    severity: Severity,
    summary: str,
    family: bool = False,
    heading: str = "",
) -> Rule:
    """Register one rule: its place in the table is its place in ``rules`` and SARIF."""
    rule = Rule(rule_id, check, severity, summary, family, heading)
    _TABLE.append(rule)
    return rule


ERROR, WARNING = Severity.ERROR, Severity.WARNING
LINT, DRY_RUN, DOWNGRADE_TEST, SECURITY = "lint", "dry-run", "downgrade-test", "security"
DATA_TEST = "data-test"
LOCK_TEST = "lock-test"

# fmt: off
REVISION_COMPILES = _rule("revision-compiles", LINT, ERROR, "every revision file is valid Python")
REQUIRE_REAL_DOWNGRADE = _rule("require-real-downgrade", LINT, ERROR, "upgrade() and downgrade() exist, and downgrade() undoes what upgrade() does")
DECLARED_IRREVERSIBLE = _rule("declared-irreversible", LINT, WARNING, "a data migration declared irreversible (`# guard: irreversible <reason>`); its reason is echoed")
NO_APP_IMPORT = _rule("no-app-import", LINT, ERROR, "a revision imports no application code")
FILENAME_MATCHES_REVISION = _rule("filename-matches-revision", LINT, ERROR, "a revision file is named after its literal revision id")
UNIQUE_REVISION_ID = _rule("unique-revision-id", LINT, ERROR, "no two revision files declare the same id")
SINGLE_HEAD = _rule("single-head", LINT, ERROR, "the revision graph has exactly one head")
MISSING_DOWN_REVISION = _rule("missing-down-revision", LINT, ERROR, "every down_revision names a revision in the folder")
NO_CYCLE = _rule("no-cycle", LINT, ERROR, "the down_revision links form no loop")
REVISION_LOADS = _rule("revision-loads", LINT, ERROR, "Alembic can import every revision file")
RUFF = _rule("ruff-F", LINT, ERROR, "ruff's pyflakes rules: undefined names, broken imports, misused syntax", family=True)

UPGRADE_FAILS = _rule("upgrade-fails", DRY_RUN, ERROR, "every upgrade() succeeds on a fresh database")
UPGRADE_REACHES_HEAD = _rule("upgrade-reaches-head", DRY_RUN, ERROR, "upgrade heads leaves the database at the code's head(s)")
SCHEMA_MATCHES_CONTRACT = _rule("schema-matches-contract", DRY_RUN, ERROR, "the migrated schema equals the committed schema contract")
NO_MODEL_DRIFT = _rule("no-model-drift", DRY_RUN, ERROR, "the models and the migrated schema agree")
OFFLINE_SQL_GENERATES = _rule("offline-sql-generates", DRY_RUN, ERROR, "alembic upgrade head --sql works for the whole chain")

DOWNGRADE_FAILS = _rule("downgrade-fails", DOWNGRADE_TEST, ERROR, "every downgrade() succeeds on the way to base")
ENUM_LEFT_BEHIND = _rule("enum-left-behind", DOWNGRADE_TEST, ERROR, "downgrade to base leaves no enum type behind")
TABLE_LEFT_BEHIND = _rule("table-left-behind", DOWNGRADE_TEST, ERROR, "downgrade to base leaves no table behind")
DOWNGRADE_LEAVES_NOTHING = _rule("downgrade-leaves-nothing", DOWNGRADE_TEST, ERROR, "downgrade to base leaves no other object behind (index, sequence, function, ...)")
UPGRADE_IS_REPEATABLE = _rule("upgrade-is-repeatable", DOWNGRADE_TEST, ERROR, "upgrading again after downgrade to base succeeds and gives the same schema")
STAIRWAY = _rule("stairway", DOWNGRADE_TEST, ERROR, "each revision goes up, down and up again right after its predecessors")

BAN_SQL_INJECTION = _rule("ban-sql-injection", SECURITY, ERROR, "executed SQL is a literal, never built from formatted values")
SQL_UNPARSEABLE = _rule("sql-unparseable", SECURITY, WARNING, "executed literal SQL parses as PostgreSQL, so the security rules can read it")
BAN_DROP_DATABASE = _rule("ban-drop-database", SECURITY, ERROR, "no DROP DATABASE in a migration")
BAN_DROP_SCHEMA = _rule("ban-drop-schema", SECURITY, ERROR, "no DROP SCHEMA in a migration")
BAN_TRUNCATE = _rule("ban-truncate", SECURITY, ERROR, "no TRUNCATE in a migration")
REQUIRE_WHERE_IN_DELETE = _rule("require-where-in-delete", SECURITY, ERROR, "every DELETE has a WHERE clause")
REQUIRE_WHERE_IN_UPDATE = _rule("require-where-in-update", SECURITY, ERROR, "every UPDATE has a WHERE clause")
BAN_ALTER_SYSTEM = _rule("ban-alter-system", SECURITY, ERROR, "no ALTER SYSTEM in a migration")
BAN_COPY_PROGRAM = _rule("ban-copy-program", SECURITY, ERROR, "no COPY ... PROGRAM (a shell command on the server)")
BAN_COPY_SERVER_FILE = _rule("ban-copy-server-file", SECURITY, ERROR, "no COPY to or from a server file")
BAN_GRANT_PUBLIC = _rule("ban-grant-public", SECURITY, ERROR, "no GRANT ... TO PUBLIC")
BAN_GRANT_ALL = _rule("ban-grant-all", SECURITY, ERROR, "no GRANT ALL; privileges are granted by name")
BAN_SUPERUSER_ROLE = _rule("ban-superuser-role", SECURITY, ERROR, "no role created or altered WITH SUPERUSER")
BAN_LITERAL_PASSWORD = _rule("ban-literal-password", SECURITY, ERROR, "no role password written in a migration")
BAN_SERVER_FILE_FUNCTIONS = _rule("ban-server-file-functions", SECURITY, ERROR, "no server file functions (pg_read_file, lo_import, ...)")
BAN_DBLINK = _rule("ban-dblink", SECURITY, ERROR, "no dblink connections to other databases")
BAN_REPLICATION_ROLE = _rule("ban-replication-role", SECURITY, ERROR, "session_replication_role is never changed (it disables triggers and foreign keys)")
BAN_DISABLE_TRIGGER = _rule("ban-disable-trigger", SECURITY, ERROR, "no ALTER TABLE ... DISABLE TRIGGER")
REQUIRE_ALLOWED_DESTRUCTIVE = _rule("require-allowed-destructive", SECURITY, ERROR, "a drop in upgrade() carries `# guard: allow-destructive <reason>`")
ALLOWED_DESTRUCTIVE = _rule("allowed-destructive", SECURITY, WARNING, "a drop in upgrade() was allowed; the report echoes the reason")
BANDIT = _rule("bandit-B", SECURITY, ERROR, "bandit's Python dangers (subprocess, pickle, eval, ...)", family=True)
SQUAWK = _rule("squawk-", SECURITY, WARNING, "squawk's lock-safety rules on the offline SQL of revisions after the base", family=True, heading="squawk-rules")

DATA_UPGRADE_FAILS = _rule("data-upgrade-fails", DATA_TEST, ERROR, "every upgrade() succeeds on a database whose tables hold rows")
DATA_ROWS_LOST = _rule("data-rows-lost", DATA_TEST, ERROR, "an upgrade() keeps the rows of every table it keeps")
DATA_ROWS_LOST_ALLOWED = _rule("data-rows-lost-allowed", DATA_TEST, WARNING, "an upgrade() deleted rows under `# guard: allow-destructive <reason>`; the reason is echoed")
DATA_DOWNGRADE_FAILS = _rule("data-downgrade-fails", DATA_TEST, ERROR, "every downgrade() succeeds with rows written after its upgrade in place")
DATA_REUPGRADE_FAILS = _rule("data-reupgrade-fails", DATA_TEST, ERROR, "upgrading again after the downgrade succeeds on the rows that are left")
DATA_REHEARSAL_SQL_FAILS = _rule("data-rehearsal-sql-fails", DATA_TEST, ERROR, "a team's rehearsal/<revision>.sql runs after its revision's upgrade")
DATA_GENERATOR_INCOMPLETE = _rule("data-generator-incomplete", DATA_TEST, WARNING, "the row generator filled every table the schema has, under every constraint")
LOCK_BLOCKS_WRITES = _rule("lock-blocks-writes", LOCK_TEST, ERROR, "no lock that blocks writes is held on an existing table longer than the budget")
LOCK_BLOCKS_READS = _rule("lock-blocks-reads", LOCK_TEST, ERROR, "no ACCESS EXCLUSIVE lock is held on an existing table longer than the budget")
# fmt: on

RULES: tuple[Rule, ...] = tuple(_TABLE)
_BY_ID = {rule.id: rule for rule in RULES if not rule.family}
_FAMILIES = sorted((rule for rule in RULES if rule.family), key=lambda r: -len(r.id))


def resolve(rule_id: str) -> Rule:
    """The registered rule ``rule_id`` is, or the family it belongs to; UnknownRule otherwise."""
    rule = _BY_ID.get(rule_id)
    if rule is not None:
        return rule
    for family in _FAMILIES:
        if family.covers(rule_id):
            return family
    raise UnknownRule(
        f"rule {rule_id!r} is not in the registry (backend/db/guard/rules/registry.py)"
    )
