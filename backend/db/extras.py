"""Which optional parts of the project this environment has.

``pip install .`` (what Cloud Build runs) holds the schema and the deploy; the migration guard's
tools and its disposable PostgreSQL come with the ``guard`` extra. The guard imports them only
where it uses them, so without the extra it would start and fail midway on a missing module;
its edges ask :func:`missing` first and say how to install instead.
"""

from __future__ import annotations

import re
from importlib import metadata

DISTRIBUTION = "cotton-erp-backend"
GUARD_INSTALL = "install the guard: pip install '.[guard]'"
# A requirement as the metadata spells it: `pglast>=7.0; extra == "guard"`.
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*;(.*)$")
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*["']([^"']+)["']""")


def missing(extra: str) -> list[str]:
    """The distributions ``extra`` requires that are not installed here, in the order listed.

    Empty when the project itself is not installed as a distribution (a bare checkout on
    ``PYTHONPATH``): then nothing says what the extra holds, and the command just runs.
    """
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return []
    absent = []
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if not match or _EXTRA_MARKER.findall(match.group(2)) != [extra]:
            continue
        name = match.group(1)
        if name == DISTRIBUTION:
            continue  # `dev` names `cotton-erp-backend[guard]`: the extra's own rows count
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            absent.append(name)
    return absent
