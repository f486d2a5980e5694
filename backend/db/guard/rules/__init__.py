"""The guard's rules: one function per rule, registered in ordered lists per check.

``lint`` and ``security`` hold the per-file and per-folder rules over revision files read with
``ast``; ``sql_statements`` judges parsed SQL; ``ruff_pyflakes``, ``bandit_scan`` and
``squawk_scan`` wrap the external tools (ruff runs in the background while lint works).
"""
