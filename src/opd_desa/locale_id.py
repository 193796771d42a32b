"""Bahasa Indonesia catalogue: English message -> Indonesian message."""

from __future__ import annotations

MESSAGES: dict[str, str] = {}
