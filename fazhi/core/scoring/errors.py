"""Errors raised by the assessment scoring engine.

Every error names what the office has to fix: the unit, the indicator and/or the path in the input,
in Chinese for the office and in English for developers.
"""

from __future__ import annotations

__all__ = ["ScoringError"]


class ScoringError(ValueError):
    """A campaign's input cannot be scored as given (configuration or data error).

    Attributes:
        unit: code of the assessed unit concerned, or ``None``.
        indicator: code of the indicator concerned, or ``None``.
        path: location in the JSON input (``"scores[12].score"``), or ``None``.
        message_zh: the message for the office (Chinese).
        message_en: the same message in English.

    ``str(error)`` is ``"<message_zh> / <message_en>"``.
    """

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        unit: str | None = None,
        indicator: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.unit = unit
        self.indicator = indicator
        self.path = path
        super().__init__(f"{message_zh} / {message_en}")

    def as_dict(self) -> dict[str, str | None]:
        """A JSON-friendly form, for APIs and the CLI."""
        return {
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "unit": self.unit,
            "indicator": self.indicator,
            "path": self.path,
        }
