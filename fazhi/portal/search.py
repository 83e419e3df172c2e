"""Full-text search over published annual reports (全文检索), DOMAIN.md §6 / TEXT-NOTES.md.

Index text = jieba words (with the domain word list ``domain_words.dict``) PLUS character bigrams of every
run of Han characters. jieba alone misses sub-word queries (纠错率 inside 直接纠错率, 复议体制 split as 复议/体制,
TEXT-NOTES.md); a query's Han runs are therefore searched as *phrases of bigrams*, which match exactly where
the query string occurs. Bigrams come first in the index text: PostgreSQL caps token positions at 16 383, and
phrase matching needs real positions.

Two backends with one interface, chosen by database vendor:
- SQLite (embedded default): an FTS5 virtual table ``portal_search_fts`` (rowid = report id), BM25 ranking;
- PostgreSQL: ``portal_searchdocument`` with the stored ``vector`` (generated ``to_tsvector('simple', body)``)
  and a RUM index ranking inside the index (``<=>``), or, without the extension, a GIN index and ``ts_rank``
  on the stored vector. Either way a page of hits is ranked and cut in the database.

Only published (accepted and public) reports are indexed: ``index_report`` removes anything else.
Snippets are highlighted safely: the text is escaped first, then the hits are wrapped in ``<mark>``.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DICT_PATH = Path(__file__).with_name("domain_words.dict")
FTS_TABLE = "portal_search_fts"
TOKEN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
HAN = re.compile(r"[\u4e00-\u9fff]")
DIGITS = re.compile(r"[0-9]+")
MAX_QUERY_TERMS = 8
MAX_TERM_CHARS = 40
MAX_RESULTS = 1000

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """One jieba tokenizer with the domain word list, loaded on first use (~1 s, TEXT-NOTES.md)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.load_userdict(str(DICT_PATH))
                _tokenizer = tok
    return _tokenizer


@functools.cache
def domain_words() -> tuple[str, ...]:
    """The words of ``domain_words.dict`` (jieba's user dictionary for the index)."""
    return tuple(line.split()[0] for line in DICT_PATH.read_text(encoding="utf-8").splitlines() if line.strip())


def bigrams(run: str) -> list[str]:
    """Character bigrams of one Han run (a single character stays itself)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@functools.lru_cache(maxsize=50_000)
def _run_grams(run: str) -> str:
    return " ".join(bigrams(run))


@functools.lru_cache(maxsize=50_000)
def _block_words(block: str) -> tuple[str, ...]:
    return tuple(w for w in tokenizer().lcut(block) if len(w) > 2 and HAN.match(w) and TOKEN.fullmatch(w))


def index_text(text: str) -> str:
    """The text stored in the index: bigrams of each Han run, ASCII words, then jieba words.

    jieba cuts a text block by block (its ``re_han_default`` runs), so each block's words are cached: reports
    repeat their clauses (and a bulk load of 20,000 reports would otherwise spend ~80 ms each in jieba). The
    cache key has its digits replaced by 0 — digits never join Han characters in a dictionary word, so the
    Han words kept are the same (tested against a plain ``cut`` on the seeds and on generated reports).
    """
    import jieba

    grams: list[str] = []
    for match in TOKEN.finditer(text):
        token = match.group()
        grams.append(_run_grams(token) if HAN.match(token) else token.lower())
    tokenizer()
    words: list[str] = []
    for block in jieba.re_han_default.split(text):
        if block and jieba.re_han_default.match(block):
            words.extend(_block_words(DIGITS.sub("0", block)))
    return " ".join(grams) + " " + " ".join(words)


def index_text_uncached(text: str) -> str:
    """``index_text`` as one plain jieba ``cut`` of the whole text (what the cached version must equal)."""
    grams: list[str] = []
    for match in TOKEN.finditer(text):
        token = match.group()
        if HAN.match(token):
            grams.extend(bigrams(token))
        else:
            grams.append(token.lower())
    words = [w for w in tokenizer().cut(text) if len(w) > 2 and HAN.match(w) and TOKEN.fullmatch(w)]
    return " ".join(grams) + " " + " ".join(words)


@dataclass(frozen=True)
class Term:
    """One query term: its runs (Han or ASCII), searched together as a phrase of bigrams/words."""

    raw: str
    runs: tuple[str, ...]


def parse_query(query: str) -> list[Term]:
    terms = []
    for chunk in query.split()[:MAX_QUERY_TERMS]:
        chunk = chunk[:MAX_TERM_CHARS]
        runs = tuple(m.group().lower() for m in TOKEN.finditer(chunk))
        if runs:
            terms.append(Term(raw=chunk, runs=runs))
    return terms


def _run_tokens(run: str) -> list[str]:
    return bigrams(run) if HAN.match(run) else [run]


class SearchBackend:
    vendor = ""

    def index(self, report_id: int, body: str) -> None:
        raise NotImplementedError

    def remove(self, report_id: int) -> None:
        raise NotImplementedError

    def index_many(self, rows) -> int:
        """Add (report id, index text) rows for reports not in the index yet (bulk loads); return the count."""
        raise NotImplementedError

    def search(self, terms: list[Term], limit: int = MAX_RESULTS) -> list[tuple[int, float]]:
        """(report id, score) best first; higher score is better."""
        return self.ranked(terms, None, limit, 0)

    def ranked(self, terms: list[Term], within, limit: int, offset: int) -> list[tuple[int, float]]:
        """One page of (report id, score), best first, among the reports of ``within`` (a queryset of reports,
        or None for all) — ranked and cut in the database."""
        raise NotImplementedError

    def count(self, terms: list[Term], within, cap: int = MAX_RESULTS) -> int:
        """How many reports of ``within`` match, counted up to ``cap``."""
        raise NotImplementedError


def _within(within) -> tuple[str, list]:
    """`` AND <id column> IN (subquery)`` for a queryset of reports (its SQL and parameters), or nothing."""
    if within is None:
        return "", []
    sql, params = within.order_by().values("pk").query.sql_with_params()
    return f" IN ({sql})", list(params)


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    @staticmethod
    def match_expression(terms: list[Term]) -> str:
        parts = []
        for term in terms:
            alternatives = []
            for run in term.runs:
                if HAN.match(run) and len(run) == 1:
                    alternatives.append(f'"{run}"*')
                else:
                    alternatives.append('"' + " ".join(_run_tokens(run)) + '"')
            parts.append("(" + " AND ".join(alternatives) + ")")
        return " AND ".join(parts)

    def index(self, report_id: int, body: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [report_id])  # noqa: S608
            cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)", [report_id, body])  # noqa: S608

    def remove(self, report_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [report_id])  # noqa: S608

    def index_many(self, rows) -> int:
        rows = list(rows)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)", rows)  # noqa: S608
        return len(rows)

    def ranked(self, terms, within, limit, offset):
        if not terms:
            return []
        sub, params = _within(within)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
                + (f"AND rowid{sub} " if sub else "") + f"ORDER BY bm25({FTS_TABLE}) LIMIT %s OFFSET %s",
                [self.match_expression(terms), *params, limit, offset],
            )
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]

    def count(self, terms, within, cap=MAX_RESULTS):
        if not terms:
            return 0
        sub, params = _within(within)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
                + (f"AND rowid{sub} " if sub else "") + "LIMIT %s)",
                [self.match_expression(terms), *params, cap],
            )
            return cursor.fetchone()[0]


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    @staticmethod
    def tsquery(terms: list[Term]) -> str:
        parts = []
        for term in terms:
            alternatives = []
            for run in term.runs:
                if HAN.match(run) and len(run) == 1:
                    alternatives.append(f"{run}:*")
                else:
                    alternatives.append("(" + " <-> ".join(_run_tokens(run)) + ")")
            parts.append("(" + " & ".join(alternatives) + ")")
        return " & ".join(parts)

    def index(self, report_id: int, body: str) -> None:
        from .models import SearchDocument

        SearchDocument.objects.update_or_create(report_id=report_id, defaults={"body": body})

    def remove(self, report_id: int) -> None:
        from .models import SearchDocument

        SearchDocument.objects.filter(report_id=report_id).delete()

    def index_many(self, rows) -> int:
        from fazhi.io.bulk import insert_rows

        from .models import SearchDocument

        return insert_rows(SearchDocument, ["report_id", "body"], rows)

    def uses_rum(self) -> bool:
        """Whether the RUM index exists (migration 0004 makes it where the extension is installed)."""
        alias = connection.alias
        if alias not in _RUM:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'portal_searchdocument_rum'")
                _RUM[alias] = cursor.fetchone() is not None
        return _RUM[alias]

    @staticmethod
    def rank_tsquery(terms: list[Term]) -> str:
        """The query hits are *ordered* by (not the one they are matched by): the query's words as the indexer
        cuts them — jieba words of more than two characters are in the index as words, two-character words are
        bigrams of the index — plus the domain words that contain a run (jieba cuts 直接纠错率 and 法治政府建设
        as one word, so a report holds 纠错率 or 法治政府 only inside them), joined by ``|``; "" when the query
        has no such word.

        Ranking the phrase of bigrams itself is what made common queries slow: RUM's distance to a phrase whose
        bigrams (行政, 政府 …) occur dozens of times in every report costs ~0.3 ms per matching report
        (``EXPLAIN ANALYZE`` at 5,000 reports: 1.3 s for 行政复议 ordered by its phrase, 16 ms ordered by the
        word 行政复议)."""
        words: list[str] = []
        for term in terms:
            for run in term.runs:
                cut = tokenizer().lcut(run) if HAN.match(run) else [run]
                longer = [w for w in domain_words() if len(run) > 1 and run in w and w != run]
                for word in [*cut, *longer]:
                    if len(word) >= 2 and TOKEN.fullmatch(word) and word not in words:
                        words.append(word)
        return " | ".join(words)

    def ranked(self, terms, within, limit, offset):
        """Matched by the exact phrase of bigrams (``q``); ordered by the stored vector's distance to the
        query's words (``o``, ``rank_tsquery``) — never the body re-parsed.

        Two ordered parts, the second read only when a page goes past the first: (1) the reports that hold a
        word, found and ordered by ``o`` in the index (with RUM only the words' entries are read, and the phrase
        is checked on the page's rows only), then (2) the matches that hold none of the words (the string only
        inside other words), ordered by the phrase."""
        if not terms:
            return []
        sub, params = _within(within)
        match, words = self.tsquery(terms), self.rank_tsquery(terms)
        within_sql = f" AND report_id{sub}" if sub else ""
        rum = self.uses_rum()

        def page(where: str, order: str, query_params: list, size: int, skip: int) -> list[tuple[int, float]]:
            rank = f"vector <=> {order}" if rum else f"ts_rank(vector, {order})"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT report_id, {rank} FROM portal_searchdocument, to_tsquery('simple', %s) q, "  # noqa: S608
                    f"to_tsquery('simple', %s) o WHERE {where}{within_sql} ORDER BY {rank}{'' if rum else ' DESC'} "
                    "LIMIT %s OFFSET %s", [*query_params, *params, size, skip])
                return cursor.fetchall()

        if not words:
            rows = page("vector @@ q", "q", [match, match], limit, offset)
        else:
            # ts_match_vq is @@ written as a function: a filter on the rows read, never an index condition
            first = "vector @@ o AND ts_match_vq(vector, q)"
            rows = page(first, "o", [match, words], limit, offset)
            if len(rows) < limit:
                if rows or not offset:
                    skip = 0
                else:  # the page starts past the first part: how many rows did the first part have?
                    with connection.cursor() as cursor:
                        cursor.execute(
                            "SELECT count(*) FROM (SELECT 1 FROM portal_searchdocument, "  # noqa: S608
                            f"to_tsquery('simple', %s) q, to_tsquery('simple', %s) o WHERE {first}{within_sql} "
                            "LIMIT %s) part", [match, words, *params, offset])
                        skip = offset - cursor.fetchone()[0]
                rows += page("vector @@ (q && !! o)", "q", [match, words], limit - len(rows), skip)
        if rum:  # a distance: smaller is better
            return [(pk, 1.0 / (1.0 + float(d))) for pk, d in rows]
        return [(pk, float(r)) for pk, r in rows]

    @staticmethod
    def words_imply_match(terms: list[Term], words: str) -> bool:
        """Whether every report holding one of ``words`` matches the query: one term of one run that each word
        contains (行政复议 → the word 行政复议; 纠错率 → 纠错率 | 直接纠错率)."""
        return (len(terms) == 1 and len(terms[0].runs) == 1 and bool(words)
                and all(terms[0].runs[0] in word for word in words.split(" | ")))

    def count(self, terms, within, cap=MAX_RESULTS):
        if not terms:
            return 0
        sub, params = _within(within)
        within_sql = f" AND report_id{sub}" if sub else ""
        match, words = self.tsquery(terms), self.rank_tsquery(terms)
        found = 0
        with connection.cursor() as cursor:
            if self.uses_rum() and self.words_imply_match(terms, words):
                # Counted from the words' entries in the index (a bitmap scan: a word needs no recheck, so no
                # stored vector is read). Left to itself the planner scans the table for a common word and
                # un-toasts ~20 KB of vector per report (``EXPLAIN ANALYZE`` at 5,000 reports, 1,000 hits: 38 ms
                # against 0.7 ms); the two settings hold for this statement only.
                cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
                try:
                    cursor.execute(
                        "SELECT count(*) FROM (SELECT 1 FROM portal_searchdocument "  # noqa: S608
                        f"WHERE vector @@ to_tsquery('simple', %s){within_sql} LIMIT %s) part", [words, *params, cap])
                    found = cursor.fetchone()[0]
                finally:
                    cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
                if found >= cap:
                    return found
                match = f"({match}) & !({words})"  # the rest: the string only inside other words
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM portal_searchdocument, to_tsquery('simple', %s) q "  # noqa: S608
                f"WHERE vector @@ q{within_sql} LIMIT %s) hits", [match, *params, cap - found])
            return found + cursor.fetchone()[0]


_RUM: dict[str, bool] = {}


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"no full-text search backend for {connection.vendor}")


def index_report(report) -> None:
    """Put a report in the index if it is published, take it out otherwise (call after every status change)."""
    with transaction.atomic():
        if report.is_published:
            backend().index(report.pk, index_text(f"{report.title}\n{report.clean_text}"))
        else:
            backend().remove(report.pk)


def index_many(reports) -> int:
    """Index many newly published reports at once: ``reports`` yields (report id, title, clean text)."""
    return backend().index_many((pk, index_text(f"{title}\n{text}")) for pk, title, text in reports)


def search_reports(query: str, queryset=None, limit: int = MAX_RESULTS):
    """Published reports matching ``query``, best first (``queryset`` narrows by region/level/year); the texts
    are deferred (a list needs titles, not 15 KB bodies)."""
    from fazhi.reports.models import AnnualReport

    within = (queryset if queryset is not None else AnnualReport.objects.all()).published()
    hits = backend().ranked(parse_query(query), within, limit, 0)
    if not hits:
        return []
    by_id = {r.pk: r for r in within.filter(pk__in=[pk for pk, _s in hits]).select_related("unit")
             .defer("original_text", "clean_text")}
    return [by_id[pk] for pk, _score in hits if pk in by_id]


class SearchHits:
    """The hits of one query as a sequence a ``Paginator`` pages: ``len`` is a capped COUNT in the index, a
    slice is one ranked LIMIT/OFFSET query plus the reports of that page only (with their text, for the
    snippets)."""

    def __init__(self, query: str, queryset=None, cap: int = MAX_RESULTS):
        from fazhi.reports.models import AnnualReport

        self.terms = parse_query(query)
        self.within = (queryset if queryset is not None else AnnualReport.objects.all()).published()
        # The index holds published reports only (``index_report``): without a filter the database is not asked
        # to join every hit to the report table; the page's reports are still read through ``within``.
        self.scope = self.within if queryset is not None else None
        self.cap = cap
        self._len: int | None = None

    def __len__(self) -> int:
        if self._len is None:
            self._len = backend().count(self.terms, self.scope, self.cap) if self.terms else 0
        return self._len

    count = __len__

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, min(index.stop if index.stop is not None else self.cap, self.cap)
        if stop <= start or not self.terms:
            return []
        hits = backend().ranked(self.terms, self.scope, stop - start, start)
        by_id = {r.pk: r for r in self.within.filter(pk__in=[pk for pk, _s in hits]).select_related("unit")
                 .defer(None).defer("original_text")}  # the page's texts only, for the snippets
        return [by_id[pk] for pk, _score in hits if pk in by_id]


def highlight(text: str, query: str, width: int = 60, max_fragments: int = 3) -> SafeString:
    """An escaped snippet of ``text`` around the query's hits, each hit wrapped in ``<mark>``."""
    needles = sorted({run for term in parse_query(query) for run in term.runs}, key=len, reverse=True)
    if not needles:
        return escape(text[: width * 2])
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    matches = list(pattern.finditer(text))
    if not matches:
        return escape(text[: width * 2])
    windows: list[list[int]] = []
    for match in matches:
        start, end = max(0, match.start() - width), min(len(text), match.end() + width)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        elif len(windows) < max_fragments:
            windows.append([start, end])
    fragments = []
    for start, end in windows:
        piece = text[start:end]
        out, pos = [], 0
        for m in pattern.finditer(piece):
            out.append(escape(piece[pos : m.start()]))
            out.append("<mark>" + escape(m.group()) + "</mark>")
            pos = m.end()
        out.append(escape(piece[pos:]))
        fragments.append(("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else ""))
    return mark_safe(" ".join(fragments))  # noqa: S308 - every piece escaped above
