"""Writes for units and people (services: keyword-only, validated, atomic)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.io.excel import Column, ImportFailed, RowError, build_workbook, parse_rows

from . import events, policies
from .models import Category, Level, Unit, UnitKind

LEVEL_BY_LABEL = {str(label): value for value, label in Level.choices}
KIND_BY_LABEL = {str(label): value for value, label in UnitKind.choices}


def _category(value) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"“{value}”不是 1–7 的考核类别") from None
    if number not in Category.values:
        raise ValueError(f"考核类别应为 1–7，得到 {number}")
    return number


def _code(value) -> str:
    text = str(value).strip()
    if len(text) > 64 or any(ch.isspace() for ch in text):
        raise ValueError("编码不能含空白且不超过 64 个字符")
    return text


def _sort(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"“{value}”不是整数") from None
    if number < 0:
        raise ValueError("排序不能为负数")
    return number


def unit_columns() -> list[Column]:
    return [
        Column("code", "编码", parse=_code, help="唯一编码；已存在的编码将更新该单位"),
        Column("name", "名称", parse=lambda v: str(v)[:200]),
        Column("short_name", "简称", required=False, parse=lambda v: str(v)[:60]),
        Column("parent", "上级编码", required=False, parse=_code, help="上级单位的编码；可引用本表中的单位"),
        Column("level", "层级", choices=tuple(LEVEL_BY_LABEL)),
        Column("kind", "单位类型", choices=tuple(KIND_BY_LABEL)),
        Column("category", "考核类别", required=False, parse=_category, help="1–7，不参加考核留空"),
        Column("region", "行政区划名", required=False, parse=lambda v: str(v)[:60]),
        Column("sort_order", "排序", required=False, parse=_sort),
    ]


def unit_export(*, user) -> bytes:
    """All units the user manages, in the import format."""
    units = policies.managed_units(user).select_related("parent")
    level_label = dict(Level.choices)
    kind_label = dict(UnitKind.choices)
    rows = (
        {
            "code": u.code,
            "name": u.name,
            "short_name": u.short_name,
            "parent": u.parent.code if u.parent_id else None,
            "level": str(level_label[u.level]),
            "kind": str(kind_label[u.kind]),
            "category": u.category,
            "region": u.region,
            "sort_order": u.sort_order,
        }
        for u in units
    )
    return build_workbook(
        "单位",
        unit_columns(),
        rows,
        instructions=[
            "单位导入模板：每行一个单位。编码已存在则更新，不存在则新建。",
            "导入是整体的：任何一行有错，整个文件都不导入，并列出所有错误所在的行和列。",
            "上级编码必须是您管理范围内的单位，或本表中的另一行。",
        ],
    )


def _unit_fields(unit: Unit, names: dict[int, str]) -> dict:
    return {"name": unit.name, "short_name": unit.short_name, "parent": names.get(unit.parent_id),
            "level": unit.level, "kind": unit.kind, "category": unit.category, "region": unit.region,
            "sort_order": unit.sort_order}


def _audit_unit(user, unit: Unit, before: dict | None, names: dict[int, str]) -> None:
    """One audit row per unit created, changed or moved (a move: its parent changed — its subtree moved with it)."""
    names[unit.pk] = unit.name
    after = _unit_fields(unit, names)
    if before == after:
        return
    if before is None:
        action = "orgs.unit_create"
    elif before["parent"] != after["parent"]:
        action = "orgs.unit_move"
    else:
        action = "orgs.unit_update"
    events.record_event(actor=user, action=action, target=unit, before=before, after=after)


@transaction.atomic
def unit_import(*, user, data: bytes) -> dict:
    """Import units from Excel, all-or-nothing. Returns counts; raises ImportFailed listing every error."""
    rows, errors = parse_rows(data, unit_columns())
    if not rows and not errors:
        raise ImportFailed([RowError(None, None, "表中没有数据行")])
    managed = policies.managed_units(user)
    managed_by_code = {u.code: u for u in managed}
    by_code: dict[str, tuple[int, dict]] = {}
    for row_no, record in rows:
        code = record["code"]
        if code is None:
            continue
        if code in by_code:
            errors.append(RowError(row_no, "编码", f"编码“{code}”在第{by_code[code][0]}行已出现"))
            continue
        by_code[code] = (row_no, record)
    foreign = set(Unit.objects.filter(code__in=by_code).exclude(pk__in=managed.values("pk")).values_list("code", flat=True))
    for code in sorted(foreign):
        errors.append(RowError(by_code[code][0], "编码", f"编码“{code}”属于您管理范围以外的单位"))
    for code, (row_no, record) in by_code.items():
        parent = record.get("parent")
        if record["_row_errors"]:
            continue
        if parent is None:
            if not policies.is_platform_admin(user):
                errors.append(RowError(row_no, "上级编码", "只有平台管理员可以新建顶级单位，请填写上级编码"))
        elif parent == code:
            errors.append(RowError(row_no, "上级编码", "上级不能是本单位"))
        elif parent not in by_code and parent not in managed_by_code:
            errors.append(RowError(row_no, "上级编码", f"找不到上级单位“{parent}”（或不在您的管理范围内）"))
    # Order rows so that parents come first; a cycle inside the file is an error.
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, trail: list[str]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            errors.append(RowError(by_code[code][0], "上级编码", "上级关系成环：" + " → ".join([*trail, code])))
            return
        state[code] = 1
        parent = by_code[code][1].get("parent")
        if parent in by_code:
            visit(parent, [*trail, code])
        state[code] = 2
        ordered.append(code)

    for code in by_code:
        visit(code, [])
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, e.column or "")))

    created = updated = 0
    saved: dict[str, Unit] = dict(managed_by_code)
    names = {u.pk: u.name for u in managed_by_code.values()}  # parents' names for the audit rows, no query a row
    names.update(Unit.objects.filter(pk__in={u.parent_id for u in managed_by_code.values()} - set(names))
                 .values_list("pk", "name"))
    for code in ordered:
        row_no, record = by_code[code]
        unit = saved.get(code) or Unit(code=code)
        is_new = unit.pk is None
        before = None if is_new else _unit_fields(unit, names)
        unit.name = record["name"]
        unit.short_name = record.get("short_name") or ""
        unit.level = LEVEL_BY_LABEL[record["level"]]
        unit.kind = KIND_BY_LABEL[record["kind"]]
        unit.category = record.get("category")
        unit.region = record.get("region") or ""
        unit.sort_order = record.get("sort_order") or 0
        unit.parent = saved[record["parent"]] if record.get("parent") else None
        if not is_new and unit.parent_id and unit.parent.path.startswith(unit.path):
            raise ImportFailed([RowError(row_no, "上级编码", "不能把单位移到它自己的下级之下")])
        try:
            unit.full_clean(exclude=["path", "parent"])
        except ValidationError as exc:
            raise ImportFailed(
                [RowError(row_no, None, "；".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))]
            ) from None
        unit.save()
        _audit_unit(user, unit, before, names)
        saved[code] = unit
        created += is_new
        updated += not is_new
    return {"created": created, "updated": updated}
