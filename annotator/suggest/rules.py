"""The built-in suggester: general rules for Indonesian and English news, no model download.

It tokenizes with spaCy's blank tokenizer for the article's language and walks the
capitalised stretches of each sentence ("runs"), deciding for each what it is:

- a title or role before a name (Presiden, Menteri Pertahanan, juru bicara, Gen.,
  Prime Minister...) marks the name after it as an ACTOR; the title stays outside the
  span, as in the NERGRIT gold data;
- country, region and city names from ISO 3166 (English and Indonesian, via pycountry)
  and GeoNames (generated into ``resources/gazetteer/places.tsv``) are LOCATION, and a
  place name splits a run: "Presiden | Korea Utara | Kim Jong Un";
- place cue words (Kabupaten, Desa, Pulau, Gunung...) start a LOCATION, a trailing
  compass word (Utara, Selatan...) makes one;
- organisation cue words (Partai, Kementerian, Universitas, University, Party...) and
  acronyms (KCNA, TNI, NATO) are ACTORs, as are other multi-word capitalised names;
- a single capitalised word is only suggested with support: a title or a person cue
  before it, or a place preposition before it (LOCATION), and never when the same
  word also appears in lower case in the article (then it is a common word);
- claims and their claimants come from ``annotator.suggest.claims``: a sentence (or a
  quote of several, with its attribution) with quoted speech or a reporting verb is a
  CLAIM, its source an ACTOR, linked by the claim's ``attrs["claimant"]``.

Scores are fixed per rule. The walk is a single pass over plain Python lists built from
each ``Doc``: about 10x the required 50,000 words per second on one core.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from importlib import resources
from pathlib import Path

from annotator.suggest.base import ACTOR, CLAIM, LOCATION, Suggestion
from annotator.suggest.claims import find_claims
from annotator.suggest.tokens import blank_tokenizer

log = logging.getLogger(__name__)

# --- word lists (lower case) -------------------------------------------------------------

TITLES = frozenset(
    """
    presiden wakil menteri menko menlu menhan mendagri perdana jenderal letjen mayjen brigjen
    marsekal laksamana kolonel kapten letnan kapolri kapolda kapolres panglima kasad kasal kasau
    irjen komjen kombes akbp kompol akp iptu ipda aiptu aipda bripka briptu bripda laksda laksma
    marsda marsma komandan danrem dandim pangdam residen asisten pemimpin pendiri
    gubernur wagub bupati wabup walikota wali wakot camat lurah kades ketua wakil sekretaris
    sekjen direktur dirut komisaris kepala juru bicara jubir duta besar dubes raja ratu pangeran
    putri sultan paus imam ustaz ustadz kiai kyai habib syekh haji hajah pak bu bapak ibu tuan
    nyonya nona saudara sang dr dr. prof prof. ir ir. drs drs. h h. hj hj. mr mr. mrs mrs. ms ms.
    senator anggota hakim jaksa ketum pelatih kapten penyanyi aktor aktris pemain penulis
    president vice minister secretary prime chancellor general gen gen. lt lt. col col. maj maj.
    capt capt. sgt sgt. admiral commander chief spokesman spokeswoman spokesperson ambassador
    governor mayor senator sen sen. rep rep. representative congressman congresswoman speaker
    chairman chairwoman chair director ceo king queen prince princess pope sheikh emir ayatollah
    judge justice attorney officer leader premier foreign defense defence interior home finance
    state deputy former then acting supreme coach sir lord lady dame professor doctor
    pertahanan luar dalam negeri keuangan kesehatan pendidikan agama perdagangan perindustrian
    pertanian perhubungan sosial keamanan politik hukum koordinator bidang kabinet kemaritiman
    investasi pariwisata energi lingkungan hidup kehutanan kelautan perikanan ketenagakerjaan
    umum besar utama eksekutif operasional jenderal negara bumn ham polri tni
    """.split()
)
#: The words that actually make a title (the rest above only continue one: "Menteri *Pertahanan*").
CORE_TITLES = frozenset(
    """
    presiden menteri menko menlu menhan mendagri perdana jenderal letjen mayjen brigjen marsekal
    laksamana kolonel kapolri kapolda kapolres panglima gubernur wagub bupati wabup walikota wali
    irjen komjen kombes akbp kompol laksda laksma marsda marsma komandan danrem dandim pangdam
    camat lurah ketua sekretaris sekjen direktur dirut kepala jubir dubes raja ratu pangeran sultan
    paus pak bu bapak ibu tuan nyonya sang dr dr. prof prof. h h. hj hj. mr mr. mrs mrs. ms ms.
    senator hakim ketum pelatih president minister secretary chancellor general gen gen. lt. col.
    maj. capt. sgt. admiral commander chief spokesman spokeswoman spokesperson ambassador governor
    mayor sen. rep. congressman congresswoman speaker chairman chairwoman director ceo king queen
    prince princess pope sheikh emir ayatollah judge premier coach sir lord lady professor
    """.split()
)
#: Lower-case words before a name that make it a person: "kata Lee", "oleh Amir".
PERSON_BEFORE = frozenset(
    """
    oleh bernama kata ujar tutur ucap bersama sapaan dijuluki istri suami putra putri anak ayah
    ibu adik kakak juru bicara said told by says according
    """.split()
)
#: Lower-case words before a name that make it a place.
PLACE_BEFORE = frozenset("di ke dari menuju wilayah kawasan daerah in at near to from across".split())
#: Lower-case cue words that belong inside a place span ("desa Suren", "kecamatan Mojolaban").
LOWER_PLACE_CUES = frozenset("desa kecamatan dusun kelurahan kabupaten kota".split())
PLACE_CUES = frozenset(
    """
    kabupaten kota kecamatan desa dusun kelurahan kampung provinsi pulau kepulauan gunung
    pegunungan sungai danau selat teluk tanjung laut samudra samudera lembah pantai jalan jl jl.
    bandara bandar pelabuhan kerajaan negeri semenanjung benua
    county province island islands mount mountains lake river gulf bay sea ocean strait city
    district region street valley
    """.split()
)
ORG_CUES = frozenset(
    """
    partai kementerian kemenhan kemenlu kemendagri universitas institut sekolah akademi bank pt
    cv tbk perum persero komisi badan dewan majelis mahkamah pengadilan kejaksaan kepolisian
    polda polres tentara angkatan pasukan lembaga yayasan persatuan perhimpunan ikatan asosiasi
    federasi konfederasi serikat gerakan front organisasi perusahaan klub
    rumah sakit rs stasiun televisi radio harian majalah koran kantor direktorat dinas biro
    komando kodam korem kodim polsek koramil satuan brigade batalyon divisi kongres
    parlemen senat pemerintah pemkab pemkot pemprov sma smp smk sd smpn sman smkn sdn mts
    politeknik sekolah
    ministry department university college institute school academy bank party commission
    council committee agency bureau court army navy police forces force corporation company
    group association federation union league organization organisation foundation fund
    movement front parliament congress senate government administration cabinet inc inc. ltd
    ltd. co co. corp corp. plc llc news times post press agency broadcasting television
    """.split()
)
#: Org cues that sit at the end of an English name: "Harvard University", "Labour Party".
ORG_TAILS = frozenset(
    """
    university college institute party ministry department commission council committee agency
    bureau court army corporation company group association federation union league
    organization organisation foundation fund movement front inc inc. ltd ltd. corp corp. plc
    llc news times post press
    """.split()
)
DIRECTIONS = frozenset(
    "utara selatan barat timur tengah tenggara daya laut raya north south east west central".split()
)
#: Lower-case words allowed inside a name between capitalised ones ("Bank of America", "bin").
#: ("di" is left out: in Indonesian it is "in/at", and "Nair Hospital di Mumbai" is two names.)
CONNECTORS = frozenset("bin binti van von der den de da al el la le of the du dos des y".split())
#: Upper-case words that are not organisations.
NOT_ACRONYMS = frozenset(
    """
    II III IV VI VII VIII IX XI XII XX XXI WIB WITA WIT PM AM TV OK CEO SD SMP SMA SMK RT RW KTT
    HAM BBM PHK APBN APBD UU PP DNA COVID PDB GDP USD IDR RP ID EN HP CCTV GPS PDF AC DC FC SMS
    SH SE MM MA MSC PHD SAG SPD LCD OHP PAUD OSIS LED USB
    KM KG CM MM LP AKA VS JR SR ST TBK NO KTP SIM NIK ATM PLTU PLTN PLTA
    """.split()
)
#: Capitalised words that are never names: days and months.
NOT_NAMES = frozenset(
    """
    Senin Selasa Rabu Kamis Jumat Jum'at Sabtu Minggu Ahad Januari Februari Maret April Mei Juni
    Juli Agustus September Oktober November Desember Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March May June July August October December
    """.split()
)
#: Words that start capitalised names of events, works and prizes, which are not actors.
NOT_NAME_STARTS = frozenset(
    """
    perang piala penghargaan festival album film lagu buku novel serial olimpiade kejuaraan
    pertempuran revolusi konferensi operasi hari tahun abad zaman era masa ordo
    war cup award awards prize festival album film song book series olympics championship
    battle revolution conference operation day order
    """.split()
)
#: Organisation acronyms common in Indonesian and world news: suggested wherever they appear.
KNOWN_ACRONYMS = frozenset(
    """
    PBB UN NATO TNI Polri POLRI KPK DPR DPRD MPR DPD ASEAN UE EU WHO IMF WTO OPEC OKI OIC UNESCO
    UNICEF UNHCR ICC ICJ FBI CIA NSA KGB FSB KCNA BBC CNN AFP AP Reuters ANTARA Antara Bernama
    Xinhua TASS KPU Bawaslu MK MA BPK BI OJK BIN BNN BNPB BMKG Basarnas Kemenlu Kemenhan
    Kemendagri Kemenkeu PDIP PDI-P Golkar Gerindra PKB PKS PAN NasDem Demokrat PSI PPP Hanura
    Perindo NU Muhammadiyah MUI FIFA UEFA IOC AFC PSSI Pertamina PLN Telkom Garuda Hamas
    Hezbollah Hizbullah Taliban ISIS Houthi IDF KKB OPM GAM FPI HTI
    """.split()
)
#: Lower-case words before the title of a work ("film Ayat Ayat Cinta", "lagu " Hey Ya "").
WORK_BEFORE = frozenset(
    """
    film lagu single singel album judul berjudul acara teater drama sinetron novel buku serial
    program opera musikal lakon karya komik majalah episode video klip
    film song single album titled series show novel book play
    """.split()
)
OPEN_QUOTES = frozenset({"“", '"', "«", "‘", "„", "``"})
QUOTES = frozenset({"“", "”", '"', "«", "»", "‘", "’", "„", "``", "''"})
SENT_END = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
ABBREVIATIONS = frozenset(
    "gen dr prof mr mrs ms st jr sr lt col sgt capt maj rep sen gov h hj ir drs no vs kol jl".split()
)

# Fixed confidences per rule.
SCORE_PLACE_DATA = 0.85
SCORE_TITLE_NAME = 0.85
SCORE_PLACE_CUE = 0.8
SCORE_ORG_CUE = 0.8
SCORE_ACRONYM = 0.65
SCORE_NAME = 0.6
SCORE_CONTEXT_SINGLE = 0.5
#: An ACTOR made for a claim's source that the entity rules did not find.
SCORE_CLAIMANT = 0.6

_GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "resources" / "gazetteer"
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,6}")
_ROMAN = re.compile(r"[IVX]{1,5}")


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.id.stop_words import STOP_WORDS as ID

    return frozenset(ID | EN)


@cache
def _common_words() -> frozenset[str]:
    """Lower-case words known to be common Indonesian/English words (seed of the vocabulary)."""
    words = set(_stop_words())
    try:
        from spacy.lang.id._tokenizer_exceptions_list import ID_BASE_EXCEPTIONS
    except ImportError:  # a private module of spaCy: fine to lose
        return frozenset(words)
    for entry in ID_BASE_EXCEPTIONS:
        for part in entry.split("-"):
            if len(part) > 2 and part.isalpha() and part.islower():
                words.add(part)
    return frozenset(words)


def _read_gazetteer_dir() -> Path:
    try:
        return Path(str(resources.files("resources") / "gazetteer"))
    except (ModuleNotFoundError, TypeError):
        return _GAZETTEER_DIR


@cache
def load_places(directory: str | None = None, *, news_names: bool = True) -> dict[str, str]:
    """Place and institution names -> label, from the generated data files (``news_names``:
    with the names labelled in news, ``names.tsv``)."""
    folder = Path(directory) if directory else _read_gazetteer_dir()
    if not (folder / "places.tsv").exists():
        folder = _GAZETTEER_DIR
    names: dict[str, str] = {}
    stop = _stop_words()
    banned = PLACE_CUES | ORG_CUES | TITLES | DIRECTIONS
    places = folder / "places.tsv"
    if places.exists():
        for line in places.read_text(encoding="utf-8").splitlines():
            name = line.split("\t", 1)[0].strip()
            low = name.lower()
            if not name or low in stop or low in banned or len(name) < 3:
                continue
            names[name] = LOCATION
    else:
        log.warning("no place list at %s: LOCATION suggestions will be poor", places)
    # Names labelled in news (build_names.py): they add to the place data, never override it.
    learned = folder / "names.tsv"
    if news_names and learned.exists():
        for line in learned.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, _, label = line.partition("\t")
            name, low = name.strip(), name.strip().lower()
            if low in stop or low in banned or len(name) < 3 or label.strip() not in (ACTOR, LOCATION):
                continue
            names.setdefault(name, label.strip())
    aliases = folder / "aliases.tsv"
    if aliases.exists():
        for line in aliases.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, label = line.partition("\t")
                names[name.strip()] = label.strip() or LOCATION
    return names


def _is_cap(w: str) -> bool:
    return w[:1].isupper() and any(c.isalpha() for c in w)


class RulesSuggester:
    """Rule-based ACTOR / LOCATION / CLAIM suggestions for Indonesian and English news."""

    name = "rules"

    def __init__(
        self,
        *,
        claims: bool = True,
        places: dict[str, str] | None = None,
        batch_size: int = 256,
        single_names: str = "places",
        acronyms: str = "repeated",
        learn_vocabulary: bool = True,
        max_vocabulary: int = 300_000,
    ) -> None:
        self.claims = claims
        self.places = places if places is not None else load_places()
        self.max_place_tokens = 6
        self.batch_size = batch_size
        self.single_names = single_names
        self.acronyms = acronyms
        self._stop = _stop_words()
        self.learn_vocabulary = learn_vocabulary
        self.common_ratio_num, self.common_ratio_den = 0, 1
        self.max_vocabulary = max_vocabulary
        self._common: set[str] = set(_common_words())

    # --- spaCy plumbing -------------------------------------------------------------------

    def suggest(self, texts: list[str], langs: list[str] | None = None) -> list[list[Suggestion]]:
        langs = langs or ["xx"] * len(texts)
        out: list[list[Suggestion]] = [[] for _ in texts]
        by_lang: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            by_lang.setdefault(lang or "xx", []).append(i)
        for lang, indexes in by_lang.items():
            tokenizer = blank_tokenizer(lang)
            for chunk_start in range(0, len(indexes), self.batch_size):
                chunk = indexes[chunk_start : chunk_start + self.batch_size]
                docs = list(tokenizer.pipe((texts[i] for i in chunk), batch_size=self.batch_size))
                # Words seen in lower case anywhere in the batch are common words, not names.
                for doc in docs:
                    self._learn_vocabulary(doc)
                for i, doc in zip(chunk, docs, strict=True):
                    out[i] = self.suggest_doc(doc, learn=False)
        return out

    def _learn_vocabulary(self, doc) -> None:
        if not self.learn_vocabulary or len(self._common) > self.max_vocabulary:
            return
        # Three letters or more: "un" of "Jong-un" is a piece of a name, not a word.
        self._common.update(t.text for t in doc if t.is_lower and t.is_alpha and len(t) > 2)

    # --- the rules ---------------------------------------------------------------------------

    def suggest_doc(self, doc, *, learn: bool = True) -> list[Suggestion]:
        """Suggestions for one tokenized text (a ``Doc`` from the blank tokenizer)."""
        if learn:
            self._learn_vocabulary(doc)
        words = [t.text for t in doc]
        starts = [t.idx for t in doc]
        spaces = [bool(t.whitespace_) for t in doc]
        n = len(words)
        ends = [s + len(w) for s, w in zip(starts, words, strict=True)]
        lower_words = self._common
        out: list[Suggestion] = []

        # Sentence boundaries: a token after which a new sentence starts.
        sent_start = [False] * (n + 1)
        sent_start[0] = True
        for i, w in enumerate(words):
            if w in SENT_END:
                if i > 0 and (words[i - 1].lower() in ABBREVIATIONS or len(words[i - 1]) == 1):
                    continue
                j = i + 1
                while j < n and words[j] in QUOTES and not spaces[j - 1]:
                    j += 1
                sent_start[j] = True
            elif w.isspace() and "\n" in w:
                sent_start[i + 1] = True
            elif "\n" in w:
                sent_start[i + 1] = True

        # "Initial" positions where a capital letter says nothing: sentence starts and
        # just after an opening quote, colon or newline.
        initial = sent_start[:n]
        for i in range(n - 1):
            w = words[i]
            if w in OPEN_QUOTES or w == ":" or w.isspace():
                initial[i + 1] = True
        # Skip leading whitespace tokens for sentence-initial flags.
        for i in range(n - 1):
            if initial[i] and words[i].isspace():
                initial[i + 1] = True

        i = 0
        while i < n:
            w = words[i]
            if not _is_cap(w):
                i += 1
                continue
            # Grow a run of capitalised words, with connectors and hyphen compounds inside.
            j = i + 1
            while j < n:
                x = words[j]
                if _is_cap(x) and spaces[j - 1]:
                    j += 1
                elif (
                    x == "-" and not spaces[j - 1] and j + 1 < n and not spaces[j] and words[j + 1].isalpha()
                ):
                    j += 2
                elif x in ("'s", "’s"):
                    break
                elif (
                    x in CONNECTORS
                    and spaces[j - 1]
                    and j + 1 < n
                    and _is_cap(words[j + 1])
                    and words[j + 1].lower() not in self._stop
                ):
                    j += 1
                elif not spaces[j - 1] and x[:1].isalpha() and _is_cap(words[j - 1]) and x.isalpha():
                    j += 1  # "O'Brien"-like glued pieces
                else:
                    break
            self._classify_run(i, j, words, starts, ends, initial, lower_words, out)
            i = j

        if self.claims:
            self._claims(doc.text, doc.lang_, out)
        return out

    def _place_at(self, k: int, j: int, text_of) -> int:
        """End index of the longest known place starting at token k, within [k, j), or -1."""
        for m in range(min(j, k + self.max_place_tokens), k, -1):
            if text_of(k, m) in self.places:
                return m
        return -1

    def _classify_run(self, i, j, words, starts, ends, initial, lower_words, out) -> None:
        stop = self._stop
        text_of = self._text_of(words, starts, ends)

        # Leading function words ("Dalam", "Hal", "Tak", "Di") are not part of a name.
        while i < j and (
            words[i].lower() in stop
            or words[i] in CONNECTORS
            or words[i] == "-"
            or (initial[i] and words[i].lower() in lower_words and text_of(i, i + 1) not in self.places)
        ):
            i += 1
        if i >= j:
            return
        # Trailing connectors / hyphen.
        while j > i and (words[j - 1] in CONNECTORS or words[j - 1] == "-"):
            j -= 1

        first_low = words[i].lower()
        if (words[j - 1].lower() in ORG_TAILS or first_low in ORG_CUES) and j - i >= 2:
            # "Harvard University", "Partai Golkar"; "SMA Negeri 1 Malang" takes its number and town.
            j = self._numbered_end(j, words, starts, ends)
            out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_ORG_CUE, "rules"))
            return
        if first_low in PLACE_CUES and j - i >= 2 and words[i + 1].lower() not in DIRECTIONS:
            out.append(Suggestion(starts[i], ends[j - 1], LOCATION, SCORE_PLACE_CUE, "rules"))
            return

        if first_low in NOT_NAME_STARTS:
            return

        # Known places inside the run: "Presiden | Korea Utara | Kim Jong Un" splits, but
        # "Real Madrid" or "Garuda Indonesia" is one name that contains a place.
        pieces: list[tuple[int, int, bool]] = []
        k = seg_start = i
        while k < j:
            m = self._place_at(k, j, text_of)
            if m > 0:
                while m < j and words[m].lower() in DIRECTIONS:  # "Jakarta Timur"
                    m += 1
                if seg_start < k:
                    pieces.append((seg_start, k, False))
                pieces.append((k, m, True))
                k = seg_start = m
            else:
                k += 1
        if seg_start < j:
            pieces.append((seg_start, j, False))

        def title_only(a: int, b: int) -> bool:
            return all(w.lower() in TITLES or w.lower() in stop or w in CONNECTORS for w in words[a:b])

        splittable = any(is_place for _a, _b, is_place in pieces) and all(
            is_place
            or title_only(a, b)
            or (n >= 2 and pieces[n - 1][2] and title_only(pieces[n - 2][0], pieces[n - 2][1]))
            for n, (a, b, is_place) in enumerate(pieces)
        )
        had_title = i > 0 and words[i - 1].lower() in TITLES and words[i - 1].islower()
        if not splittable and not (len(pieces) == 1 and pieces[0][2]):
            self._name_segment(i, j, words, starts, ends, initial, lower_words, had_title, out)
            return
        for a, b, is_place in pieces:
            if is_place:
                label = self.places.get(text_of(a, b), LOCATION)
                if self._lower_cue_before(a, words):
                    out.append(Suggestion(starts[a - 1], ends[b - 1], label, SCORE_PLACE_CUE, "rules"))
                else:
                    out.append(Suggestion(starts[a], ends[b - 1], label, SCORE_PLACE_DATA, "rules"))
            else:
                had_title = self._name_segment(
                    a, b, words, starts, ends, initial, lower_words, had_title, out
                )

    @staticmethod
    def _lower_cue_before(i: int, words: list[str]) -> bool:
        """ "desa Suren": a lower-case place cue right before, not "ibu kota"."""
        return i > 0 and words[i - 1] in LOWER_PLACE_CUES and not (i > 1 and words[i - 2].lower() == "ibu")

    @staticmethod
    def _text_of(words, starts, ends):
        def text_of(a: int, b: int) -> str:
            if b - a == 1:
                return words[a]
            return " ".join(words[a:b]) if all(starts[t + 1] == ends[t] + 1 for t in range(a, b - 1)) else ""

        return text_of

    def _name_segment(self, i, j, words, starts, ends, initial, lower_words, had_title, out) -> bool:
        """Suggest a name for tokens [i, j); returns whether it ended in a title (for what follows)."""
        stop = self._stop
        # Titles before the name: "Menteri Pertahanan", "Wakil Presiden", "Prime Minister".
        title_found = False
        while i < j and words[i].lower() in TITLES:
            title_found = title_found or words[i].lower() in CORE_TITLES
            i += 1
        # A title further in: "Russian Defence Minister Andrey Belousov".
        for t in range(j - 2, i, -1):
            if words[t].lower() in CORE_TITLES and words[t][:1].isupper():
                i = t + 1
                title_found = True
                while i < j and words[i].lower() in TITLES:
                    i += 1
                break
        while i < j and (words[i].lower() in stop or words[i] in CONNECTORS or words[i] == "-"):
            i += 1
        while j > i and (words[j - 1] in CONNECTORS or words[j - 1] == "-"):
            j -= 1
        if i >= j:
            return title_found or had_title
        titled = title_found or had_title
        low_last = words[j - 1].lower()
        prev_low = words[i - 1].lower() if i > 0 else ""

        if j - i == 1 or (j - i == 3 and words[i + 1] == "-"):
            w = words[i]
            if self._lower_cue_before(i, words):
                out.append(Suggestion(starts[i - 1], ends[j - 1], LOCATION, SCORE_PLACE_CUE, "rules"))
                return False
            if w in NOT_NAMES:
                return False
            if _ACRONYM.fullmatch(w) and w not in NOT_ACRONYMS:
                # Known organisations always; other acronyms when the article repeats them.
                if w in KNOWN_ACRONYMS:
                    out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_ORG_CUE, "rules"))
                elif self.acronyms == "all" or (self.acronyms == "repeated" and words.count(w) >= 2):
                    out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_ACRONYM, "rules"))
                return False
            if self.single_names == "none" or w.lower() in lower_words or w.lower() in stop:
                return False
            if titled or prev_low in PERSON_BEFORE:
                out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_TITLE_NAME, "rules"))
            elif initial[i]:
                return False
            elif prev_low in PLACE_BEFORE and words[i - 1].islower():
                if self.single_names in ("all", "places"):
                    out.append(Suggestion(starts[i], ends[j - 1], LOCATION, SCORE_CONTEXT_SINGLE, "rules"))
            elif self.single_names == "all":
                out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_CONTEXT_SINGLE, "rules"))
            return False

        if low_last in DIRECTIONS and not titled:
            out.append(Suggestion(starts[i], ends[j - 1], LOCATION, SCORE_PLACE_CUE, "rules"))
        elif low_last in ORG_TAILS or words[i].lower() in ORG_CUES:
            out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_ORG_CUE, "rules"))
        elif words[i].lower() in PLACE_CUES:
            out.append(Suggestion(starts[i], ends[j - 1], LOCATION, SCORE_PLACE_CUE, "rules"))
        elif self._lower_cue_before(i, words):
            out.append(Suggestion(starts[i - 1], ends[j - 1], LOCATION, SCORE_PLACE_CUE, "rules"))
        elif titled:
            out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_TITLE_NAME, "rules"))
        else:
            # A bare capitalised stretch: a name only when its words are not common words
            # ("Sistem Informasi", "Grammy Awards" are capitalised terms, not actors), and
            # not the title of a work in quotes.
            if self._quoted(i, j, words) or self._work_title(i, words):
                return False
            name_words = [w for w in words[i:j] if w.isalpha() and w not in CONNECTORS]
            common = sum(1 for w in name_words if w.lower() in lower_words)
            if common * self.common_ratio_den > len(name_words) * self.common_ratio_num:
                return False
            out.append(Suggestion(starts[i], ends[j - 1], ACTOR, SCORE_NAME, "rules"))
        return False

    @staticmethod
    def _numbered_end(j: int, words: list[str], starts: list[int], ends: list[int]) -> int:
        """The end of "SMA Negeri | 1 Malang": a number (or Roman numeral) and the capitalised words after it."""
        n = len(words)
        if not (
            j < n and starts[j] == ends[j - 1] + 1 and (words[j].isdigit() or _ROMAN.fullmatch(words[j]))
        ):
            return j
        k = j + 1
        while k < n and starts[k] == ends[k - 1] + 1 and _is_cap(words[k]) and words[k] not in NOT_NAMES:
            k += 1
        return k

    @staticmethod
    def _work_title(i: int, words: list[str]) -> bool:
        """The name of a film, song or book follows: "film Ketika Cinta Bertasbih"."""
        k = i - 1
        if k >= 0 and words[k] in QUOTES:
            k -= 1
        return k >= 0 and words[k] in WORK_BEFORE

    @staticmethod
    def _quoted(i: int, j: int, words: list[str]) -> bool:
        return 0 < i and j < len(words) and words[i - 1] in QUOTES and words[j] in QUOTES

    @staticmethod
    def _claims(text: str, lang: str, out: list[Suggestion]) -> None:
        """CLAIM suggestions, each with ``attrs["claimant"]`` when its source is named.

        The claimant is an entity of ``out``: the ACTOR found inside the source phrase,
        else a place there ("Rusia menuding ..."), else a new ACTOR for the phrase.
        """
        actors = [(s.start, s.end) for s in out if s.label == ACTOR]
        places = [(s.start, s.end) for s in out if s.label != ACTOR and s.label != CLAIM]
        known = set(actors) | set(places)
        for found in find_claims(text, lang, actors, places):
            attrs: dict = {}
            if found.claimant is not None:
                start, end = found.claimant
                attrs["claimant"] = [start, end]
                if (start, end) not in known:
                    out.append(Suggestion(start, end, ACTOR, SCORE_CLAIMANT, "rules"))
                    known.add((start, end))
            out.append(Suggestion(found.start, found.end, CLAIM, found.score, "rules", attrs))
