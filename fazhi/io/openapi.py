"""The OpenAPI description says how every operation can fail, not only how it succeeds.

drf-spectacular documents the success answer of each operation; the refusals REST framework gives on its own are
added here (``POSTPROCESSING_HOOKS``), so a client — and schemathesis in the test suite
(``fazhi/workbench/tests/test_api_schemathesis.py``) — knows them:

- 400 when the operation takes query parameters or a body: a filter value or a field was refused (the body
  names each field with its messages, or gives ``detail``);
- 401 / 403 for every operation: not signed in (401 with a token scheme, 403 with the session), or signed in
  without the right to it;
- 404 when the path names an object, or the list is paged (a page that does not exist).

An answer an operation documents itself (e.g. the scoring engine's 400) is kept as it is.
"""

from __future__ import annotations

ERROR = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "a refusal: `detail` says why; for a refused filter or field, each field name with its messages",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
}
REASONS = {
    "400": "请求参数有误 / a parameter or field was refused",
    "401": "未登录或令牌无效 / not signed in, or the token is not valid",
    "403": "无权访问 / not signed in (session) or not allowed",
    "404": "对象或页码不存在 / no such object, or no such page",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            codes = ["401", "403"]
            if any(p.get("in") == "query" for p in parameters) or "requestBody" in operation:
                codes.append("400")
            if "{" in path or any(p.get("name") == "page" for p in parameters):
                codes.append("404")
            for code in codes:
                operation["responses"].setdefault(code, {"description": REASONS[code], "content": content})
    return result

