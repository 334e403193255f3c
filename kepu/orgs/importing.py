"""Importing the organisation tree from a spreadsheet (.xlsx or .csv).

One row per unit: ``code, parent, name, name_en, short_name, kind, region_code, address,
phone, email, website, is_active``. Rows may come in any order (a child before its parent);
an existing code is updated (and moved when its parent changed). Each row is applied in its
own savepoint: a bad row is reported with its row number, field and reason, and every good
row is kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import actions
from .choices import UnitKind
from .models import Unit

COLUMNS = (
    "code", "parent", "name", "name_en", "short_name", "kind", "region_code", "address",
    "phone", "email", "website", "is_active",
)  # fmt: skip
# Chinese headers people actually use in their sheets.
HEADER_ALIASES = {
    "代码": "code", "单位代码": "code", "上级": "parent", "上级单位代码": "parent",
    "名称": "name", "单位名称": "name", "中文名称": "name", "英文名称": "name_en", "简称": "short_name",
    "类型": "kind", "行政区划代码": "region_code", "地址": "address", "电话": "phone",
    "邮箱": "email", "电子邮箱": "email", "网站": "website", "启用": "is_active",
}  # fmt: skip
KIND_ALIASES = {str(label): value for value, label in UnitKind.choices}


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {column: text}) for each non-empty row."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            raw = [
                ["" if v is None else str(v).strip() for v in row]
                for row in book.active.iter_rows(values_only=True)
            ]
        finally:
            book.close()  # read-only workbooks keep the file open until closed
    elif path.suffix.lower() == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."))
        raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ValidationError(_("Use an .xlsx or .csv file."))
    if not raw:
        return []
    header = [HEADER_ALIASES.get(h, h.lower()) for h in raw[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ", ".join(COLUMNS)}
        )
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        rows.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    return rows


def _fields(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in values.items() if k not in {"parent", "is_active"}}
    if "kind" in data:
        data["kind"] = KIND_ALIASES.get(data["kind"], data["kind"])
    if "is_active" in values and values["is_active"] != "":
        data["is_active"] = values["is_active"].strip().lower() not in {
            "0",
            "false",
            "no",
            "否",
            "停用",
        }
    return data


def import_units(path: Path, *, acting_user: Any = None) -> ImportReport:
    """Apply the sheet at ``path``; permission is checked per row by the actions."""
    report = ImportReport()
    pending = read_rows(path)
    while pending:
        waiting = []
        for number, values in pending:
            code = values.get("code", "")
            parent_code = values.get("parent", "")
            parent = Unit.objects.filter(code=parent_code).first() if parent_code else None
            if parent_code and parent is None:
                waiting.append((number, values))
                continue
            try:
                with transaction.atomic():
                    existing = Unit.objects.filter(code=code).first() if code else None
                    data = _fields(values)
                    if existing is None:
                        actions.create_unit(parent, acting_user=acting_user, **data)
                        report.created.append(code)
                    else:
                        data.pop("code", None)
                        actions.update_unit(existing, acting_user=acting_user, **data)
                        current = existing.get_parent()
                        if parent is not None and (current is None or current.pk != parent.pk):
                            actions.move_unit(existing, parent, acting_user=acting_user)
                        report.updated.append(code)
            except ValidationError as exc:
                for name, messages in getattr(exc, "message_dict", {"row": exc.messages}).items():
                    report.errors.extend(RowError(number, name, m) for m in messages)
            except PermissionDenied as exc:
                report.errors.append(RowError(number, "parent", str(exc)))
        if len(waiting) == len(pending):
            for number, values in waiting:
                report.errors.append(
                    RowError(
                        number,
                        "parent",
                        _("No unit has the code “%(code)s”.") % {"code": values.get("parent")},
                    )
                )
            break
        pending = waiting
    report.errors.sort(key=lambda e: e.row)
    return report
