"""A search's candidates in its order, read lazily: streams of index items or records, and lists already in
memory, merged into one stream without repeats.

Every candidate has a position: where it stands in the search's order (a record id, or an index sort key
`<value key>\\0<id>`, see search.index.position). A cursor is the position of the last candidate a page
looked at, so each source resumes right after it, whichever sources the next page uses."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from contacts.schema import ObjectType
from search.index import SEP, TOP, position, record_id_of
from search.planner import KeyRange
from search.repository import SearchRepository

MAX_CHUNK = 1000  # items per read of a stream: the first read is what a page needs, each next one twice more


@dataclass
class Candidate:
    position: str
    record_id: str
    record: dict[str, Any] | None = None  # when the source read the record itself


def ahead(first: str, second: str, descending: bool) -> bool:
    """Whether `first` comes before `second` in the order."""
    return first > second if descending else first < second


class Source:
    """Candidates in the search's order. `floor`: no candidate of this source comes before it, known without
    reading (None: unknown), so a merge reads a source only once it might hold the next candidate."""

    def __init__(self) -> None:
        self.floor: str | None = None
        self._buffer: deque[Candidate] = deque()
        self._done = False

    @property
    def ready(self) -> bool:
        return bool(self._buffer) or self._done

    def peek(self) -> Candidate | None:
        while not self._buffer and not self._done:
            self._fill()
        return self._buffer[0] if self._buffer else None

    def pop(self) -> Candidate:
        candidate = self._buffer.popleft()
        self.floor = candidate.position
        return candidate

    def _fill(self) -> None:
        self._done = True


class ListSource(Source):
    """Candidates already in memory, in order."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        super().__init__()
        self._buffer.extend(candidates)
        self._done = True


class IndexStream(Source):
    """One key range of an index partition. Positions are the sort keys (the partition's own order), or with
    `by_id` the record ids: within one value's range (eq, in) items are in id order."""

    def __init__(
        self,
        repository: SearchRepository,
        partition: tuple[str, ...],
        key_range: KeyRange,
        *,
        descending: bool,
        by_id: bool,
        start: str | None,
        chunk: int,
    ) -> None:
        super().__init__()
        self._repository, self._partition, self._range = repository, partition, key_range
        self._descending, self._by_id, self._chunk = descending, by_id, max(1, min(chunk, MAX_CHUNK))
        low, high = key_range.bounds()
        self.floor = None if by_id else (high if descending else low)
        self._after: str | None = None
        if start is None:
            return
        if by_id:  # a value's range holds `<value key>\0<id>`: resume after the id within it
            self._after = (key_range.prefix or "") + start
        elif (start <= low) if descending else (start >= high):
            self._done = True  # the range lies before the cursor
        elif (start < high) if descending else (start > low):
            self._after = start  # (DynamoDB refuses a start key outside the range queried)

    def _fill(self) -> None:
        sort_keys, self._after = self._repository.entries(
            self._partition,
            limit=self._chunk,
            after=self._after,
            descending=self._descending,
            prefix=self._range.prefix,
            between=self._range.between,
        )
        self._chunk = min(self._chunk * 2, MAX_CHUNK)
        for key in sort_keys:
            record_id = record_id_of(key)
            self._buffer.append(Candidate(record_id if self._by_id else key, record_id))
        self._done = self._after is None


class RecordsWalk(Source):
    """The object type's records partition in id order, archived records too (they fail evaluation). With
    `missing`, only records without that property, at the end of its order (TOP), so a walk of its index
    and this one together hold every record."""

    def __init__(
        self,
        repository: SearchRepository,
        object_type: ObjectType,
        *,
        descending: bool,
        start: str | None,
        chunk: int,
        missing: str | None = None,
    ) -> None:
        super().__init__()
        self._repository, self._object_type, self._missing = repository, object_type, missing
        self._descending, self._chunk = descending, max(1, min(chunk, MAX_CHUNK))
        self._after = start
        if missing is not None:
            tail = TOP + SEP
            self.floor = tail + TOP if descending else tail
            if start is not None and start.startswith(tail):
                self._after = start[len(tail) :]
            elif (
                start is not None
            ):  # the cursor is in the property's index: before the tail ascending, after it descending
                self._after, self._done = None, descending

    def _fill(self) -> None:
        page, self._after = self._repository.walk(
            self._object_type.name, limit=self._chunk, after=self._after, descending=self._descending
        )
        self._chunk = min(self._chunk * 2, MAX_CHUNK)
        for record in page:
            where = position(self._object_type, self._missing, record)
            if self._missing is None or where.startswith(TOP):
                self._buffer.append(Candidate(where, record["id"], record))
        self._done = self._after is None


class Merge:
    """Several sources as one stream in the order, each record once (a record another source also holds stands
    at the same position: another group's driver, a pending mark, a stale index item of the same value)."""

    def __init__(self, sources: list[Source], descending: bool) -> None:
        self._sources, self._descending = sources, descending

    def _best(self) -> tuple[Candidate, Source] | None:
        while True:
            best: tuple[Candidate, Source] | None = None
            for source in self._sources:
                if source.ready or source.floor is None:
                    head = source.peek()
                    if head is not None and (best is None or ahead(head.position, best[0].position, self._descending)):
                        best = (head, source)
            waking = [
                s
                for s in self._sources
                if not s.ready
                and s.floor is not None
                and (best is None or not ahead(best[0].position, s.floor, self._descending))
            ]
            if not waking:
                return best
            for source in waking:
                source.peek()

    def peek(self) -> Candidate | None:
        best = self._best()
        return best[0] if best else None

    def read_ahead(self) -> bool:
        """Whether the next candidate is known without reading anything more."""
        best: str | None = None
        for source in self._sources:
            head = source.peek() if source.ready else None
            if head is not None and (best is None or ahead(head.position, best, self._descending)):
                best = head.position
        return all(
            s.ready or (s.floor is not None and best is not None and ahead(best, s.floor, self._descending))
            for s in self._sources
        )

    def finished(self) -> bool:
        """Whether every source is read to its end and used up (known without reading)."""
        return all(s.ready and s.peek() is None for s in self._sources)

    def pop(self) -> Candidate | None:
        best = self._best()
        if best is None:
            return None
        candidate = best[1].pop()
        # Its twins are at the heads of sources read already: any source that might hold one was read before
        # this candidate was chosen, and a source never repeats a position.
        for source in self._sources:
            while source.ready and (twin := source.peek()) is not None and twin.position == candidate.position:
                candidate.record = candidate.record or source.pop().record
        return candidate
