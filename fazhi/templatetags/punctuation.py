"""Punctuation that follows the language: full-width in Chinese, ASCII (with a space) in English.

Templates put punctuation between translated labels and data (``{% translate "状态" %}{% colon %}{{ value }}``);
a literal "：" or "（…）" there would show Chinese punctuation to an English reader. The marks come from the
catalogue (context "punctuation"), so another language can choose its own. Registered as a template builtin
(``TEMPLATES[...]["OPTIONS"]["builtins"]``), so no ``{% load %}`` is needed.

    {% colon %}           ：  /  ": "
    {% lparen %}…{% rparen %}   （…）  /  " (…)"
    {% listsep %}         、  /  ", "
    {% semicolon %}       ；  /  "; "
    {{ items|join_list }} a、b、c  /  "a, b, c"

``in_parens(text)`` is for Python code that builds labels (form choices).
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    return pgettext("punctuation", "：")


@register.simple_tag
def lparen() -> str:
    return pgettext("punctuation", "（")


@register.simple_tag
def rparen() -> str:
    return pgettext("punctuation", "）")


@register.simple_tag
def listsep() -> str:
    return pgettext("punctuation", "、")


@register.simple_tag
def semicolon() -> str:
    return pgettext("punctuation", "；")


def in_parens(text) -> str:
    """Plain text (not HTML): ``text`` in the active language's brackets."""
    return f"{lparen()}{text}{rparen()}"


@register.filter(is_safe=True, needs_autoescape=True)
def join_list(value, autoescape=True) -> str:
    escape = conditional_escape if autoescape else str
    return mark_safe(escape(listsep()).join(escape(item) for item in value))  # noqa: S308 — every part escaped
