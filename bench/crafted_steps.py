"""The steps of the crafted-file benchmark that run in a process of their own.

bench/crafted_bench.py runs ``python -m bench.crafted_steps STEP ...`` from the repository root
and reads the JSON object the step prints last, so each import's peak memory is its own.

Steps:
    names                   the crafted files there are
    generate NAME PATH      write the crafted file NAME to PATH
    import PATH             time customers_import on it (Django settings from the environment)
"""

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from bench.common import Step, peak_mb, run_step_from_command_line

MALL_HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)"
HEADER_CELLS = MALL_HEADER.split(",")
EXCEL_MAX_COLUMNS = 16_384
INFLATED_BYTES = 1_000_000_000


def _csv_million_columns(path: Path) -> None:
    path.write_text("c," * 1_000_000 + "\n1,Female,30,40,50\n")


def _csv_regex_header(path: Path) -> None:
    path.write_text(MALL_HEADER + "," + "()" * 32_000 + "x\n1,Female,30,40,50,1\n")


def _csv_late_nul(path: Path) -> None:
    rows = "".join(f"{n},Female,30,40,50\n" for n in range(100_000))
    path.write_text(MALL_HEADER + "\n" + rows + "C\x00X,Male,40,60,70\n")


def _xlsx(path: Path, sheet_rows: str, *, dimension: str | None, shared_strings: bool = False) -> None:
    """A minimal workbook whose one sheet holds ``sheet_rows`` (XML), written part by part."""
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = _workbook_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as workbook:
        for name, xml in parts.items():
            workbook.writestr(name, xml)
        workbook.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}">{dimension_xml}<sheetData>{sheet_rows}</sheetData></worksheet>',
        )
        if shared_strings:
            _write_inflating_shared_strings(workbook)


def _write_inflating_shared_strings(workbook: zipfile.ZipFile) -> None:
    """Shared strings that inflate to INFLATED_BYTES yet compress to about a megabyte."""
    with workbook.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
        part.write(f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>'.encode())
        block = b"A" * (1 << 20)
        for _ in range(INFLATED_BYTES // len(block)):
            part.write(block)
        part.write(b"</t></si></sst>")


def _header_row(cells: list[str]) -> str:
    return (
        '<row r="1">' + "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells) + "</row>"
    )


def _far_row(number: int) -> str:
    return f'<row r="{number}"><c r="A{number}" t="n"><v>1</v></c></row>'


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook_parts() -> dict[str, str]:
    package = "http://schemas.openxmlformats.org/package/2006"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": (
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }


CRAFTED: dict[str, Callable[[Path], None]] = {
    "csv-million-columns": _csv_million_columns,
    "csv-regex-header": _csv_regex_header,
    "csv-late-nul": _csv_late_nul,
    "xlsx-far-row": lambda path: _xlsx(
        path, _header_row(HEADER_CELLS) + _far_row(1_000_000_000), dimension="A1:E1000000000"
    ),
    "xlsx-far-row-hidden": lambda path: _xlsx(
        path, _header_row(HEADER_CELLS) + _far_row(1_000_000_000), dimension=None
    ),
    "xlsx-wide-header": lambda path: _xlsx(
        path, _header_row([f"c{n}" for n in range(EXCEL_MAX_COLUMNS)]), dimension="A1:XFD1"
    ),
    "xlsx-wide-header-hidden": lambda path: _xlsx(
        path, _header_row([f"c{n}" for n in range(EXCEL_MAX_COLUMNS)]), dimension=None
    ),
    "xlsx-inflating-strings": lambda path: _xlsx(
        path, _header_row(HEADER_CELLS), dimension="A1:E1", shared_strings=True
    ),
}


def generate(name: str, path: Path) -> dict:
    CRAFTED[name](path)
    return {"bytes": path.stat().st_size}


def run_import(path: Path) -> dict:
    """Time one call of the real import service; Django is set up beforehand."""
    import django

    django.setup()
    from customers.customer_import import customers_import

    setup_mb = peak_mb()
    content = io.BytesIO(path.read_bytes())
    start = time.perf_counter()
    report = customers_import(file=content, file_name=path.name)
    seconds = time.perf_counter() - start
    reason = str(report.issues[0]) if report.issues else ""
    return {"seconds": seconds, "peak_mb": peak_mb(), "setup_mb": setup_mb, "rejected": report.rejected,
            "reason": reason[:160]}  # fmt: skip


def names() -> dict:
    return {"names": list(CRAFTED)}


STEPS: dict[str, Step] = {
    "names": (names, []),
    "generate": (generate, [("name", str), ("path", Path)]),
    "import": (run_import, [("path", Path)]),
}

if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
