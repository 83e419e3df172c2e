"""JSON bodies of the API, read within the request size limit (``DATA_UPLOAD_MAX_MEMORY_SIZE``).

Django checks that limit only when ``request.body`` is read; REST framework's parsers read the stream directly,
so a 50 MB body used to be read whole (issue 14, finding 8). Here a declared length above the limit is refused
before anything is read, and an undeclared one is read at most one byte past the limit.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def read_limited(stream, parser_context) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    message = f"请求体超过 {limit // (1024 * 1024)} MB / the body is larger than {limit} bytes"
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if limit is not None and declared > limit:
        raise BodyTooLarge(message)
    if stream is None:
        return b""
    data = stream.read(limit + 1) if limit is not None else stream.read()
    if limit is not None and len(data) > limit:
        raise BodyTooLarge(message)
    return data


class LimitedJSONParser(BaseParser):
    """JSON; with ``decimals`` every non-integer number is read as ``Decimal`` (never a binary float)."""

    media_type = "application/json"
    decimals = False

    def parse(self, stream, media_type=None, parser_context=None):
        raw = read_limited(stream, parser_context)
        try:
            return json.loads(raw.decode(settings.DEFAULT_CHARSET),
                              parse_float=Decimal if self.decimals else None)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            raise ParseError("JSON 嵌套过深 / JSON nested too deeply") from None


class DecimalJSONParser(LimitedJSONParser):
    decimals = True
