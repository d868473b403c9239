"""Strip site boilerplate from scraped article pages, keeping raw-text offsets for what stays.

Rules, in order:
1. A line is boilerplate when it repeats across different files of the folder as a site's lines do
   (`repeated_line_keys`: after the article's title, digits and spacing are normalised away; versions
   of one article count as one file, and written text that two or three reports share is news) or matches
   one of a few patterns typical of news sites (link lists, job ads, comment and newsletter prompts,
   search prompts).
2. The trailer is cut at the first boilerplate line after which boilerplate makes up at least
   TRAILER_SHARE of the characters and no prose paragraph remains: unique lines wedged between
   boilerplate (new job titles, say) go with it, a body paragraph never does. Patterns only mark lines
   of up to PATTERN_CHARS, and the first line stays (unless a header goes, rule 3). A block of the site's
   lines between two prose paragraphs goes too (`_wedged_blocks`): a paragraph added below the footer.
3. A header of two or more lines that the folder repeats above the article, none of them a sentence, goes too.
4. Inside the body, only stand-alone markers such as "Anzeige" and teasers ("Lesen Sie auch: …", or "Lesen Sie
   auch:" alone and the headline on the line after it) are dropped.
5. A leading dateline ("WASHINGTON / MÜNCHEN (AGENCY) –") is moved into metadata.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from dataclasses import dataclass

from askcorpus.text.sentences import sentence_spans

CLEANER_VERSION = 9  # 9: a site block between two paragraphs goes; 8: a teaser's headline on its own line goes
TRAILER_SHARE = 0.7
PROSE_CHARS = 150
TITLE_CHARS = 120
PATTERN_CHARS = 600  # a longer line is prose even if it mentions, say, "bei Bing"
VERSION_OVERLAP = 0.5
SHINGLE_WORDS = 4
MAX_VERSIONS = 3  # written text in more files than this, not all versions of one article, is the site's
SENTENCE_WORDS = 4
HEADER_LINES = 2
WEDGED_LINES = 3  # a heading and a link below it ("Hintergrund", "– Geschichte von …") are no site block
WEDGED_SURE = 2
SENTENCE_END = re.compile(r"[.!?…][\"'“”»«)\]]*$")

_NO_SENTENCE = r"(?!\s*(?:\S+\s+){2}.*[.;][\"“”»«)]*$)"  # "Anzeige wurde … erstattet." is news; "Anzeige." is not
_PATTERNS = [
    r"^stellen(angebote|anzeigen|markt|börse)\b",
    r"\((?:[mwdxf]|div)(?:\s*/\s*(?:[mwdxf]|div)){1,3}\)",
    r"\(all genders\)",
    r"^(du|sie|ihr)\s+(hast|haben|habt|willst|wollen|wollt|möchtest|möchten|möchtet)\b[^.!]*\?",
    r"\b(alle kommentare|kommentare werden|kommentar zu löschen|kommentar schreiben|kommentar verfassen)",
    r"\b(unsere[rn]? leser(innen)?|netiquette|community-richtlinien)\b",
    r"\b(newsletter|e-mail-benachrichtigung|per e-?mail erhalten|rss-?(haupt)?feed)",
    r"\b(google-suchmaschine|themenrecherche|bei google (news|deutschland)|bei bing\b)",
    r"\b(zur startseite|auf patreon|finden und bewerben|jetzt bewerben|jetzt abonnieren)\b",
    rf"^(mehr zum thema|lesen sie auch|auch interessant)\b(?:\s*[:–-]|{_NO_SENTENCE})",  # a teaser, not "… sagen."
    rf"^(anzeige|werbung|advertisement|teilen)\b{_NO_SENTENCE}",
]
_BULLET_START = r"^[-•*–]\s"
# a link or a call to action; a list of sentences is the article's
_BULLET = rf"{_BULLET_START}\s*\S{_NO_SENTENCE}.{{0,200}}$"
SITE_LINE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)  # the site's, wherever it stands
BULLET = re.compile(_BULLET_START)
BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in (*_PATTERNS, _BULLET)), re.IGNORECASE)
MARKER = re.compile(
    rf"^(anzeige|werbung|advertisement|(lesen sie auch|mehr zum thema|auch interessant)\b(?:\s*[:–-]|{_NO_SENTENCE})"
    rf".{{0,150}})$",
    re.IGNORECASE,
)
TEASER_ALONE = re.compile(r"^(lesen sie auch|mehr zum thema|auch interessant)\s*:?$", re.IGNORECASE)
TITLE_LINE = re.compile(r"zum Artikel\s*[\"„“»«](?P<title>[^\"„“”»«\n]{3,300})[\"“”«»]")
_CAPS = r"[A-ZÄÖÜ][A-ZÄÖÜ.\-]+"
_SPACE = r"[^\S\n]"  # a dateline does not go on past its line (an all-caps headline above it is not one)
DATELINE = re.compile(
    rf"(?P<dateline>{_CAPS}(?:{_SPACE}*/{_SPACE}*{_CAPS}|{_SPACE}+{_CAPS})*){_SPACE}*"
    rf"(?:\((?P<agency>[^()\n]{{1,40}})\))?{_SPACE}*[–—-]\s+"
)


@dataclass(frozen=True)
class SourceFile:
    """One readable article file: `source` is its path relative to the seeds folder, `text` its decoded content."""

    source: str
    text: str
    file_hash: str


@dataclass(frozen=True)
class Line:
    """A line of the raw text: `start`/`end` bound its text without the line break."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """A cleaned article: `segments` are (start, end) raw offsets of the kept body blocks, in order."""

    source: str
    title: str
    dateline: str
    segments: tuple[tuple[int, int], ...]
    file_hash: str

    @property
    def clean_hash(self) -> str:
        """Changes whenever what gets indexed for this file changes."""
        key = f"{self.file_hash}|{self.title}|{self.dateline}|{self.segments}"
        return hashlib.sha256(key.encode()).hexdigest()


def split_lines(raw: str) -> list[Line]:
    """Lines with their raw offsets; `\\r\\n`, `\\n` and the other Unicode breaks all end a line."""
    lines, offset = [], 0
    for piece in raw.splitlines(keepends=True):
        text = piece.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        lines.append(Line(offset, offset + len(text), text))
        offset += len(piece)
    return lines


def extract_title(raw: str) -> str | None:
    """The title these pages repeat in their closing 'zum Artikel "…"' line, if there is one."""
    match = TITLE_LINE.search(raw)
    return match.group("title").strip() if match else None


def line_key(text: str, title: str | None) -> str:
    """A line normalised so that the same template line matches across articles."""
    if title:
        text = text.replace(title, "\x00")
    text = re.sub(r"\d+", "0", text)
    return " ".join(text.split()).casefold()


def repeated_line_keys(files: list[SourceFile]) -> frozenset[str]:
    """Keys of the site's lines: those held by two files that are not versions of one article (`_versions`), unless
    the line is written text (a prose paragraph or a sentence) that at most MAX_VERSIONS files hold. A paragraph that
    a copy or a revised copy shares with its original is article text, not the site's; so is one that a follow-up
    report repeats from an earlier one, or a background paragraph that two or three reports end with. Link labels and
    headings that two articles share are the site's, and so is a sentence that more than MAX_VERSIONS articles end
    with ("Folgen Sie uns auch auf Facebook!"). A site's own sentences in a folder of two or three of its articles
    stay."""
    lines_of: dict[str, frozenset[str]] = {}
    prose_of: dict[str, frozenset[str]] = {}
    sentences_of: dict[str, frozenset[str]] = {}
    holders: dict[str, list[str]] = {}
    for file in files:
        if file.file_hash in lines_of:
            continue
        title = extract_title(file.text)
        keys = {line_key(line.text, title): line.text for line in split_lines(file.text) if line.text.strip()}
        lines_of[file.file_hash] = frozenset(keys)
        prose_of[file.file_hash] = frozenset(key for key, text in keys.items() if _is_prose(text))
        sentences_of[file.file_hash] = frozenset(key for key, text in keys.items() if _is_sentence_line(text))
        for key in lines_of[file.file_hash]:
            holders.setdefault(key, []).append(file.file_hash)
    versions = _versions(prose_of, sentences_of, holders)
    written = frozenset().union(*prose_of.values(), *sentences_of.values())

    def sites(key: str, hashes: list[str]) -> bool:
        if key in written and len(hashes) <= MAX_VERSIONS:
            return False
        if len(hashes) > MAX_VERSIONS:  # one version against all others: linear in the holders
            return any(not versions(frozenset((hashes[0], other))) for other in hashes[1:])
        return any(not versions(frozenset(pair)) for pair in itertools.combinations(hashes, 2))

    return frozenset(key for key, hashes in holders.items() if sites(key, hashes))


def _is_prose(text: str) -> bool:
    """A paragraph of PROSE_CHARS or more that no boilerplate pattern marks."""
    text = text.strip()
    return len(text) >= PROSE_CHARS and not _pattern_marks(text)


def _is_sentence_line(text: str) -> bool:
    """A line of SENTENCE_WORDS or more words that ends as a sentence does and that no boilerplate pattern marks: the
    text of a short report, unlike a site's link labels and headings."""
    text = text.strip()
    return len(text.split()) >= SENTENCE_WORDS and bool(SENTENCE_END.search(text)) and not _pattern_marks(text)


def _pattern_marks(text: str) -> bool:
    """True when a boilerplate pattern marks the stripped line `text` (only lines of up to PATTERN_CHARS)."""
    return len(text) <= PATTERN_CHARS and bool(BOILERPLATE.search(text))


def _versions(prose_of: dict[str, frozenset[str]], sentences_of: dict[str, frozenset[str]],
              holders: dict[str, list[str]]):
    """Whether two files (a pair of hashes) are versions of one article: of the runs of SHINGLE_WORDS words in their
    prose paragraphs held by at most MAX_VERSIONS files (a site's own paragraphs recur in more), at least
    VERSION_OVERLAP are the same. Runs of words rather than whole paragraphs, so that a copy with a name corrected in
    every paragraph still counts: the seed article 000 and a copy with "Witkoff" changed in all 5 places share 0.88
    of their runs (0.28 of their paragraphs' characters); 004 and a copy with "Putin" replaced, 0.98 (0.77); two
    articles of the seeds' site, 0.016 at most. On the seeds and the 2,026 news articles of `../shared/data` the
    bodies kept are the same as with whole paragraphs.

    A file without a prose paragraph (a short report, every line under PROSE_CHARS) is compared by its sentence
    lines (`_is_sentence_line`) instead: else two versions of it share no prose, and the lines they share would be
    taken for the site's and cut. Two short pages of one site that share a trailer of link labels share no sentence
    line; should they share more sentence lines than they hold of their own, they count as versions and keep them."""

    def narrow(keys: frozenset[str]) -> frozenset[str]:
        return frozenset(key for key in keys if len(holders[key]) <= MAX_VERSIONS)

    @functools.cache
    def shingles(file_hash: str) -> frozenset[tuple[str, ...]]:
        keys = narrow(prose_of[file_hash]) or narrow(sentences_of[file_hash])
        return frozenset(run for key in keys for run in _word_runs(key))

    @functools.cache
    def versions(pair: frozenset[str]) -> bool:
        first, second = (shingles(file_hash) for file_hash in pair)
        shared = len(first & second)
        return shared > 0 and shared >= VERSION_OVERLAP * len(first | second)

    return versions


def _word_runs(text: str) -> list[tuple[str, ...]]:
    """The runs of SHINGLE_WORDS consecutive words of `text` (the whole text when it is shorter)."""
    words = text.split()
    return [tuple(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]


def _trailer_start(lines: list[Line], flags: list[bool]) -> int:
    """Index of the first trailer line, or len(lines) when there is no trailer."""
    cut = len(lines)
    boiler_chars = total_chars = 0
    prose_after = False
    for i in range(len(lines) - 1, -1, -1):
        size = len(lines[i].text.strip())
        if not size:
            continue
        total_chars += size
        if flags[i]:
            boiler_chars += size
            if not prose_after and boiler_chars >= TRAILER_SHARE * total_chars:
                cut = i
        elif size >= PROSE_CHARS:
            prose_after = True
    return cut


def _flags(lines: list[Line], title: str | None, repeated: frozenset[str]) -> list[bool]:
    flags = []
    for line in lines:
        text = line.text.strip()
        flags.append(bool(text) and (line_key(line.text, title) in repeated or _pattern_marks(text)))
    return flags


def _body_lines(lines: list[Line], title: str | None, repeated: frozenset[str]) -> list[Line]:
    first = next((i for i, line in enumerate(lines) if line.text.strip()), len(lines))
    flags = _flags(lines, title, repeated)
    cut = _trailer_start(lines, flags)
    if cut <= first < len(lines) and not flags[first]:
        cut = first + 1  # a first line above the trailer is the article's, unless it is boilerplate itself
    start = _header_end(lines, first, cut, title, repeated)
    wedged = _wedged_blocks(lines, flags, start, cut, title, repeated)
    body, teased = [], False
    for i in range(start, cut):
        line = lines[i]
        text = line.text.strip()
        if not text or i in wedged:
            continue
        if MARKER.match(text):
            teased = bool(TEASER_ALONE.match(text))
            continue
        if teased and not _is_sentence_line(text) and len(text) < PROSE_CHARS:
            teased = False  # the headline that a stand-alone "Lesen Sie auch:" announces, on its own line
            continue
        teased = False
        body.append(line)
    return body


def _wedged_blocks(lines: list[Line], flags: list[bool], start: int, cut: int, title: str | None,
                   repeated: frozenset[str]) -> set[int]:
    """Indices of the lines of each site block between two prose paragraphs of the body (a paragraph added below
    the footer leaves the footer there): a run of lines shorter than a prose paragraph, or boilerplate, of which
    WEDGED_LINES or more are boilerplate, making up at least TRAILER_SHARE of its characters, and two of them the
    site's for sure (`_surely_the_site_s`). Paragraphs that mention a newsletter are no site block, and a list of
    short points is the article's own, even with a keyword or a shared heading among them."""
    dropped: set[int] = set()
    block: dict[int, str] | None = None  # each line's stripped text; None until the first prose paragraph
    for i in range(start, cut):
        text = lines[i].text.strip()
        if not text:
            continue
        if len(text) < PROSE_CHARS or flags[i]:
            if block is not None:
                block[i] = text
            continue
        if block and _site_block(list(block.values()), [flags[j] for j in block], title, repeated):
            dropped.update(block)
        block = {}
    return dropped


def _site_block(texts: list[str], flags: list[bool], title: str | None, repeated: frozenset[str]) -> bool:
    """True when the stripped lines `texts` (boilerplate where `flags`) are a site block (`_wedged_blocks`)."""
    marked = [text for text, flag in zip(texts, flags) if flag]
    sure = sum(_surely_the_site_s(text, title, repeated) for text in marked)
    share = sum(map(len, marked)) >= TRAILER_SHARE * sum(map(len, texts))
    return len(marked) >= WEDGED_LINES and sure >= WEDGED_SURE and share


def _surely_the_site_s(text: str, title: str | None, repeated: frozenset[str]) -> bool:
    """A boilerplate line that is no bullet, and that the folder repeats, or that a site pattern marks and is no
    statement: a heading, an offer, a question or a call ("Stellenangebote", "Koch (m/w/d)", "Du willst nichts
    verpassen?", "Es werden alle Kommentare moderiert!"). A bullet is never sure (two articles may share a list
    item), nor a paragraph or a sentence that only mentions a newsletter or its readers ("… Newsletter … an.")."""
    if BULLET.match(text):
        return False
    statement = len(text) >= PROSE_CHARS or text.endswith(".")
    return line_key(text, title) in repeated or not statement and bool(SITE_LINE.search(text))


def _header_end(lines: list[Line], first: int, cut: int, title: str | None, repeated: frozenset[str]) -> int:
    """Index of the first body line after the site's header: a block of HEADER_LINES or more lines at the top that
    the folder repeats (`repeated_line_keys`) and that are no written text (paragraphs and sentences a follow-up
    repeats are news). One repeated line alone is kept: a subject or headline that two articles share ("Mexiko-Stadt"
    atop two paragraphs of one encyclopaedia article)."""
    end, held = first, 0
    while end < cut and (not lines[end].text.strip() or line_key(lines[end].text, title) in repeated
                         and not _is_prose(lines[end].text) and not _is_sentence_line(lines[end].text)):
        held += bool(lines[end].text.strip())
        end += 1
    return end if held >= HEADER_LINES else first


def _segments(raw: str, lines: list[Line], kept: list[Line]) -> list[tuple[int, int]]:
    """Merge kept lines that are adjacent in the raw text (blank lines between them allowed) into spans."""
    kept_ids = {id(line) for line in kept}
    segments: list[list[int]] = []
    open_segment = False
    for line in lines:
        if id(line) in kept_ids:
            start = line.start + (len(line.text) - len(line.text.lstrip(" \t\ufeff")))
            end = line.start + len(line.text.rstrip())
            if open_segment:
                segments[-1][1] = end
            else:
                segments.append([start, end])
                open_segment = True
        elif line.text.strip():
            open_segment = False
    return [(start, end) for start, end in segments if raw[start:end].strip()]


def _fallback_title(text: str) -> str:
    lines = text.strip().splitlines()
    first = next((line.strip() for line in lines if any(char.isalnum() for char in line)), lines[0].strip())
    start, end = sentence_spans(first)[0]
    sentence = first[start:end]
    if len(sentence) <= TITLE_CHARS:
        return sentence
    return sentence[:TITLE_CHARS].rsplit(" ", 1)[0] + " …"


def clean_article(file: SourceFile, repeated: frozenset[str] = frozenset()) -> Article | None:
    """The article body of one file as raw-offset segments, with title and dateline; None when nothing is left."""
    raw = file.text
    lines = split_lines(raw)
    title = extract_title(raw)
    kept = _body_lines(lines, title, repeated)
    if not kept and repeated and any(len(line.text.strip()) >= PROSE_CHARS for line in lines):
        # Every line repeats elsewhere (a re-published article): fall back to the patterns alone. Without a prose
        # paragraph it is the site's repeated lines alone (its footer), no article.
        kept = _body_lines(lines, title, frozenset())
    segments = _segments(raw, lines, kept)
    if not segments:
        return None
    dateline = ""
    first_start, first_end = segments[0]
    match = DATELINE.match(raw, first_start, first_end)
    if match and match.end() < first_end:
        dateline = match.group("dateline").strip()
        segments[0] = (match.end(), first_end)
    return Article(
        source=file.source,
        title=title or _fallback_title(raw[segments[0][0]:segments[0][1]]),
        dateline=dateline,
        segments=tuple(segments),
        file_hash=file.file_hash,
    )


def clean_articles(files: list[SourceFile]) -> tuple[list[Article], list[str]]:
    """Clean every file against the lines the folder repeats; returns the articles and the sources left empty."""
    repeated = repeated_line_keys(files)
    articles, empty = [], []
    for file in files:
        article = clean_article(file, repeated)
        if article is None:
            empty.append(file.source)
        else:
            articles.append(article)
    return articles, empty
