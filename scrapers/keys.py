"""API keys: read from environment variables, and kept out of every log line.

A sources file names the variable (`app_key: ${ADZUNA_APP_KEY}`) and the crawl passes that
reference, not the key, to the spider process, which expands it from its own environment;
so the key never sits in a command line, a run folder or the database. What the spider
does log (request URLs carry Adzuna's key in the query and Jooble's in the path) goes
through `RedactKeys`, which replaces every key with `***`."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MASK = "***"


def referenced(value: str) -> list[str]:
    """The environment variables a value names (`${NAME}`), in order."""
    return REFERENCE.findall(value)


def expand(value: str, environ: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """`value` with each `${NAME}` replaced from the environment, and the names not set."""
    environ = os.environ if environ is None else environ
    unset: list[str] = []

    def one(match: re.Match) -> str:
        found = environ.get(match.group(1))
        if not found:
            unset.append(match.group(1))
            return ""
        return found

    return REFERENCE.sub(one, value), unset


class RedactKeys(logging.Filter):
    """Masks the given secrets in a record's message and traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a key that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        clean = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
            record.exc_info = None  # formatters would print the raw traceback again
        if clean != message:
            record.msg, record.args = clean, ()
        return True


def redact_logs(secrets: Iterable[str]) -> RedactKeys:
    """Mask `secrets` in everything the root logger's handlers write from now on."""
    keys = RedactKeys(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(keys)
    return keys
