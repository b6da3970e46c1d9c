from pathlib import Path

import docx
import pytest

from app.knowledge.sources.model import SourceError
from app.knowledge.sources.reader import read_source
from tests.pdf_maker import write_pdf


def test_pdf_text_is_read_page_by_page(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "tones.pdf",
        [["Puxian has seven tones.", "Tone 1 is 533 in Putian."], ["Tone 2 is 13."]],
        title="Puxian tones",
    )
    document = read_source(path)
    assert (document.kind, document.title) == ("pdf", "Puxian tones")
    assert "seven tones" in document.body
    assert document.body.index("533") < document.body.index("Tone 2 is 13")


def test_a_pdf_without_text_or_not_a_pdf_is_refused(tmp_path: Path) -> None:
    empty = write_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(SourceError, match="no text layer"):
        read_source(empty)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(SourceError, match=r"broken.pdf"):
        read_source(broken)


def test_docx_headings_become_sections_and_tables_are_kept(tmp_path: Path) -> None:
    word = docx.Document()
    word.core_properties.title = "莆仙话笔记"
    word.add_heading("饮食", level=1)
    word.add_paragraph("普通话的“吃饭”，莆仙话说“食饭”。")
    word.add_heading("时间", level=2)
    word.add_paragraph("“今天”说“今旦”。")
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "箸"
    table.rows[0].cells[1].text = "筷子"
    path = tmp_path / "notes.docx"
    word.save(str(path))
    document = read_source(path)
    assert (document.kind, document.title) == ("docx", "莆仙话笔记")
    assert "# 饮食" in document.body
    assert "## 时间" in document.body
    assert "箸 | 筷子" in document.body


def test_a_damaged_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError, match=r"not a readable \.docx"):
        read_source(path)
