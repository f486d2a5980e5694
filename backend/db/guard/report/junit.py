"""JUnit XML for CI test reporting: a testsuite per check, a testcase per finding.

An error finding is a ``<failure>``; a warning is a passing testcase with the warning in
``<system-out>``; a check without findings gets one passing testcase so that it shows up at all.
Testcase names are unique within a suite (``rule @ path:line``, numbered from ``#2`` when a rule
fires twice at one place): CI tools key results by name and would merge or drop duplicates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from backend.db.guard.findings import CheckResult, Finding, Severity


def render(results: list[CheckResult]) -> str:
    suites = ET.Element("testsuites", name="migration-guard")
    total_tests = total_failures = 0
    total_time = 0.0
    for result in results:
        failures = result.errors
        tests = max(len(result.findings), 1)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=result.check,
            tests=str(tests),
            failures=str(failures),
            errors="0",
            time=f"{result.duration_s:.3f}",
        )
        if not result.findings:
            ET.SubElement(suite, "testcase", classname=result.check, name="passed", time="0")
        for finding, name in zip(result.findings, _case_names(result.findings), strict=True):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{result.check}.{finding.rule}",
                name=name,
                file=finding.path,
                time="0",
            )
            if finding.line:
                case.set("line", str(finding.line))
            body = f"{finding.where} {finding.rule} {finding.message}\nhint: {finding.hint}"
            if finding.severity is Severity.ERROR:
                failure = ET.SubElement(case, "failure", message=finding.message, type=finding.rule)
                failure.text = body
            else:
                ET.SubElement(case, "system-out").text = "warning: " + body
        total_tests += tests
        total_failures += failures
        total_time += result.duration_s
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("time", f"{total_time:.3f}")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _case_names(findings: list[Finding]) -> list[str]:
    """``rule @ path:line`` per finding; a name already taken gets `` #2``, `` #3``, ..."""
    taken: set[str] = set()
    names = []
    for finding in findings:
        base = name = f"{finding.rule} @ {finding.where}"
        number = 1
        while name in taken:
            number += 1
            name = f"{base} #{number}"
        taken.add(name)
        names.append(name)
    return names
