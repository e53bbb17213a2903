"""Sheets sent as downloads, named for what they hold, written as they are sent.

Every CSV and XLSX goes out in pieces (`api.http.sheets.csv_chunks`, `api.http.xlsx.xlsx_chunks`).
An export (`streamed_sheet`) reads its rows on a snapshot of its own as it sends them: its first
byte comes with its first rows, and the worker's memory stays flat however long it is. A small
sheet (`sheet_response`) is read in the view's transaction first.
"""
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, tzinfo
from urllib.parse import quote

from flask import Response, stream_with_context
from sqlalchemy.orm import Session

from .clock import now
from .sheets import CHUNK_BYTES, FORMATS, Sheet, csv_chunks
from .snapshot import snapshot_session
from .xlsx import xlsx_chunks


def sheet_chunks(sheet: Sheet, *, format: str, zone: tzinfo, made: datetime) -> Iterator[bytes]:
    """The sheet's file, in pieces of about CHUNK_BYTES."""
    if format == "csv":
        return csv_chunks(sheet, zone=zone)
    return xlsx_chunks(sheet, zone=zone, made=made, chunk_bytes=CHUNK_BYTES)


def sheet_response(sheet: Sheet, *, format: str, zone: tzinfo) -> Response:
    """A small sheet (a roster, a statement, a month's settlement) as a download: its rows are read
    here, in the view's transaction, which ends (`transactional`) before the body is sent; the
    file is written as it is sent. A sheet that may be long is a `streamed_sheet`."""
    sheet = replace(sheet, rows=list(sheet.rows))
    return _download(sheet, sheet_chunks(sheet, format=format, zone=zone, made=now()), format)


def streamed_sheet(build: Callable[[Session], Sheet], *, format: str, zone: tzinfo) -> Response:
    """A sheet `build` makes on a snapshot of its own (`api.http.snapshot`), sent as it is written.
    `build` runs before the response starts, so a refusal (404, 403) is a status, never a cut file;
    whatever fails later ends the snapshot's transaction and cuts the download."""
    parts = _streamed(build, format, zone, now())
    sheet = next(parts)  # the snapshot is open and `build`'s checks passed (or raised here)
    return _download(sheet, stream_with_context(parts), format)


def _streamed(build, format: str, zone: tzinfo, made: datetime) -> Iterator:
    """The sheet first, then the file's bytes; the snapshot lasts as long as the generator."""
    with snapshot_session() as session:
        sheet = build(session)
        yield sheet
        yield from sheet_chunks(sheet, format=format, zone=zone, made=made)


def _download(sheet: Sheet, body: Iterator[bytes], format: str) -> Response:
    response = Response(body, mimetype=FORMATS[format])
    response.headers.set("Content-Disposition", "attachment", **_download_name(f"{sheet.name}.{format}"))
    return response


def _download_name(name: str) -> dict:
    """Content-Disposition's file name as Flask's `send_file` gives it (RFC 6266's filename* for non-ASCII)."""
    try:
        name.encode("ascii")
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        return {"filename": plain, "filename*": f"UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"}
    return {"filename": name}
