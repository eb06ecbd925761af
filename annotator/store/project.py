"""A project: documents, codebook, spans, statuses, settings and an append-only history, in one SQLite file.

Every public method that changes something is one transaction, committed before it returns (there is no Save),
and appends who/when/before/after to ``history``. Methods return what changed so callers (the undo stack, the
UI) need not re-read.
"""

from __future__ import annotations

import functools
import getpass
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator import inuse
from annotator.core.model import (
    STATUSES,
    Document,
    IncomingDocument,
    Label,
    Span,
)
from annotator.errors import AnnotatorError, ProjectFileError
from annotator.store import (
    codebook_changes,
    connection,
    docvars,
    exporting,
    importing,
    listing,
    moved,
    overwrite,
    recovery,
    writing,
)
from annotator.store import readonly as readonly_open
from annotator.store.exporting import _DOC_COLUMNS, SPAN_FIELDS  # SPAN_FIELDS: part of this module's API
from annotator.store.span_edits import SpanEdits
from annotator.store.writing import json_cell, now


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): the analyst is asked in the GUI anyway
        return "analyst"


class Project(SpanEdits):
    """An open project file. Use :meth:`open`; close with :meth:`close` or a ``with`` block."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool, user: str, workdir: Path | None,
                 trusted_read: bool = False):
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.user = user
        self._workdir = workdir
        self._lengths: dict[int, int] = {}
        #: a connection that holds SQLite's locks on the real file (not a private copy, not immutable) is
        #: registered, so nothing else in this process opens the file again (``annotator/inuse.py``)
        #: a colleague's file: its stored hashes are recomputed, never trusted (DESIGN.md §2.2)
        self.untrusted = readonly and not trusted_read
        self._registered = workdir is None and (not readonly or trusted_read)
        if self._registered:
            inuse.register(path)
        self._watch = None if readonly else recovery.FileWatch(path, conn)
        self._followed = False  # its folder was renamed while open, and the files followed (``store/moved.py``)
        #: set when the project's files had to be recovered (see :meth:`check_files`); the window says so
        self.recovered: str | None = None
        self._stamp: tuple[object, ...] | None = None
        self._page_reader: Any = None
        self._progress: tuple[tuple[int, int], tuple[int, int]] | None = None  # (when, (done, total))

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = False,
        readonly: bool = False,
        trusted: bool = False,
        user: str | None = None,
        populate: Iterable[IncomingDocument] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Project:
        """Open a project file. ``create``: make it (atomically) if it does not exist, filled with ``populate``
        documents if given. ``readonly``: never migrated, written, checkpointed or touched; a colleague's file by
        default (bounded checks, stopped once ``cancelled()``, nothing left beside it), or with ``trusted`` the
        user's own project read by a command while a window may be editing it (SQLite's shared locks, one
        consistent snapshot)."""
        path = Path(path)
        user = user or default_user()
        with connection.translated("open", path):
            if readonly:
                if not path.exists():
                    raise ProjectFileError(f"no such project: {path}")
                stamp = readonly_open.file_stamp(path)
                conn, workdir, immutable = readonly_open.open_readonly(path, trusted=trusted, cancelled=cancelled)
                project = cls(conn, path, True, user, workdir, trusted_read=trusted)
                project._stamp = stamp if immutable else None
                return project
            if not path.exists():
                if not create:
                    raise ProjectFileError(f"no such project: {path}")
                docs = list(populate or [])
                # False: another process made it meanwhile; then it is opened below and written in turn
                connection.create_file(path, lambda c: writing.populate(c, docs, user))
            return cls(connection.open_writable(path), path, False, user, None)

    def close(self) -> None:
        watch, self._watch = self._watch, None  # nothing to watch or recover once closed
        if watch is not None and watch.overwritten is not None:
            overwrite.close_leaving_file(self.conn, self.path)  # no checkpoint into the other program's file
        elif self._followed:  # SQLite removes its log by the old name at close: emptied here, removed by the new
            moved.checkpoint_before_close(self.conn)
            self.conn.close()
            moved.tidy(self.path)
        else:
            self.conn.close()
        if self._registered:
            self._registered = False
            inuse.unregister(self.path)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    @functools.cached_property
    def db(self) -> Any:
        """The connection through sqlite-utils (dict rows, introspection). Imported on first use: sqlite-utils
        imports pandas and numpy when they are installed (0.45 s, 73 MB measured), which no hot path needs."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes when *another* connection or process commits to the file
        (this connection's own commits leave it as is). A few microseconds: cheap enough to poll."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _write(self, action: str):  # type: ignore[no-untyped-def]
        if not self.readonly:
            self.check_files()
        return connection.write_transaction(self.conn, self.path, self.readonly, action)

    def reader_beside(self) -> Project:
        """A second read-only project onto the very bytes this read-only one reads -- its private copy, or the file
        in place as it was opened (``immutable``, or with SQLite's shared locks) -- for long reading in a thread (an
        export from a read-only window): what this one was checked for at its open holds for it; close it after."""
        if not self.readonly:
            raise AnnotatorError("reader_beside is for a read-only project; a window's own has beside_window")
        if self._workdir is not None:
            target = (self._workdir / "project.sqlite").as_uri() + "?mode=ro"
        else:
            target = self.path.resolve().as_uri() + ("?mode=ro&immutable=1" if self._stamp is not None else "?mode=ro")
        with connection.translated("open", self.path):
            conn = connection._connect(target, uri=True, same_thread=False)
            conn.execute("PRAGMA query_only = ON")
        reader = Project(conn, self.path, True, self.user, None, trusted_read=not self.untrusted)
        reader._stamp = self._stamp
        return reader

    def changed_while_reading(self) -> bool:
        """Whether someone wrote the file since this lock-free (``immutable``) read began: the read may then mix
        two states and must be done again (it will take SQLite's locks then, the writer's ``-wal`` being there)."""
        return self._stamp is not None and readonly_open.file_stamp(self.path) != self._stamp

    def check_files(self) -> str | None:
        """Notice another program deleting or replacing the project's files (or our locks on them being dropped)
        and recover before anything is lost: every committed change is written back from this connection's view.
        Returns what happened (also kept in :attr:`recovered`), or None when all is well. The file overwritten in
        place by another program is not recovered into: this and every later write is refused
        (:class:`ProjectFileError`, saying what happened and where the work is safe; ``store/overwrite.py``)."""
        if self._watch is None:
            return None
        problem = self._watch.changed(self.conn)
        if problem is None:
            return None
        if self._watch.overwritten is not None:  # overwritten in place: refused, never recovered into (overwrite.py)
            raise ProjectFileError(self._watch.overwritten)
        if self._watch.moved is not None:  # the folder renamed: the same files, by their new names (moved.py)
            return self._follow(self._watch.moved, problem)
        with connection.translated("recover", self.path):
            self.conn = recovery.recover(self.conn, self.path)
        self._watch = recovery.FileWatch(self.path, self.conn)
        self._lengths.clear()
        self._progress = None
        self.__dict__.pop("db", None)
        self._page_reader = None  # bound to the old connection
        self.recovered = f"{problem}; every saved change was recovered and the project file rewritten whole"
        return self.recovered

    def _follow(self, new: Path, said: str) -> str:
        """The project's files are now at ``new`` (its folder renamed): the connection goes on writing into them
        (SQLite holds them open); only their names change, for second connections, backups and the close."""
        if self._registered:
            inuse.unregister(self.path)
            inuse.register(new)
        self.path = new
        self._followed = True
        self._watch = recovery.FileWatch(new, self.conn)
        self.recovered = said
        return said

    def database_file(self) -> Path:
        """The file this project's connection reads, for a process of its own to read (the suggestions'): its
        private copy, else the project's file by its name now (its folder may have been renamed: ``moved.py``;
        SQLite's ``database_list`` keeps the name it was opened by)."""
        return self._workdir / "project.sqlite" if self._workdir is not None else self.path

    def overwritten(self) -> str | None:
        """What the analyst was told when another program overwrote the project file in place (every write is
        refused since), or None."""
        return None if self._watch is None else self._watch.overwritten

    def _log(self, action: str, doc_id: int | None, span_id: int | None, before: Any, after: Any) -> None:
        self.conn.execute(
            "INSERT INTO history (at, actor, action, doc_id, span_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now(), self.user, action, doc_id, span_id, json_cell(before), json_cell(after)),
        )

    # ------------------------------------------------------------------ documents
    @connection.reading
    def documents(self, status: str | None = None, search: str | None = None) -> listing.DocumentList:
        """Documents in import order, without their text; optionally by status and containing ``search``.

        A :class:`~annotator.store.listing.DocumentList`: the ids are read now, each row when it is looked at.
        """
        return listing.DocumentList(listing.ids(self.conn, status, search), self._read_listing_page)

    @connection.reading
    def ids_after(self, doc_id: int) -> list[int]:
        """The ids of the documents after ``doc_id``, ascending (those an import added to a list read before it)."""
        return listing.ids_after(self.conn, doc_id)

    def listed(self, doc_ids: list[int]) -> listing.DocumentList:
        """These documents (ids ascending, found elsewhere: the Documents filter's first page, or its whole list read
        off the GUI thread) as :meth:`documents` lists them, each row read when it is looked at."""
        return listing.DocumentList(doc_ids, self._read_listing_page)

    def _read_listing_page(self, doc_ids: Sequence[int]) -> list[tuple[Any, ...]]:
        with connection.translated("read", self.path):
            if self._page_reader is None:
                self._page_reader = listing.page_reader(self.conn, listing.has_listing(self.conn))
            return self._page_reader(doc_ids)

    @connection.reading
    def document(self, doc_id: int) -> Document:
        row = self.conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise AnnotatorError(f"no document {doc_id} in {self.path}")
        return docvars.document_of(row, docvars.values_of(self.conn, (doc_id,)).get(doc_id, {}))

    @connection.reading
    def progress(self) -> tuple[int, int]:
        """(documents done, documents in all)."""
        # two counts an index answers (a range of documents_by_status, and count(*)'s own fast path), not one
        # scan testing each row's status: 5 ms instead of 27 at 100 000 statements, on every Ctrl+Enter
        key = self._progress_key()
        if self._progress is not None and self._progress[0] == key:
            return self._progress[1]  # counting 'done' walks its index (3 ms at 100 000): once per change
        done, total = self.conn.execute(
            "SELECT (SELECT count(*) FROM documents WHERE status = 'done'), (SELECT count(*) FROM documents)"
        ).fetchone()
        self._progress = (key, (int(done), int(total)))
        return int(done), int(total)

    def _progress_key(self) -> tuple[int, int]:
        """Changes with every commit: ours (total_changes) and another connection's (data_version)."""
        return self.data_version(), self.conn.total_changes

    @connection.reading
    def next_unfinished(self, after: int | None = None) -> int | None:
        """The next document to do or in progress after ``after`` (wrapping round), or None if all are finished.

        Two seeks in ``documents_by_status`` (status, id) per status, whatever the number of documents."""
        following = self._first_unfinished(after if after is not None else 0)
        if following is None and after is not None:
            following = self._first_unfinished(0)
            if following == after:
                return None
        return following

    def _first_unfinished(self, after: int) -> int | None:
        row = self.conn.execute(
            "SELECT min(id) FROM (SELECT min(id) AS id FROM documents WHERE status = 'todo' AND id > ?"
            " UNION ALL SELECT min(id) FROM documents WHERE status = 'in_progress' AND id > ?)",
            (after, after),
        ).fetchone()
        return None if row[0] is None else int(row[0])

    def set_status(self, doc_id: int, status: str) -> str:
        """Set a document's status; returns the previous one."""
        if status not in STATUSES:
            raise AnnotatorError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        counted = self._progress if self._progress is not None and self._progress[0] == self._progress_key() else None
        with self._write("set the status"):
            old = self.document(doc_id).status
            if old != status:
                self.conn.execute(
                    "UPDATE documents SET status = ?, updated = ? WHERE id = ?", (status, now(), doc_id)
                )
                self._log("set_status", doc_id, None, {"status": old}, {"status": status})
        if counted is not None:  # the progress counted before, moved by this one change
            done, total = counted[1]
            self._progress = (self._progress_key(), (done + (status == "done") - (old == "done"), total))
        return old

    @connection.reading
    def _length(self, doc_id: int) -> int:
        length = self._lengths.get(doc_id)
        if length is None:
            row = self.conn.execute("SELECT length FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise AnnotatorError(f"no document {doc_id} in {self.path}")
            length = self._lengths[doc_id] = int(row[0])
        return length

    @connection.reading
    def status_of(self, doc_id: int) -> str | None:
        """A document's status, read without its text (``documents_listing``); None for no such document."""
        row = self.conn.execute("SELECT status FROM documents INDEXED BY documents_listing WHERE id = ?",
                                (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def _touch(self, doc_id: int) -> None:
        """A document whose spans change is at least in progress. Its status is read from ``documents_listing``
        first: ``status`` comes after the text in the row, and the UPDATE's test read a 1 M-character statement's
        overflow pages on every label key (2 % of a press)."""
        todo = self.conn.execute("SELECT status = 'todo' FROM documents INDEXED BY documents_listing WHERE id = ?",
                                 (doc_id,)).fetchone()
        if todo and todo[0]:
            self.conn.execute(
                "UPDATE documents SET status = 'in_progress', updated = ? WHERE id = ? AND status = 'todo'",
                (now(), doc_id),
            )

    # ------------------------------------------------------------------ import (annotator/store/importing.py)
    def import_documents(self, docs: Iterable[IncomingDocument], source: str = "") -> dict[str, Any]:
        """Add documents and their spans in one transaction; documents whose text is already here are skipped.

        Returns ``{"imported": [titles], "duplicates": [titles], "spans": n, "new_labels": [keys]}``.
        """
        return importing.import_documents(self, docs, source)

    def import_batches(self, batches: Iterable[list[IncomingDocument]], source: str = "") -> dict[str, Any]:
        """:meth:`import_documents` for one file read in batches, in one transaction (see
        :func:`annotator.store.importing.import_batches`)."""
        return importing.import_batches(self, batches, source)

    # ------------------------------------------------------------------ codebook
    @connection.reading
    def labels(self) -> list[Label]:
        return [
            Label(*r)
            for r in self.conn.execute(
                "SELECT key, name, shortcut, color, description FROM labels ORDER BY position, key"
            )
        ]

    @connection.reading
    def label_counts(self, doc_id: int | None = None) -> dict[str, int]:
        sql, params = "SELECT label, count(*) FROM spans", []
        if doc_id is not None:
            sql, params = sql + " WHERE doc_id = ?", [doc_id]
        return dict(self.conn.execute(sql + " GROUP BY label", params).fetchall())

    def set_codebook(self, labels: list[Label]) -> list[Label]:
        """Replace the codebook's labels, their order and properties at once (add, rename, recolour, re-key,
        describe, reorder). Labels still used by spans cannot be dropped here (see :meth:`delete_label`).
        Returns the previous codebook."""
        return codebook_changes.set_codebook(self, labels)

    def delete_label(self, key: str, relabel_to: str | None = None) -> tuple[list[Label], list[Span]]:
        """Remove a label; its spans are deleted, or relabeled to ``relabel_to``.

        Returns (the codebook before, the spans as they were) so the change can be undone.
        """
        return codebook_changes.delete_label(self, key, relabel_to)

    def restore_label(self, codebook_before: list[Label], spans: list[Span]) -> None:
        """Undo :meth:`delete_label`: the codebook as it was and the label's spans as they were."""
        codebook_changes.restore_label(self, codebook_before, spans)

    # ------------------------------------------------------------------ settings
    @connection.reading
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write("save the setting"):
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # ------------------------------------------------------------------ reading for export and stats
    def iter_documents(self, status: str | None = None, step: Callable[[int], None] | None = None,
                       ) -> Iterator[tuple[Document, list[Span]]]:
        """Each document with its sorted spans, one at a time (constant memory for any project size);
        ``step(n)`` told after each (an export's progress and cancel).

        The iterator also has ``export_rows()``: the same walk with each span as a plain row (:meth:`export_rows`),
        which the export writers take when they get it (no Span object per span).
        """
        return exporting.DocumentWalk(self, status, step)

    def export_rows(
        self, status: str | None = None, fields: Sequence[str] = SPAN_FIELDS
    ) -> Iterator[tuple[Document, list[tuple[Any, ...]]]]:
        """The export's fast read: each document with its spans as rows of the :class:`Span` ``fields``, sorted by
        (start, end, label, id), one document in memory at a time (see :func:`annotator.store.exporting.rows`)."""
        return exporting.rows(self, status, fields)

    @connection.reading
    def stats(self) -> dict[str, Any]:
        from annotator.store import stats  # the same figures ``annotator stats`` reads without a Project

        return stats.figures(self.conn)

    @connection.reading
    def history(self, limit: int = 100) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM history ORDER BY id DESC LIMIT ?", [limit]))
