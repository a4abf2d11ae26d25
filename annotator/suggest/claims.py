"""Claims and who made them: rules for Indonesian and English news, no model.

A *claim* is a stretch of text that reports a statement, assertion, accusation, denial,
promise, warning, prediction or opinion of a source (``resources/claims/GUIDELINE.md``).
The rules work in four steps over a light tokenization of the raw text:

1. **Sentences** (``sentence_spans``): a stop (. ! ? …) ends a sentence unless it follows
   an abbreviation (Indonesian and English), an initial ("Michael C. Tanadhi") or, in
   cased text, the next word starts in lower case; a line break always ends one. A
   closing quotation mark after the stop stays with its sentence, glued or not
   (``bagus . " ujar Ajeng``).
2. **Quotes** (``quote_regions``): quotation marks are paired per paragraph, typographic,
   straight, ``''``/````` and HTML-escaped (``&ldquo;``, ``&quot;``, ``&#8220;``). A
   straight mark whose direction the spacing does not tell closes a quote only when the
   quote is short or the mark is followed by an attribution; otherwise the earlier mark
   was a stray one. Sentences a quote spans are grouped into one *unit*, so a quote
   of several sentences with its attribution is one claim.
3. **Is it a claim?** A unit is a claim when it holds speech in quotation marks (not a
   short quoted name, title or nickname, nor a list of them: "grup bernama " Tea Set "")
   or a reporting cue: a reporting verb in any of its forms (``VERB_ROOTS`` and
   ``POST_ROOTS`` inflected by ``inflect``: me-/di-/-nya, "kata X", "menurut X",
   "diakuinya"; English said/told/according to...), unless it is negated ("belum
   menyatakan"), the writer's hedge ("bisa dikatakan"), another sense ("kata kunci",
   "dilaporkan ke polisi") or an agentless passive ("dikabarkan", "diprediksi").
4. **The claimant**: the source phrase the cue points at ("kata X", "menurut X",
   "X mengatakan", "disampaikan X", "said X"; appositives, dates, datelines, relative
   clauses and the subject's own verb left out), snapped to an ACTOR the entity rules
   found inside it, else to a place it starts with ("Rusia menuding"), else a new
   ACTOR. A pronoun source (katanya, ia, dia, he, she) takes the claimant of a claim
   up to three sentences before, or the one actor named in the sentence before or in
   this one before the pronoun; otherwise none.

The API (what storage and the desk wire):

- ``RulesSuggester.suggest`` (unchanged signature) gives each CLAIM ``Suggestion`` an
  ``attrs["claimant"] = [start, end]`` when a source is named: the character offsets of
  an entity ``Suggestion`` in the same result (an ACTOR, made for it when the entity
  rules had none, or a LOCATION such as "Rusia"). Store it as the relation
  claim -> claimant (``Relation(label="claimant")``). After ``merge`` that entity may
  be missing because the article already has a span there, another suggester's entity
  won the place, or the analyst rejected it: then link to the span with the same
  offsets, else to an ACTOR span overlapping them, else offer no link.
- ``suggest_claims(text, lang)`` -> ``[(claim, claimant | None)]``, the same as pairs.
- ``find_claims(text, lang, actors, places)`` -> ``[ClaimFinding]``: offsets only, for
  callers with their own entity spans; ``sentence_spans(text)``: the units.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from annotator.suggest.base import CLAIM, Suggestion

# --- tokens -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"&(?:[a-zA-Z]+|#\d+|#[xX][0-9a-fA-F]+);"  # HTML entities: &ldquo; &#8220;
    # Words, with inner hyphens, apostrophes and slashes (9/1/14); dots before a small letter
    # or digit (kompas.com, 1.985.000) but not before a capital ("ujarnya.Ia" is two
    # sentences typed without a space); commas and colons between digits (1,5; 10:30).
    r"|\w+(?:(?:[-'’/]|\.(?=[a-z0-9])|(?<=\d)[,:](?=\d))\w+)*"
    r"|\.\.\.|''|``|\S",
)


@dataclass(slots=True)
class Tokens:
    text: str
    words: list[str]
    lower: list[str]
    starts: list[int]
    ends: list[int]
    #: Whether the text uses capitals at all (NERP-style text is all lower case).
    cased: bool = True
    #: Indexes of the tokens that start a paragraph (a line), after the first.
    paragraph_starts: list[int] = field(default_factory=list)
    #: Indexes of the quotation marks.
    quotes: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Tokens:
        found = list(_TOKEN.finditer(text))
        words = [m.group() for m in found]
        starts = [m.start() for m in found]
        ends = [m.end() for m in found]
        lower = [w.lower() for w in words]
        upper = sum(map(str.isupper, (w[0] for w in words)))
        paragraph_starts: list[int] = []
        for m in re.finditer("\n", text):
            k = bisect_left(starts, m.start())
            if 0 < k < len(words) and (not paragraph_starts or paragraph_starts[-1] != k):
                paragraph_starts.append(k)
        quotes = [i for i, w in enumerate(lower) if w in QUOTE_MARKS]
        return cls(text, words, lower, starts, ends, upper * 50 > len(words), paragraph_starts, quotes)

    def paragraph_of(self, i: int) -> int:
        return bisect_right(self.paragraph_starts, i)

    def newline_before(self, i: int) -> bool:
        """A line break between token i-1 and token i."""
        k = bisect_left(self.paragraph_starts, i)
        return k < len(self.paragraph_starts) and self.paragraph_starts[k] == i

    def __len__(self) -> int:
        return len(self.words)

    def glued_before(self, i: int) -> bool:
        """No space between token i-1 and token i."""
        return i > 0 and self.starts[i] == self.ends[i - 1]

    def glued_after(self, i: int) -> bool:
        return i + 1 < len(self.words) and self.starts[i + 1] == self.ends[i]


# --- quotation marks ----------------------------------------------------------------------

OPENING = frozenset(
    {"“", "„", "«", "‘", "``", "&ldquo;", "&#8220;", "&#x201c;", "&lsquo;", "&laquo;", "&bdquo;"}
)
CLOSING = frozenset({"”", "»", "’", "''", "&rdquo;", "&#8221;", "&#x201d;", "&rsquo;", "&raquo;"})
STRAIGHT = frozenset({'"', "&quot;", "&#34;", "&#x22;"})
QUOTE_MARKS = OPENING | CLOSING | STRAIGHT


def is_quote(w: str) -> bool:
    return w in QUOTE_MARKS or (w[:1] == "&" and w.lower() in QUOTE_MARKS)


# --- sentences ----------------------------------------------------------------------------

STOPS = frozenset({".", "!", "?", "…", "...", "&hellip;"})
#: Words that a period follows without ending the sentence (lower case, without the dot).
ABBREVIATIONS = frozenset(
    """
    dr drs dra prof ir h hj kh st sh se mm mba msi mhum mpd spd skom sked spa sp jl jln no nomor
    kol kapt let lettu letda brigjen mayjen letjen jend kombes kompol akbp bpk bp sdr sdri tn ny
    nn yth dll dsb dst dkk tsb hlm rp kab kec kel prov gg rt rw ttd an a.n u.p s.h s.e s.pd
    mr mrs ms messrs gen lt col maj capt sgt cpl pvt adm cmdr gov sen rep rev fr jr sr inc ltd
    co corp vs etc e.g i.e approx est dept univ mt ft ave blvd rd fig vol pp p ed eds al
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)


def _is_abbreviation(tok: Tokens, i: int) -> bool:
    """Token i (a period) follows an abbreviation or an initial, so it ends nothing."""
    if i == 0 or tok.words[i] != ".":
        return False
    prev = tok.words[i - 1]
    low = tok.lower[i - 1]
    if not tok.glued_before(i) and not prev.isalpha():
        return False
    if low in ABBREVIATIONS:
        return True
    if len(prev) == 1 and prev.isalpha():  # an initial: "Michael C. Tanadhi", "valery n ."
        return True
    return bool(re.fullmatch(r"[a-zA-Z]{1,2}(?:[.-][a-zA-Z]{1,2})+", prev))  # U.S. / a.n. / R-S.D.


def sentence_breaks(text: str, tok: Tokens) -> list[int]:
    """Token indexes where a sentence starts (always 0), before quotes are paired."""
    n = len(tok)
    if n == 0:
        return []
    words = tok.words
    cased = tok.cased
    breaks = [0]
    paragraph_starts = set(tok.paragraph_starts)
    events = sorted({i for i, w in enumerate(words) if w in STOPS} | paragraph_starts)
    done = 0  # tokens before this are decided
    for i in events:
        if i < done:
            continue
        if i in paragraph_starts and i != breaks[-1]:
            breaks.append(i)
        if words[i] not in STOPS or _is_abbreviation(tok, i):
            continue
        j = i + 1
        while j < n and words[j] in STOPS:  # "?!", ". . ."
            j += 1
        # A closing mark right after the stop belongs to this sentence, glued or not.
        while j < n and (words[j] in CLOSING or words[j] in (")", "]")) and j not in paragraph_starts:
            j += 1
        done = j
        if j < n and j not in paragraph_starts and words[j] in (",", ";", ":"):
            continue  # "Sen. John Thune, R-S.D., told reporters"
        if (
            j < n
            and cased
            and words[j][:1].islower()
            and not is_quote(words[j])
            and j not in paragraph_starts
        ):
            continue
        if j < n and j != breaks[-1]:
            breaks.append(j)
    return breaks


# --- the reporting lexicon ----------------------------------------------------------------

#: Roots whose me-/di- forms (and -kan/-i) report speech or opinion.
VERB_ROOTS = """
    kata nyata ungkap sebut jelas terang papar tutur tegas imbuh beber klaim tuding tuduh bantah
    sangkal tampik tepis aku nilai anggap prediksi sampai beritahu umum seru sinyalir kritik
    kecam puji janji tanggap iya benar tandas ancam isyarat ramal yakin pasti duga
    pandang cerita kisah sanggah komentar tanya singgung sindir keluh akui tekan
""".split()
#: Roots that report speech bare after the quote or clause ("ujar X") and with -nya ("ujarnya").
POST_ROOTS = """
    kata ujar tutur ucap jelas terang papar tegas tambah imbuh sambung pungkas lanjut beber
    ungkap sebut tandas tukas timpal kilah cetus seloroh tulis tanya jawab kenang harap kata
    aku klaim bantah kritik pinta ajak jelas
""".split()
#: Whole words that are cues as they stand (forms the prefix rules do not make).
EXTRA_VERBS = frozenset(
    """
    memperkirakan memprediksikan memperingatkan mengingatkan menambahkan menekankan berkata
    berpendapat berjanji berharap mengharapkan menyayangkan mencuit berkicau bercerita berkomentar
    membeberkan mengimbuhkan menuturkan mengklaim mengakui menganggap
    memberitahukan menandaskan menegaskan mengutarakan mengemukakan menyinggung menyindir mengeluhkan
    mempertanyakan mewanti-wanti menampik menepis menyanggah mengiyakan membenarkan mengancam
    mempersilakan mempersilahkan mentweet men-tweet mencuitkan
    """.split()
)
#: Passive forms that need an agent after them ("disampaikan Kepala Dinas X").
PASSIVE_NEEDS_AGENT = frozenset(
    """
    dikatakan disampaikan diungkapkan disebutkan disebut dijelaskan diterangkan dipaparkan
    dituturkan ditegaskan dinyatakan diakui dinilai dianggap diprediksi diperkirakan
    diumumkan dibantah diklaim dituding dituduh dikritik dikecam
    """.split()
)
#: Media attribution: "dikutip dari X", "seperti dilansir X", "mengutip X".
MEDIA_CUES = frozenset("dikutip dilansir dilaporkan mengutip melansir memberitakan melaporkan".split())
#: English reporting words.
EN_VERBS = frozenset(
    """
    said says told tells claimed denied denies warned warns added insisted insists argued argue
    argues alleged alleges accused accuses stated declared announced predicted predicts estimated
    explained noted wrote tweeted admitted acknowledged confirmed blamed promised pledged vowed
    urged criticised criticized questioned rejected suggested believes conceded countered
    complained recalled maintained stressed reiterated disputed cautioned
    """.split()
)
EN_PLAIN_VERBS = frozenset({"say", "claim", "deny", "warn", "insist", "believe", "predict"})
PRONOUNS = frozenset("ia dia beliau mereka nya he she they it we i kami kita saya".split())
#: Words that make "kata" the noun "word": "kata kunci", "dengan kata lain".
KATA_NOUNS = frozenset(
    """
    kunci sandi sambutan pengantar benda kerja sifat lain-lain lain demi per dasar majemuk serapan
    mutiara bijak pepatah orang-orang kotor kasar makian tanya hubung ganti bilangan asing baku
    """.split()
)
NEGATIONS = frozenset(
    "belum tidak tak enggan bukan tanpa never not didn't hasn't haven't won't wouldn't no".split()
)
#: The writer's hedges: "bisa dikatakan", "so to speak".
HEDGES_ID = frozenset("bisa dapat boleh bisa-bisa".split())
HEDGES_EN = (
    ("so", "to", "speak"),
    ("needless", "to", "say"),
    ("that", "is", "to", "say"),
    ("suffice", "it", "to", "say"),
    ("let's", "say"),
    ("is", "said", "to"),
    ("are", "said", "to"),
    ("was", "said", "to"),
    ("were", "said", "to"),
)
#: "menurut" that cites no one: "menurut rencana", "menurut dugaan".
MENURUT_NOT = frozenset(
    """
    rencana dugaan jadwal aturan ketentuan undang-undang hukum peraturan tradisi kepercayaan legenda
    sejarah agama adat kalender perhitungan perkiraan kabar cerita mitos
    """.split()
)
#: "kata" after these is the noun: "dengan kata lain", "sebuah kata".
KATA_NOUN_AFTER = frozenset("dengan dalam sebuah satu setiap tiap sepatah beberapa berasal dari".split())
#: Bare roots that report only right after a closing quote ('" ... " tanya Budi').
POST_AFTER_QUOTE_ONLY = frozenset("aku harap tanya jawab tulis pinta ajak kenang klaim kritik bantah".split())
#: Words after a passive verb that are not its agent: "disebut bakal", "dinilai sebagai".
NOT_AGENTS = frozenset("bahwa sebagai bakal akan masih belum sangat cukup lebih tidak".split())
#: English verbs that report only with a subject right before them ("Police confirmed").
EN_NEED_SUBJECT = frozenset("rejected questioned confirmed suggested noted added estimated".split())
#: Plural sources before a bare "say"/"claim": "analysts say".
EN_PLURAL_SOURCES = frozenset(
    "analysts experts critics officials they residents police sources economists we i".split()
)
#: Words after "told"/"said" that are the audience or the content, not the source.
EN_NOT_SOURCES_AFTER = frozenset("reporters journalists parliament that the a an".split())
#: Naming words before a quote that make it a name or title, not speech.
NAMING = frozenset(
    """
    bernama berjudul bertajuk bertema dijuluki julukan judul tema lagu album film singel single
    acara program novel buku serial grup band kelompok istilah slogan motto tagar semboyan sebutan
    panggilan dipanggil disebut sebagai nama kata karakter peran tokoh festival event konser
    called named nicknamed titled dubbed known as album song single film movie show series book
    novel band group tour term word slogan motto hashtag nickname the
    """.split()
)
#: Words that end a source phrase after the cue: "kata X di Jakarta", "said X on Monday".
PHRASE_STOPS = frozenset(
    """
    di kepada dalam saat ketika usai seusai seperti pada dengan sambil yang kemarin tadi sebelum
    setelah sesudah menjelang selepas melalui lewat via bahwa kamis jumat sabtu minggu senin
    selasa rabu ahad ( ) , . : ; ! ? - – —
    to in on at during after before as when while who which that from via about of? the?
    monday tuesday wednesday thursday friday saturday sunday yesterday today last this earlier
    """.split()
) - {"of?", "the?"}
DAYS = frozenset(
    "senin selasa rabu kamis jumat sabtu minggu ahad monday tuesday wednesday thursday friday saturday sunday".split()
)
#: Words that do not occur inside a name: "dalam satu tantangan kepada parlemen" is not one.
NOT_IN_NAMES = frozenset(
    """
    di ke dari pada yang dalam untuk dengan oleh dan atau ini itu tersebut kepada saat ketika telah
    sudah akan juga tidak in on at to for with by and or this that the a an was were is are of
    """.split()
)
#: Words at the front of a clause that are not part of its subject.
LEADING_FILLERS = frozenset(
    """
    sementara namun tetapi tapi sedangkan adapun kemudian lalu bahkan pun juga sebelumnya
    selanjutnya terpisah itu ini dan atau serta karena karenanya sehingga meski meskipun walaupun
    akan tetapi oleh sebab hal saat sementara_itu kini sejauh
    but and while meanwhile however also then later earlier separately yet so
    """.split()
)
TRAILING_FILLERS = frozenset(
    """
    juga pun sendiri telah sudah kemudian lalu bahkan justru memang kembali tetap hanya sempat
    langsung secara tegas pernah lagi masih akhirnya malah mengaku kini
    also has have had then later again once still
    """.split()
)
#: Words for a role, not a name: "kepala X , NAME" prefers NAME.
ROLE_WORDS = frozenset(
    """
    presiden wakil menteri ketua kepala direktur juru bicara jubir sekretaris sekjen anggota
    komisioner deputi humas kabid kapolres kapolda kapolri manajer manager asisten pengamat analis
    pakar ahli pejabat staf koordinator pengacara kuasa gubernur bupati wali walikota camat lurah
    dirjen dirut panglima jenderal kabag kasubag kasat kapolsek plt ketum pimpinan pemimpin
    head chief director minister spokesman spokeswoman spokesperson president secretary chairman
    governor mayor official officer leader manager analyst economist professor
    mantan kapten pelatih penyanyi aktor aktris pemain warga petugas jaksa hakim aktivis peneliti
    dosen guru dokter mahasiswa ilmuwan wartawan politikus politisi kader tokoh pendiri pemilik
    bendahara operator praktisi penasehat penasihat staf kuasa sekretaris komandan kasubdit
    resident member founder owner coach former
    """.split()
)


def _nasal(root: str) -> list[str]:
    """The me- forms of a root: kata -> mengata, tutur -> menutur, papar -> memapar, sebut -> menyebut."""
    c = root[0]
    if c in "aiueo":
        return ["meng" + root]
    if c == "k":
        return ["meng" + root[1:], "meng" + root]
    if c == "t":
        return ["men" + root[1:], "men" + root]
    if c == "p":
        return ["mem" + root[1:], "mem" + root]
    if c == "s":
        return ["meny" + root[1:], "men" + root]
    if c in "bf":
        return ["mem" + root]
    if c in "dcjz":
        return ["men" + root]
    if c in "gh":
        return ["meng" + root]
    return ["me" + root]


def inflect(root: str) -> set[str]:
    """me-/di- forms of a reporting root with -kan/-i, and the di- forms with -nya."""
    forms: set[str] = set()
    for suffix in ("", "kan", "i"):
        for active in _nasal(root):
            forms.add(active + suffix)
        forms.add("di" + root + suffix + "nya")
    return forms


@cache
def _lexicon() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(active verbs, pronoun passives like diakuinya, post words like ujarnya)."""
    active: set[str] = set(EXTRA_VERBS)
    passive_nya: set[str] = set()
    for root in VERB_ROOTS:
        for form in inflect(root):
            (passive_nya if form.startswith("di") else active).add(form)
    post = {root + "nya" for root in POST_ROOTS}
    # Forms that are other words: "menjelas" is nothing, but "mengingat" means "considering",
    # "menekan" "to press", "menyampai" nothing, "menerang" nothing, "memasti" nothing.
    active -= {"mengingat", "menekan", "menilaii", "mengakuii", "menjawabi"}
    return frozenset(active), frozenset(passive_nya), frozenset(post)


# --- findings -----------------------------------------------------------------------------


@dataclass(slots=True)
class ClaimFinding:
    """A claim at [start, end), with its source phrase (character offsets) if one is named."""

    start: int
    end: int
    score: float
    claimant: tuple[int, int] | None = None
    pronoun: bool = False


@dataclass(slots=True)
class _Unit:
    a: int  # first token
    b: int  # one past the last token
    quotes: list[tuple[int, int]]  # (open, close) token indexes of its quotes; open may be -1


SCORE_QUOTE_ATTRIBUTED = 0.8
SCORE_VERB = 0.65
SCORE_QUOTE_ALONE = 0.55


class ClaimRules:
    """The claim rules for one language: ``find(text, actors)``."""

    def __init__(self, lang: str = "id") -> None:
        self.lang = lang or "xx"
        self.active, self.passive_nya, self.post = _lexicon()
        #: Every word a cue can start at (but "X bahwa"): a quick first test per token.
        self.vocabulary = (
            self.active
            | self.passive_nya
            | self.post
            | frozenset(POST_ROOTS)
            | MEDIA_CUES
            | PASSIVE_NEEDS_AGENT
            | EN_VERBS
            | EN_PLAIN_VERBS
            | {"kata", "menurut", "menurutnya", "according", "menulis", "demikian"}
        )

    # --- step 2: quotes --------------------------------------------------------------------

    def _is_attribution_at(self, tok: Tokens, j: int) -> bool:
        """An attribution starts at token j (after a closing quote): ", kata X", "ujarnya", "said"."""
        n = len(tok)
        while j < n and tok.words[j] in (",", "-", "–", "—"):
            j += 1
        if j >= n or tok.words[j] in STOPS or tok.newline_before(j):
            return False
        w = tok.lower[j]
        if w in self.post or w in EN_VERBS or w in POST_ROOTS or w in self.passive_nya:
            return True
        if w in self.active or w in ("demikian", "menurut", "according"):
            return True
        # "... ," Kate Ellis said / Budi Santoso, a resident, told AFP
        for k in range(j + 1, min(n, j + 5)):
            if tok.lower[k] in EN_VERBS or tok.lower[k] in self.active or tok.lower[k] in self.post:
                return True
            if tok.words[k] in STOPS:
                break
        return False

    def quote_regions(self, text: str, tok: Tokens, breaks: list[int]) -> list[tuple[int, int]]:
        """(open, close) token pairs; open is -1 for a quote whose opening lies before the text."""
        n = len(tok)

        def sent_of(i: int) -> int:
            return bisect_right(breaks, i)

        regions: list[tuple[int, int]] = []
        opened = -1
        for i in tok.quotes:
            w = tok.words[i]
            if opened >= 0 and tok.paragraph_of(i) != tok.paragraph_of(opened):
                if (
                    tok.newline_before(i)
                    and tok.paragraph_of(i) == tok.paragraph_of(opened) + 1
                    and (tok.lower[i] in OPENING or tok.lower[i] in STRAIGHT)
                ):
                    # A quote running on over paragraphs: each paragraph opens it again and
                    # only the last one closes it. This paragraph's part ends at its end.
                    regions.append((opened, i - 1))
                opened = -1
            low = tok.lower[i]
            if low in OPENING:
                opened = i
                continue
            if low in CLOSING:
                if opened >= 0:
                    regions.append((opened, i))
                    opened = -1
                elif w != "’" and self._is_attribution_at(tok, i + 1):
                    regions.append((-1, i))
                continue
            # A straight mark: the spacing tells its direction when it is glued on one side.
            glued_left = tok.glued_before(i) and tok.words[i - 1] not in ("(", "[")
            glued_right = tok.glued_after(i)
            attribution = self._is_attribution_at(tok, i + 1)
            if opened < 0:
                if glued_left and not glued_right:
                    if attribution:  # '... selesai," katanya': its opening lies before the text
                        regions.append((-1, i))
                    continue  # else a stray closing mark
                opened = i
                continue
            next_is_word = i + 1 < n and tok.words[i + 1][:1].isalnum() and not tok.newline_before(i + 1)
            same_sentence = sent_of(i) == sent_of(opened)
            # '" Stok aman . " Pemerintah ...': right after the stop that ends the quote's
            # sentences (one or two of them), the mark closes.
            after_its_stop = tok.words[i - 1] in STOPS and sent_of(i) - sent_of(opened) <= 2
            if (
                attribution
                or (glued_left and not glued_right)
                or not next_is_word
                or after_its_stop
                or (same_sentence and not (glued_right and not glued_left))
            ):
                regions.append((opened, i))
                opened = -1
            else:
                # A mark before a word, sentences after the last one: it opens a quote, and
                # the last one was a stray mark (a quote cut off, a typo).
                opened = i
        return regions

    # --- units ---------------------------------------------------------------------------------

    def units(self, text: str, tok: Tokens) -> list[_Unit]:
        n = len(tok)
        if n == 0:
            return []
        breaks = sentence_breaks(text, tok)
        regions = self.quote_regions(text, tok, breaks)
        # A break inside a quote goes; a quote ending in a stop ends its sentence unless an
        # attribution follows (then the sentence runs on to the attribution's stop).
        inside = [False] * (n + 1)
        extra: set[int] = set()
        for o, c in regions:
            for k in range(max(o, 0) + 1, c + 1):
                inside[k] = True
            if (
                c + 1 < n
                and tok.words[c - 1] in STOPS
                and tok.words[c + 1] not in (",", ")")
                and (not self._is_attribution_at(tok, c + 1) or self._new_sentence_after(tok, c))
            ):
                extra.add(c + 1)
        # A paragraph break always starts a unit (even inside a stray quote).
        starts = sorted({b for b in breaks if not inside[b]} | extra | {0} | set(tok.paragraph_starts))
        units: list[_Unit] = []
        for k, a in enumerate(starts):
            b = starts[k + 1] if k + 1 < len(starts) else n
            units.append(_Unit(a, b, []))
        unit_starts = [u.a for u in units]
        for o, c in regions:
            units[bisect_right(unit_starts, c) - 1].quotes.append((o, c))
        return units

    def _new_sentence_after(self, tok: Tokens, c: int) -> bool:
        """'"... bread." Ellis said the repairs ...': after a period and its closing mark, a
        capitalised word that is not itself the attribution word starts a new sentence
        (an attribution follows a comma, "?" or "!", or in Indonesian a lower-case "ujar")."""
        nxt = tok.words[c + 1]
        return (
            tok.cased
            and tok.words[c - 1] == "."
            and nxt[:1].isupper()
            and tok.lower[c + 1] not in self.post
            and tok.lower[c + 1] not in POST_ROOTS
            and tok.lower[c + 1] not in EN_VERBS
        )

    # --- step 3: cues ------------------------------------------------------------------------

    def _negated(self, tok: Tokens, i: int, a: int) -> bool:
        for k in range(max(a, i - 2), i):
            if tok.lower[k] in NEGATIONS:
                return True
        if self.lang == "en" or tok.lower[i] in EN_VERBS:
            low = tok.lower
            if i + 1 < len(tok) and low[i] in ("declined", "refused") and low[i + 1] == "to":
                return True
            for k in range(max(a, i - 3), i):
                if low[k] in ("not", "n't", "never", "no", "declined", "refused"):
                    return True
        return False

    def _hedged(self, tok: Tokens, i: int, a: int) -> bool:
        low = tok.lower
        if i > a and low[i - 1] in HEDGES_ID:
            return True
        if i > a + 1 and low[i - 1] == "juga" and low[i - 2] in HEDGES_ID:
            return True
        if low[i] not in ("said", "say"):
            return False
        for phrase in HEDGES_EN:
            for off in range(len(phrase)):
                k = i - off
                if k >= a and tuple(low[k : k + len(phrase)]) == phrase:
                    return True
        return False

    def _agent_follows(self, tok: Tokens, j: int, b: int) -> bool:
        """A passive's agent: "oleh X", or a name or role right after ("disampaikan Kepala X")."""
        if j >= b:
            return False
        w, low = tok.words[j], tok.lower[j]
        if low == "oleh":
            return True
        if low in PHRASE_STOPS or low in LEADING_FILLERS or low in TRAILING_FILLERS or is_quote(w):
            return False
        if low in NOT_AGENTS:
            return False
        if not w[:1].isalpha():
            return False  # "diperkirakan 15 orang"
        if low[:2] in ("me", "di", "be", "te") and len(low) > 5 and not w[:1].isupper():
            return False  # a verb: "disebut bernama", "dinilai menjadi"
        return w[:1].isupper() or low in ROLE_WORDS or not tok.cased

    def cues(self, tok: Tokens, u: _Unit) -> list[tuple[int, str]]:
        """(token index, kind) of the reporting cues of a unit, filters applied.

        Kinds: ``post`` (the source after: "kata X", "ujarnya", "said X"), ``verb`` (the
        source before: "X mengatakan"), ``menurut`` ("menurut X", "according to X"),
        ``passive`` (agent after: "disampaikan X"; or -nya: "diakuinya"), ``media``.
        """
        low, words = tok.lower, tok.words
        out: list[tuple[int, str]] = []
        quote_tokens = {k for o, c in u.quotes for k in range(max(o, u.a), c + 1)}
        vocabulary = self.vocabulary
        for i in range(u.a, u.b):
            w = low[i]
            if w not in vocabulary and not (i + 1 < u.b and low[i + 1] == "bahwa") or i in quote_tokens:
                continue
            kind = ""
            if w == "kata":
                nxt = low[i + 1] if i + 1 < u.b else ""
                prev = low[i - 1] if i > u.a else ""
                if nxt in KATA_NOUNS or prev in KATA_NOUN_AFTER:
                    continue
                if not nxt or nxt in PHRASE_STOPS:
                    continue
                kind = "post"
            elif w in POST_ROOTS and w != "kata":
                # Bare roots are common words ("jelas", "lanjut", "tambah"): only right after a
                # closing quote or a comma, and before a name.
                prev = words[i - 1] if i > u.a else ""
                nxt = low[i + 1] if i + 1 < u.b else ""
                if (
                    (prev == "," or is_quote(prev))
                    and nxt
                    and nxt not in PHRASE_STOPS
                    and nxt not in KATA_NOUNS
                ):
                    if w in POST_AFTER_QUOTE_ONLY and not is_quote(prev):
                        continue
                    kind = "post"
            elif w in self.post:
                kind = "post"
            elif w in self.passive_nya:
                kind = "passive"
            elif w == "menurutnya":
                kind = "menurut"
            elif w == "demikian" and i > u.a and (is_quote(words[i - 1]) or words[i - 1] == ","):
                # '" ... ," demikian laporan KCNA' / 'demikian pernyataan Kemlu'
                if i + 1 >= u.b or low[i + 1] in PHRASE_STOPS or low[i + 1] in ("pula", "juga", "halnya"):
                    continue
                kind = "post"
            elif (
                w == "menulis"
                and i + 1 < u.b
                and (low[i + 1] in ("begini", "bahwa", ":", ",") or is_quote(words[i + 1]))
            ):
                kind = "verb"  # "taufik menulis begini , ..."; not "menulis buku"
            elif w == "menurut":
                nxt = low[i + 1] if i + 1 < u.b else ""
                if nxt in MENURUT_NOT or not nxt:
                    continue
                kind = "menurut"
            elif w == "according" and i + 1 < u.b and low[i + 1] == "to":
                kind = "menurut"
            elif w in MEDIA_CUES:
                nxt = low[i + 1] if i + 1 < u.b else ""
                if w in ("dilaporkan", "melaporkan"):
                    # "dilaporkan ke polisi", "melaporkan hartanya": other senses.
                    if w == "melaporkan" and nxt == "bahwa":
                        kind = "verb"
                    elif (
                        w == "dilaporkan"
                        and "seperti" in low[max(u.a, i - 2) : i]
                        and self._agent_follows(tok, i + 1, u.b)
                    ):
                        kind = "media"
                    else:
                        continue
                elif (
                    nxt in ("dari",) or self._agent_follows(tok, i + 1, u.b) or w in ("mengutip", "melansir")
                ):
                    kind = "media"
                else:
                    continue
            elif w in self.active:
                kind = "verb"
            elif w in PASSIVE_NEEDS_AGENT:
                if not self._agent_follows(tok, i + 1, u.b):
                    continue
                kind = "passive"
            elif w in EN_VERBS:
                if w in EN_NEED_SUBJECT and not self._en_subject_before(tok, i, u.a):
                    continue
                if w in ("claims", "states") or (
                    w == "reported" and i > u.a and low[i - 1] in ("were", "was", "been", "be", "is", "are")
                ):
                    continue
                kind = "en"
            elif (
                w in EN_PLAIN_VERBS
                and i > u.a
                and (low[i - 1] in EN_PLURAL_SOURCES or (i + 1 < u.b and low[i + 1] == "that"))
            ):
                kind = "en"
            elif w.startswith(("me", "ber")) and i + 1 < u.b and low[i + 1] == "bahwa" and len(w) > 5:
                kind = "verb"  # any me-/ber- verb + "bahwa": "menemukan bahwa", "berpendapat bahwa"
            if not kind:
                continue
            if (
                i + 1 < u.b
                and low[i + 1] in ("diri", "dirinya", "nama", "namanya")
                and kind in ("verb", "passive")
            ):
                continue  # "menyebut diri mereka", "menyerukan nama Fahri": naming, not saying
            if self._negated(tok, i, u.a) or self._hedged(tok, i, u.a):
                continue
            out.append((i, kind))
        return out

    def _en_subject_before(self, tok: Tokens, i: int, a: int) -> bool:
        return i > a and tok.words[i - 1] not in (",", "and", "was", "were", "been", "be", "is")

    # --- quoted names ----------------------------------------------------------------------

    def _speech(self, tok: Tokens, o: int, c: int, u: _Unit) -> bool:
        """Whether the quote (o, c) holds speech rather than a name, title or nickname."""
        if o < 0:
            return True
        listed = {",", "dan", "and", "atau", "or", "serta", "&"}
        if (c + 2 < len(tok) and tok.lower[c + 1] in listed and is_quote(tok.words[c + 2])) or (
            o >= 2 and tok.lower[o - 1] in listed and is_quote(tok.words[o - 2])
        ):
            return False  # a list of quoted names: " Time " dan " Echoes "
        inner = [k for k in range(o + 1, c)]
        words = [tok.words[k] for k in inner if tok.words[k][:1].isalnum()]
        if self._is_attribution_at(tok, c + 1):
            return len(words) >= 2
        if (
            o > 0
            and tok.lower[o - 1] in NAMING
            or (o > 1 and tok.lower[o - 2] in NAMING and tok.words[o - 1] in (",", ":"))
        ):
            if len(words) <= 10:
                return False
        has_stop = any(tok.words[k] in STOPS or tok.words[k] in (",", ";") for k in inner)
        capitalised = sum(1 for w in words if w[:1].isupper())
        if words and capitalised * 10 >= len(words) * 6 and len(words) >= 2 and not has_stop:
            return False  # "Midnight in Paris", "The Seven Habits of Highly Effective People"
        if len(words) <= 5 and not (has_stop and len(words) >= 3):
            return False
        # A quote inside running narration that starts in lower case and does not close a
        # stop is a word in quotes: "menjadi ' tuan rumah '".
        return has_stop or len(words) >= 8

    # --- step 4: claimants -------------------------------------------------------------------

    def _phrase_after(self, tok: Tokens, j: int, b: int) -> tuple[int, int] | None:
        """Source tokens [j, k) after a cue: "kata Ketua KPAI , Asrorun Niam , ..." -> the name."""
        n = min(b, len(tok))
        while (
            j < n
            and tok.words[j] in (",", ":", "-", "–", "—")
            or j < n
            and tok.lower[j] in ("oleh", "dari", "to", "by")
            or j < n
            and tok.lower[j] in REPORT_NOUNS
        ):
            j += 1
        seg = self._segment(tok, j, n)
        if seg is None:
            return None
        k = seg[1]
        # "kata Ketua Bidang ..., Christian Panjaitan ." -> the name after the role.
        if k < n and tok.words[k] == "," and any(tok.lower[t] in ROLE_WORDS for t in range(seg[0], seg[1])):
            nxt = self._segment(tok, k + 1, n)
            if nxt and nxt[1] - nxt[0] <= 4 and not any(tok.lower[t] in ROLE_WORDS for t in range(*nxt)):
                return nxt
        return seg

    def _segment(self, tok: Tokens, j: int, n: int) -> tuple[int, int] | None:
        k = j
        while k < n and k - j < 12:
            w = tok.lower[k]
            if (
                w == "-"
                and k > j
                and k + 1 < n
                and tok.words[k + 1][:1].isalnum()
                and tok.words[k - 1][:1].isalnum()
            ):
                k += 1  # "ban ki - moon", "wakil presiden 2004 - 2009 ini"
                continue
            if w == "(" and k > j and k + 2 < n and tok.words[k + 2] == ")" and len(tok.words[k + 1]) <= 8:
                k += 3  # "badan pusat statistik ( bps )"
                continue
            if w in PHRASE_STOPS or is_quote(tok.words[k]) or w in STOPS:
                break
            if k > j and _looks_like_verb(tok, k, strict=True):
                break  # "menurut data BPS mencatat ..."
            k += 1
        while k > j and tok.lower[k - 1] in TRAILING_FILLERS:
            k -= 1
        return (j, k) if k > j else None

    def _phrase_before(self, tok: Tokens, i: int, a: int) -> tuple[int, int] | None:
        """The subject of a reporting verb at i: back to the clause start, appositives left
        out, cut where the subject's own verb starts ("The centre kept ... and told")."""
        k = i
        while k > a and tok.lower[k - 1] in TRAILING_FILLERS:
            k -= 1
        end = k
        start = end
        depth = 0
        while start > a:
            w = tok.words[start - 1]
            if w == ")":
                depth += 1
            elif w == "(":
                depth -= 1
            elif depth <= 0 and (
                w in STOPS or is_quote(w) or w in (";", ":") or tok.lower[start - 1] in CLAUSE_STARTS
            ):
                break
            elif (
                w in ("-", "–", "—")
                and tok.cased
                and not tok.glued_before(start - 1)
                and not tok.glued_after(start - 1)
            ):
                break  # a dateline: "JAKARTA, KOMPAS.com - Menteri X mengatakan"
            start -= 1
        # "... lari ke arah barat dan Ki Ageng menceritakan": "dan" after a verb joins two
        # clauses, and the subject is the second one's.
        for d in range(end - 2, start, -1):
            if tok.lower[d] not in COORDINATORS:
                continue
            verb_before = any(_looks_like_verb(tok, t) for t in range(start, d))
            # In cased text: "... ke arah barat dan Ki Ageng", a name after lower-case words.
            name_after = (
                tok.cased
                and all(tok.words[t][:1].isupper() for t in range(d + 1, end))
                and any(tok.words[t][:1].islower() for t in range(start, d))
            )
            if verb_before or name_after:
                start = d + 1
                break
        # Comma segments, less dates and times ("selasa ( 3/4 )"); pick the one naming the source.
        segments: list[tuple[int, int]] = []
        s = start
        depth = 0
        for t in range(start, end + 1):
            if t < end and tok.words[t] == "(":
                depth += 1
            elif t < end and tok.words[t] == ")":
                depth -= 1
            if t == end or (tok.words[t] == "," and depth <= 0):
                # A relative clause is no name: "Budi , yang juga ketua RT ," -> "Budi".
                r = next((x for x in range(s, t) if tok.lower[x] in RELATIVES), t)
                if (
                    r > s
                    and not self._is_date(tok, s, r)
                    and (tok.lower[s] not in ADVERBIAL_STARTS or s == start)
                ):
                    segments.append((s, r))
                s = t + 1
        if not segments:
            return None
        last = segments[-1]
        pick = last
        if len(segments) >= 2:
            prev = segments[-2]
            appositive = any(tok.lower[t] in ROLE_WORDS for t in range(*last)) or tok.lower[last[0]] in (
                "a",
                "an",
                "salah",
            )
            if appositive and self._namelike(tok, *prev):
                pick = prev
        a2, b2 = pick
        while a2 < b2 and (tok.lower[a2] in LEADING_FILLERS or tok.words[a2] in ("-", "–", "(")):
            if tok.words[a2] == "(":  # a leading "( ant - 5 )": a credit line, not the subject
                close = next((t for t in range(a2, b2) if tok.words[t] == ")"), b2 - 1)
                a2 = close
            a2 += 1
        # The subject ends where its own verb or an adverb starts: "sikap golkar tampak
        # melunak dengan", "Kim semakin blak-blakan memuji".
        for t in range(a2 + 1, b2):
            if _looks_like_verb(tok, t, strict=True) or tok.lower[t] in SUBJECT_ENDS:
                b2 = t
                break
        while b2 > a2 and tok.lower[b2 - 1] in TRAILING_FILLERS:
            b2 -= 1
        if b2 - a2 > 12:
            return None  # no clear subject
        return (a2, b2) if b2 > a2 else None

    @staticmethod
    def _is_date(tok: Tokens, a: int, b: int) -> bool:
        """A comma segment that is a day or date: "selasa ( 3/4 )", "Senin (3/4) lalu"."""
        low = tok.lower[a]
        return low in DAYS or low[:1].isdigit()

    @staticmethod
    def _namelike(tok: Tokens, a: int, b: int) -> bool:
        """Short, no function words or digits; capitalised in cased text: "Dimas Jayasrana"."""
        if b - a > 5 or b <= a:
            return False
        for t in range(a, b):
            low = tok.lower[t]
            if low in NOT_IN_NAMES or low[:1].isdigit() or low in ROLE_WORDS:
                return False
        return not tok.cased or tok.words[a][:1].isupper()

    @staticmethod
    def _pronoun_before(tok: Tokens, i: int, a: int) -> bool:
        k = i
        while k > a and tok.lower[k - 1] in TRAILING_FILLERS:
            k -= 1
        return k > a and tok.lower[k - 1] in PRONOUNS and tok.lower[k - 1] != "nya"

    def _source_of(
        self, tok: Tokens, u: _Unit, cues: list[tuple[int, str]]
    ) -> tuple[tuple[int, int] | None, bool]:
        """(source token range or None, whether the source is a pronoun) of a claim unit."""
        order = {"post": 0, "en": 1, "verb": 1, "menurut": 2, "passive": 3, "media": 4}
        best: tuple[tuple[int, int] | None, bool] | None = None
        best_rank = 99
        for i, kind in cues:
            rank = order[kind]
            phrase: tuple[int, int] | None = None
            pronoun = False
            w = tok.lower[i]
            if kind == "post" or kind == "menurut":
                if w.endswith("nya") and w != "menurutnya" or w == "menurutnya":
                    pronoun = True
                elif kind == "menurut" and w == "according":
                    phrase = self._phrase_after(tok, i + 2, u.b)
                else:
                    phrase = self._phrase_after(tok, i + 1, u.b)
            elif kind == "passive":
                if w.endswith("nya"):
                    pronoun = True
                else:
                    phrase = self._phrase_after(tok, i + 1, u.b)
            elif kind == "media":
                phrase = self._phrase_after(tok, i + 1, u.b)
            elif kind == "en":
                # '"...," said X' right after the quote; else "X said", or "said X" at worst.
                prev = tok.words[i - 1] if i > u.a else ""
                after = self._phrase_after(tok, i + 1, u.b)
                if after and tok.lower[after[0]] in EN_NOT_SOURCES_AFTER:
                    after = None if tok.lower[after[0]] != "the" or after[1] - after[0] == 1 else after
                if is_quote(prev) or (prev == "," and i > u.a + 1 and is_quote(tok.words[i - 2])):
                    phrase = after or self._phrase_before(tok, i, u.a)
                else:
                    phrase = self._phrase_before(tok, i, u.a) or after
            else:  # verb
                phrase = self._phrase_before(tok, i, u.a)
            if kind in ("verb", "en") and self._pronoun_before(tok, i, u.a):
                phrase, pronoun = None, True  # "... dan beliau berkata", "she said"
            if phrase is not None:
                words = tok.lower[phrase[0] : phrase[1]]
                if len(words) == 1 and words[0] in PRONOUNS:
                    phrase, pronoun = None, True
                elif words and words[0] in PRONOUNS and len(words) == 1:
                    phrase, pronoun = None, True
            if phrase is None and not pronoun:
                continue
            if (
                phrase is not None
                and rank < best_rank
                or best is None
                or (best[0] is None and phrase is not None and rank <= best_rank)
            ):
                best, best_rank = (phrase, pronoun), rank
        return best if best is not None else (None, False)

    # --- the whole -------------------------------------------------------------------------------

    def find(
        self, text: str, actors: Sequence[tuple[int, int]] = (), places: Sequence[tuple[int, int]] = ()
    ) -> list[ClaimFinding]:
        tok = Tokens.of(text)
        found: list[ClaimFinding] = []
        units = self.units(text, tok)
        actor_list = _Actors(actors)
        place_list = _Actors(places)
        last_claim: tuple[int, ClaimFinding] | None = None  # (unit index, finding)
        runs_on: set[int] = set()  # findings whose quote goes on in the next paragraph
        for ui, u in enumerate(units):
            if u.b - u.a < 3:
                continue
            cues = self.cues(tok, u)
            speech = [q for q in u.quotes if self._speech(tok, q[0], q[1], u)]
            if not cues and not speech:
                continue
            a, b = u.a, u.b
            score = SCORE_QUOTE_ATTRIBUTED if speech and cues else SCORE_VERB if cues else SCORE_QUOTE_ALONE
            phrase, pronoun = self._source_of(tok, u, cues) if cues else (None, False)
            finding = ClaimFinding(tok.starts[a], tok.ends[b - 1], score)
            if phrase is not None:
                finding.claimant = self._snap(tok, phrase, actor_list, place_list)
            elif pronoun or (not cues and last_claim is not None and last_claim[0] == ui - 1):
                finding.pronoun = pronoun
                cue_at = tok.starts[cues[0][0]] if cues else tok.starts[u.a]
                finding.claimant = self._antecedent(tok, units, ui, last_claim, actor_list, cue_at)
            if any(not is_quote(tok.words[c]) for _o, c in speech):
                runs_on.add(len(found))
            found.append(finding)
            last_claim = (ui, finding)
        # The speaker of a quote over several paragraphs is named after its last part.
        for k in sorted(runs_on, reverse=True):
            if found[k].claimant is None and k + 1 < len(found) and found[k + 1].claimant is not None:
                found[k].claimant = found[k + 1].claimant
        return found

    @staticmethod
    def _snap(tok: Tokens, phrase: tuple[int, int], actors: _Actors, places: _Actors) -> tuple[int, int]:
        """The ACTOR inside the source phrase, else a place in it ("Rusia menuding ..."), else
        the phrase itself (a new actor)."""
        start, end = tok.starts[phrase[0]], tok.ends[phrase[1] - 1]
        inside = actors.overlapping(start, end)
        if inside:
            # The last person-like actor: "Juru bicara Kemlu , Lalu Muhamad Iqbal".
            people = [(s, e) for s, e in inside if " " in tok.text[s:e] and not tok.text[s:e].isupper()]
            return (people or inside)[-1]
        inside = places.overlapping(start, end)
        if inside:
            if inside[0][0] <= start:
                return inside[0]  # "Rusia menuding", "Korea Utara dan Rusia telah berjanji"
            # "one fund manager in London": the source ends before the place.
            cut = phrase[0]
            while cut < phrase[1] and tok.ends[cut] <= inside[0][0]:
                cut += 1
            while cut > phrase[0] and tok.lower[cut - 1] in PLACE_LINKS:
                cut -= 1
            if cut > phrase[0]:
                return (start, tok.ends[cut - 1])
            return inside[0]
        return (start, end)

    def _antecedent(self, tok, units, ui, last_claim, actors, cue_at: int) -> tuple[int, int] | None:
        """A pronoun source: the previous claim's claimant nearby, or the one actor named in the
        sentence before or in this one before the pronoun."""
        if last_claim is not None and ui - last_claim[0] <= 3 and last_claim[1].claimant is not None:
            return last_claim[1].claimant
        u = units[ui]
        lo = tok.starts[units[ui - 1].a] if ui > 0 else tok.starts[u.a]
        hi = cue_at
        names = {tok.text[s:e]: (s, e) for s, e in actors.overlapping(lo, hi) if lo <= s and e <= hi}
        if len(names) == 1:
            return next(iter(names.values()))
        return None


#: Words with a verb's prefix that are nouns: "kantor berita", "para terdakwa".
NOT_VERBS = frozenset(
    """
    berita bersama berikut beberapa bernama berusia menteri mendagri menlu menkeu menhan menkes
    menko menpora mentan mensesneg direktur direksi dirjen dirut diplomat dinas terdakwa tersangka
    terpidana merdeka melayu mereka memang mengapa melalui menurut menuju berbagai menara
    united
    """.split()
)
#: Words that start a clause whose subject follows them ("setelah AS mengkritik").
CLAUSE_STARTS = frozenset(
    """
    bahwa setelah sesudah sebelum karena sebab ketika saat sejak meskipun walaupun jika kalau
    apabila sehingga agar supaya hingga usai seusai that after before because when since although
    though if while whereas
    """.split()
)
#: Words that start an adverbial phrase, not a subject: "Belousov, dalam sebuah pernyataan,".
ADVERBIAL_STARTS = frozenset(
    "dalam di pada saat ketika kepada dengan melalui lewat usai seusai in at on during after via through with".split()
)
#: Words between a source and its place: "manajer asal Bekasi", "fund manager in London".
PLACE_LINKS = frozenset("di dari asal dan in of from at the and , -".split())
COORDINATORS = frozenset("dan lalu kemudian serta and then".split())
#: Nouns between "demikian" and the source: "demikian laporan KCNA", "demikian bunyi pernyataan X".
REPORT_NOUNS = frozenset(
    "laporan pernyataan keterangan rilis bunyi siaran pers tulisan unggahan kicauan".split()
)
#: Adverbs and auxiliaries that follow a subject, never inside it.
SUBJECT_ENDS = TRAILING_FILLERS | frozenset(
    "semakin makin secara terus sangat tak tidak belum akan bisa dapat harus ingin mau sedang tengah".split()
)
#: Words that start a relative clause.
RELATIVES = frozenset("yang who which".split())
EN_AUXILIARIES = frozenset(
    "is was are were has have had will would can could may might kept made took gave went".split()
)


def _looks_like_verb(tok: Tokens, t: int, *, strict: bool = False) -> bool:
    """Crudely, without a tagger: "menahan", "bertemu", "dijemput"; "met", "reported", "kept".

    ``strict`` leaves out di-/ter- forms and short words, which are often nouns
    ("direktur", "tersangka", "berita").
    """
    w, low = tok.words[t], tok.lower[t]
    if (tok.cased and w[:1].isupper()) or low in ROLE_WORDS or low in NOT_VERBS:
        return False
    if strict:
        if low.startswith(("mem", "men", "meng", "meny", "mel", "mer", "mew", "ber")) and len(low) > 5:
            return True
    elif low.startswith(("me", "ber", "di", "ter")) and len(low) > 5:
        return True
    return low in EN_AUXILIARIES or (low.endswith("ed") and len(low) > 4)


class _Actors:
    """ACTOR spans sorted by start, for O(log n) overlap look-ups."""

    __slots__ = ("spans", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        j = bisect_left(self.starts, end)  # spans from j on start at or after end
        out = []
        for k in range(j - 1, -1, -1):
            s, e = self.spans[k]
            if e > start:
                out.append((s, e))
            elif end - s > 400:  # entity spans are short: nothing further back overlaps
                break
        return out[::-1]


@cache
def rules_for(lang: str) -> ClaimRules:
    return ClaimRules(lang)


def find_claims(
    text: str,
    lang: str = "id",
    actors: Iterable[tuple[int, int]] = (),
    places: Iterable[tuple[int, int]] = (),
) -> list[ClaimFinding]:
    """Claims in ``text``; ``actors`` and ``places`` are (start, end) of the ACTOR and other
    entity spans already found, which a claimant snaps to rather than overlap."""
    return rules_for(lang or "xx").find(text, list(actors), list(places))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the units claims are made of: sentences, quotes kept whole."""
    tok = Tokens.of(text)
    return [(tok.starts[u.a], tok.ends[u.b - 1]) for u in rules_for("xx").units(text, tok)]


def suggest_claims(text: str, lang: str = "id") -> list[tuple[Suggestion, Suggestion | None]]:
    """Each suggested claim with its suggested claimant (None when no source is named): an
    ACTOR, or a LOCATION suggestion when the source is a place ("Rusia menuding ...").

    Runs the whole rules suggester, so the claimant is the same ACTOR suggestion it makes.
    """
    from annotator.suggest.rules import RulesSuggester

    found = RulesSuggester().suggest([text], [lang])[0]
    entities = {(s.start, s.end): s for s in found if s.label != CLAIM}
    out: list[tuple[Suggestion, Suggestion | None]] = []
    for s in found:
        if s.label != CLAIM:
            continue
        span = s.attrs.get("claimant")
        out.append((s, entities.get(tuple(span)) if span else None))
    return out
