"""A CSV export is sent as it is read, on a read-only transaction of its own: every row arrives,
a refusal comes as a status before any byte of a file, and a failure halfway ends the transaction
(the download is cut) without leaving a connection or a transaction open."""
import csv
import io

import pytest

from api.acts import exports
from api.http import sheets

from .test_errors import assert_error
from .test_statement_counts import traffic

AWARDS = 40


@pytest.fixture
def awarded(organiser, volunteer, rules):
    """AWARDS awards to one volunteer: as many entries in the community's ledger."""
    member, _ = volunteer
    return [organiser.post("/api/v1/awards", {"member_id": member["id"], "rule_code": "patrol_hours",
                                              "points": n, "memo": f"第{n}次"}, expect=201).json["transfer_id"]
            for n in range(1, AWARDS + 1)]


def _streamed(client, path: str, **query):
    """The response, its body not read yet (the test reads it piece by piece)."""
    return client.app.test_client().get(path, query_string=query, headers=client.headers(), buffered=False)


def _nothing_left_open(app, seen) -> None:
    assert seen.transactions == seen.ends, "a transaction was begun and never ended"
    assert app.extensions["benniu"].engine.pool.checkedout() == 0


def test_a_csv_export_comes_in_pieces_with_every_row(app, organiser, awarded, monkeypatch):
    monkeypatch.setattr(sheets, "CHUNK_BYTES", 500)
    with traffic(app) as seen:
        response = _streamed(organiser, "/api/v1/exports/entries", format="csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
        pieces = list(response.response)
        response.close()
    assert len(pieces) > 3 and pieces[0].startswith("\ufeff流水号".encode())
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    assert rows[0][0] == "流水号" and len(rows) == 1 + AWARDS
    assert [int(row[10]) for row in rows[1:]] == awarded
    assert [row[9] for row in rows[1:]] == [f"第{n}次" for n in range(1, AWARDS + 1)]
    _nothing_left_open(app, seen)


def test_an_export_refused_answers_with_a_status_and_no_file(app, organiser, volunteer, admin, community):
    stranger_community = admin.post("/api/v1/communities", {"name": "保利社区", "code": "baoli"}, expect=201).json
    _, phone = volunteer
    with traffic(app) as seen:
        elsewhere = _streamed(organiser, "/api/v1/exports/entries", format="csv",
                              community_id=stranger_community["id"])
        assert_error(elsewhere, 403, "forbidden")  # this token belongs to another community
        assert_error(_streamed(phone, "/api/v1/exports/members", format="csv"), 403, "forbidden")
        assert_error(_streamed(admin, "/api/v1/exports/entries", format="xlsx", community_id=999999), 404,
                     "not_found")
    assert elsewhere.mimetype == "application/json" and "Content-Disposition" not in elsewhere.headers
    _nothing_left_open(app, seen)


def test_a_failure_halfway_cuts_the_download_and_leaves_no_transaction(app, organiser, awarded, monkeypatch):
    entries_sheet = exports.SHEETS["entries"]

    def breaking(session, actor, args, now):
        sheet = entries_sheet(session, actor, args, now)

        def rows():
            for n, row in enumerate(sheet.rows):
                if n == 25:
                    raise RuntimeError("the disk went away")
                yield row
        return sheets.Sheet(sheet.name, sheet.columns, rows())

    monkeypatch.setitem(exports.SHEETS, "entries", breaking)
    monkeypatch.setattr(sheets, "CHUNK_BYTES", 500)
    with traffic(app) as seen:
        response = _streamed(organiser, "/api/v1/exports/entries", format="csv")
        assert response.status_code == 200
        pieces = iter(response.response)
        received = [next(pieces)]  # the first rows arrived before the failure
        with pytest.raises(RuntimeError, match="the disk went away"):
            received.extend(pieces)
        response.close()
    assert 0 < b"".join(received).count(b"\r\n") <= 26
    _nothing_left_open(app, seen)
    monkeypatch.setitem(exports.SHEETS, "entries", entries_sheet)
    whole = organiser.get("/api/v1/exports/entries", format="csv")  # the database was left as it was
    assert whole.status_code == 200 and whole.get_data(as_text=True).count("\r\n") == 1 + AWARDS
