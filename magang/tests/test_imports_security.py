"""Every spreadsheet import reads a damaged workbook as a sentence, never a server error, before
anything is written. (Each app's own tests upload the same file twice and a bad row among good
ones; this is the corrupted-file case for all four readers at once.)"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from magang.placement.services.imports import orders_read
from magang.recruitment.services.imports import ImportFileError
from magang.recruitment.services.imports.reading import workbook_read
from magang.selection.models import Stage
from magang.selection.services.imports.reading import results_read
from magang.training.services.imports import scores_read

from .world import xlsx_upload


def damaged_workbook() -> bytes:
    """A real workbook whose sheet has been cut off in the middle."""
    source = zipfile.ZipFile(xlsx_upload())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(part, data)
    return out.getvalue()


def truncated_workbook() -> bytes:
    data = xlsx_upload().getvalue()
    return data[: len(data) // 2]


READERS: dict[str, Callable[[bytes], Any]] = {
    "registrations": workbook_read,
    "results": lambda content: results_read(content, stage=Stage(kind="score", key="maths")),
    "scores": scores_read,
    "job orders": orders_read,
}


@pytest.mark.parametrize("content", [damaged_workbook(), truncated_workbook()],
                         ids=["sheet-cut-off", "file-cut-off"])  # fmt: skip
@pytest.mark.parametrize("reader", READERS, ids=list(READERS))
def test_a_corrupted_workbook_is_a_sentence_not_a_crash(reader: str, content: bytes) -> None:
    with pytest.raises(ImportFileError) as refused:
        READERS[reader](content)
    assert refused.value.messages
