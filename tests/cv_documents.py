"""Turn the test CVs (plain text in tests/fixtures/cvs/) into the files people have: a PDF
in one column or with a sidebar, a Word document with tables. Written here so the tests need
no office suite: the PDF is the smallest valid one (Helvetica, WinAnsi text), the DOCX is
made with python-docx."""

from __future__ import annotations

from pathlib import Path

PAGE_LINES = 60


def _pdf_string(text: str) -> str:
    raw = text.encode("cp1252", errors="replace")
    out = []
    for byte in raw:
        ch = chr(byte)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= byte < 127:
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return "(" + "".join(out) + ")"


def _page_stream(columns: list[tuple[float, list[str]]]) -> bytes:
    ops = ["BT", "/F1 10 Tf", "12 TL"]
    for x, lines in columns:
        ops.append(f"1 0 0 1 {x} 800 Tm")
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def write_pdf(path: Path, pages: list[list[tuple[float, list[str]]]]) -> None:
    """A PDF whose pages hold columns of lines: [(x position, lines), ...] per page."""
    objects: list[bytes] = []
    kids = []
    font_id = 3 + 2 * len(pages)
    for n, columns in enumerate(pages):
        page_id, content_id = 3 + 2 * n, 4 + 2 * n
        kids.append(f"{page_id} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
                       f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        stream = _page_stream(columns)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode(), *objects]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)


def one_column_pdf(text: str, path: Path) -> None:
    lines = text.splitlines()
    write_pdf(path, [[(50, lines[i:i + PAGE_LINES])] for i in range(0, len(lines), PAGE_LINES)])


def sidebar_pdf(text: str, path: Path) -> None:
    """`===SIDEBAR===` lines at the left edge, `===MAIN===` lines beside them."""
    sidebar, main = text.split("===MAIN===")
    side = sidebar.replace("===SIDEBAR===", "").strip("\n").splitlines()
    write_pdf(path, [[(30, side), (170, main.strip("\n").splitlines())]])


def docx_file(text: str, path: Path) -> None:
    """Lines starting with "|" become table rows (cells split on "|"); a run of them is one
    table. Other lines are joined into paragraphs at blank lines, as a word processor holds
    them; a paragraph of at most three capitalised words is a heading."""
    import docx

    document = docx.Document()
    rows: list[list[str]] = []
    lines: list[str] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            rows.clear()
        if lines:
            paragraph = " ".join(line.strip() for line in lines)
            if len(lines) == 1 and len(paragraph.split()) <= 3 and paragraph[0].isupper():
                document.add_heading(paragraph, level=2)
            else:
                document.add_paragraph(paragraph)
            lines.clear()

    for line in text.splitlines():
        if line.startswith("|"):
            if lines:
                flush()
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif not line.strip():
            flush()
        else:
            if rows:
                flush()
            lines.append(line)
    flush()
    document.save(str(path))


def build(text_path: Path, layout: str, out_dir: Path) -> Path:
    """The CV file for `layout`: text (as is), pdf, pdf-columns or docx."""
    text = text_path.read_text(encoding="utf-8")
    stem = out_dir / text_path.stem
    if layout == "text":
        target = stem.with_suffix(text_path.suffix)
        target.write_text(text, encoding="utf-8")
    elif layout == "pdf":
        target = stem.with_suffix(".pdf")
        one_column_pdf(text, target)
    elif layout == "pdf-columns":
        target = stem.with_suffix(".pdf")
        sidebar_pdf(text, target)
    elif layout == "docx":
        target = stem.with_suffix(".docx")
        docx_file(text, target)
    else:
        raise ValueError(layout)
    return target
