"""Claims and their claimants: the smallest input for each failure kind of issue #16.

Given a sentence or two (Indonesian and English), when the rules look for claims, then
the claim, its extent and its claimant are as an analyst would mark them.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.suggest.base import Suggestion, merge
from annotator.suggest.claims import find_claims, inflect, sentence_spans, suggest_claims
from annotator.suggest.rules import RulesSuggester


@pytest.fixture(scope="module")
def rules() -> RulesSuggester:
    return RulesSuggester()


def claims_of(text: str, lang: str = "id") -> list[str]:
    return [text[f.start : f.end] for f in find_claims(text, lang)]


def claimant_of(rules: RulesSuggester, text: str, lang: str = "id") -> str | None:
    """The claimant text of the one claim the rules suggest in ``text``."""
    found = rules.suggest([text], [lang])[0]
    claims = [s for s in found if s.label == "CLAIM"]
    assert len(claims) == 1, [text[s.start : s.end] for s in claims]
    span = claims[0].attrs.get("claimant")
    if span is None:
        return None
    # The claimant is always one of the entity suggestions given with it (an ACTOR, or a
    # place when the source is a country: "Rusia menuding ...").
    assert any(s.label != "CLAIM" and [s.start, s.end] == span for s in found)
    return text[span[0] : span[1]]


# --- quotation marks that are not speech ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ('Grup musik baru bernama " Tea Set " tampil di Bandung.', "id"),
        ('Vokalisnya dijuluki " Si Kancil " oleh penggemarnya.', "id"),
        ("Lagu “Senja di Braga” paling banyak diputar malam itu.", "id"),
        ('Albumnya memuat lagu " Time " dan " Echoes " .', "id"),
        ('Lomba itu mengangkat tema " sarapan sehat anak sekolah " tahun ini.', "id"),
        ('The band "Arctic Monkeys" will play two nights in Singapore.', "en"),
        ('The tower, known as "the Iron Lady", was completed in 1889.', "en"),
        ('The tower appears in films such as "Midnight in Paris" and "Ratatouille".', "en"),
    ],
)
def test_quoted_names_and_titles_are_not_claims(text, lang):
    assert claims_of(text, lang) == []


def test_quoted_speech_is_a_claim_even_unattributed():
    text = '" Kami memonitor situasi secara ketat dan siap menghadapi ancaman . "'
    assert claims_of(text) == [text]


# --- words that only look like reporting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kata kunci yang paling banyak dicari adalah kopi Kemang.", "id"),
        ("Dengan kata lain, harga akan naik.", "id"),
        ("Partai itu belum menyatakan sikap soal calon gubernur.", "id"),
        ("Polisi tidak mengatakan apa pun soal motifnya.", "id"),
        ("Bisa dikatakan, pemilihan kali ini cukup menarik.", "id"),
        ("Golkar diprediksi akan melakukan manuver politik.", "id"),
        ("Kabarnya, klub itu rela membayar 161 juta pound.", "id"),
        ("Dua mahasiswa dilaporkan ke polisi setelah mengunggah foto itu.", "id"),
        ("Kelompok ini menyebut diri mereka dengan berbagai nama.", "id"),
        ("The Greens have not said how they will vote.", "en"),
        ("It is, so to speak, a game of chicken.", "en"),
        ("The ministry declined to comment on the cost.", "en"),
        ("No casualties were reported.", "en"),
    ],
)
def test_look_alikes_are_not_claims(text, lang):
    assert claims_of(text, lang) == []


# --- reporting verbs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"Stok aman sampai akhir bulan," pungkasnya.',
        '"Kami siap menambah tiket," sambung Yudi.',
        "Dedi menuturkan keputusan akan diambil bulan depan.",
        '"Tidak ada kaitannya," tutur Alex.',
        "Iqbal menerangkan bahwa 12 WNI telah dievakuasi.",
        '"Ini bukan bencana alam," terangnya.',
        "Ketua panitia memaparkan bahwa penonton mencapai 3.000 orang.",
        '"Kesempatan bergabung tetap ada," paparnya.',
        "Pedagang menuding distributor sengaja menahan pasokan.",
        "Diakuinya, proses evakuasi terhambat pertempuran.",
        "Suharini menganggap kenaikan harga masih wajar.",
        "Kemlu memprediksi masih ada 40 WNI di Khartoum.",
        "Hal itu disampaikan Kepala Dinas Suharini Eliawati di Jakarta.",
        "Bupati memberitahu warga agar tidak mendekati sungai.",
        '"Harga naik," kata Budi.',
        "Menurut Budi, harga cabai naik karena cuaca.",
        "Harga cabai naik karena cuaca, ujar Budi.",
        "Menurutnya, harga cabai naik karena cuaca.",
        "Budi mengungkapkan harga cabai naik karena cuaca.",
    ],
)
def test_indonesian_reporting_verbs_make_claims(text):
    assert claims_of(text, "id") == [text]


@pytest.mark.parametrize(
    "text",
    [
        '"Prices will rise," she said.',
        "He told reporters that prices would rise.",
        "Prices will rise this year, according to the central bank.",
        "The company claimed it had paid every supplier.",
        "The minister denied the report.",
        "Police warned residents to stay indoors.",
        "Critics argue that the money was wasted.",
    ],
)
def test_english_reporting_verbs_make_claims(text):
    assert claims_of(text, "en") == [text]


def test_reporting_roots_are_inflected():
    assert {"mengatakan", "dikatakannya"} <= inflect("kata")
    assert {"menuturkan", "dituturkannya"} <= inflect("tutur")
    assert {"memaparkan", "menyampaikan", "disampaikannya"} <= inflect("papar") | inflect("sampai")
    assert {"menerangkan", "menuding", "memprediksi", "menganggap", "memberitahu", "diakuinya"} <= (
        inflect("terang")
        | inflect("tuding")
        | inflect("prediksi")
        | inflect("anggap")
        | inflect("beritahu")
        | inflect("aku")
    )


# --- sentences ------------------------------------------------------------------------------------


def pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_a_stop_after_a_bracket_ends_the_sentence_but_not_after_an_initial():
    text = "Konser digelar Sabtu ( 9/1/14 ) . Anda bisa membeli tiket di loket ."
    assert pieces(text) == ["Konser digelar Sabtu ( 9/1/14 ) .", "Anda bisa membeli tiket di loket ."]
    text = "Michael C. Tanadhi hadir. Dr. Helen Park juga."
    assert pieces(text) == ["Michael C. Tanadhi hadir.", "Dr. Helen Park juga."]


def test_a_closing_quote_after_a_space_stays_with_its_sentence():
    text = '" Stok aman sampai akhir bulan . " Pemerintah menggelar operasi pasar .'
    assert pieces(text) == ['" Stok aman sampai akhir bulan . "', "Pemerintah menggelar operasi pasar ."]


def test_a_quote_of_several_sentences_with_its_attribution_is_one_claim(rules):
    text = '" Tempatnya bagus sih . Tapi parkirnya susah , " ujar Ajeng .'
    assert claims_of(text) == [text]
    assert claimant_of(rules, text) == "Ajeng"
    text = '"It rose fast. Nobody expected it. We lost everything," said Budi Santoso.'
    assert claims_of(text, "en") == [text]


def test_html_escaped_quotes_are_quotes(rules):
    text = "&ldquo;Tempatnya bagus sih. Tapi parkirnya susah,&rdquo; ujar Ajeng."
    assert claims_of(text) == [text]
    assert claimant_of(rules, text) == "Ajeng"
    assert claims_of("Grup bernama &quot;Tea Set&quot; tampil di Bandung.") == []


def test_narration_then_a_quote_the_attributed_statement_is_the_claim():
    text = 'Warga mengungsi ke balai desa. "Air naik cepat sekali," kata Budi.'
    assert claims_of(text) == ['"Air naik cepat sekali," kata Budi.']


def test_a_stray_quote_mark_does_not_swallow_the_next_sentences():
    text = (
        '" Iran juga memperkenalkan dua pesawat tak berawak . Namun dia belum memastikan hal itu . '
        'Sedangkan di Jombang , KPK menggeledah rumah . " Evaluasi kinerja partai ada , " kata Akbar .'
    )
    assert claims_of(text) == ['" Evaluasi kinerja partai ada , " kata Akbar .']


# --- claimants ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "claimant"),
    [
        ('"Harga naik," kata juru bicara Kemendag, Budi Santoso.', "id", "Budi Santoso"),
        ('"Harga naik," ujar Menteri Perdagangan Budi Santoso.', "id", "Budi Santoso"),
        ("Menurut Budi, harga cabai naik karena cuaca.", "id", "Budi"),
        (
            "Sekretaris Jenderal PAB, Dedi Mulyana, mengatakan bahwa rapat digelar besok.",
            "id",
            "Dedi Mulyana",
        ),
        (
            "Juru bicara Kementerian Luar Negeri, Teuku Faizasyah, menerangkan bahwa 12 WNI dievakuasi.",
            "id",
            "Teuku Faizasyah",
        ),
        ('"Harga naik," kata ketua KPAI, Asrorun Niam.', "id", "Asrorun Niam"),
        ("menurut ketua kpai , asrorun niam , konten itu terlarang .", "id", "asrorun niam"),
        (
            "sementara kepala kejari medan , bambang riawan pribadi mengatakan , berkas lengkap .",
            "id",
            "bambang riawan pribadi",
        ),
        ('"The bridge will reopen," said Kate Ellis, the council\'s transport chief.', "en", "Kate Ellis"),
        ('"The water rose fast," Budi Santoso, a resident of Penjaringan, told AFP.', "en", "Budi Santoso"),
        ("Measles cases have doubled, the health ministry said on Friday.", "en", "the health ministry"),
    ],
)
def test_named_sources_are_the_claimants(rules, text, lang, claimant):
    assert claimant_of(rules, text, lang) == claimant


def test_a_new_actor_is_suggested_for_a_source_the_entity_rules_missed(rules):
    # Given lower-case text, where the entity rules find no names
    text = '" harga cabai naik terus , " kata pedagang itu .'
    found = rules.suggest([text], ["id"])[0]
    # Then the claim's claimant is an ACTOR suggestion made for it
    claim = next(s for s in found if s.label == "CLAIM")
    start, end = claim.attrs["claimant"]
    assert text[start:end] == "pedagang itu"
    assert Suggestion(start, end, "ACTOR").key in {s.key for s in found}


def test_pronoun_sources_take_the_nearest_clear_actor(rules):
    text = 'Menteri Keuangan Sri Mulyani tiba di Jakarta. "Kami optimistis," katanya.'
    assert claimant_of(rules, text) == "Sri Mulyani"
    text = '"Harga naik," kata Budi. "Stok juga menipis," tambahnya.'
    found = suggest_claims(text, "id")
    assert [text[c.start : c.end] for c, _ in found] == [
        '"Harga naik," kata Budi.',
        '"Stok juga menipis," tambahnya.',
    ]
    assert [text[a.start : a.end] for _, a in found] == ["Budi", "Budi"]
    text = "Budi Santoso, a resident, told AFP the water rose fast. He added that the family lost their motorbike."
    assert [text[a.start : a.end] for _, a in suggest_claims(text, "en")] == ["Budi Santoso", "Budi Santoso"]


def test_a_pronoun_without_a_clear_actor_has_no_claimant(rules):
    text = 'Budi Santoso dan Andi Wijaya tiba di Jakarta. "Kami optimistis," katanya.'
    assert claimant_of(rules, text) is None
    assert claimant_of(rules, '"Kami optimistis," katanya.') is None


def test_suggest_claims_pairs_each_claim_with_its_claimant():
    text = 'Hujan turun. "Stok aman," kata Suharini Eliawati.'
    [(claim, claimant)] = suggest_claims(text, "id")
    assert claim.label == "CLAIM" and text[claim.start : claim.end] == '"Stok aman," kata Suharini Eliawati.'
    assert claimant is not None and claimant.label == "ACTOR"
    assert claim.attrs["claimant"] == [claimant.start, claimant.end]


def test_merge_keeps_the_claimant_link():
    claim = Suggestion(0, 30, "CLAIM", 0.8, "rules", {"claimant": [20, 29]})
    actor = Suggestion(20, 29, "ACTOR", 0.6, "rules")
    merged = merge([[claim, actor]])
    assert next(s for s in merged if s.label == "CLAIM").attrs == {"claimant": [20, 29]}
    assert Suggestion(1, 2, "ACTOR").attrs == {}


# --- any text -----------------------------------------------------------------------------------

_PIECES = [
    "Budi",
    "kata",
    "ujarnya",
    "said",
    "menurut",
    "Menteri Sri Mulyani",
    "harga naik",
    '"',
    "“",
    "”",
    "&ldquo;",
    "&rdquo;",
    ",",
    ".",
    " . ",
    "?",
    "\n",
    "(9/1/14)",
    "Dr.",
    "C.",
    "𝔘 astral",
    "  ",
    "bernama",
    "mengatakan bahwa",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map(" ".join), st.sampled_from(["id", "en", "xx"]))
def test_any_text_gives_claims_inside_it_in_order_without_overlaps(text, lang):
    found = find_claims(text, lang)
    last_end = 0
    for f in found:
        assert last_end <= f.start < f.end <= len(text)
        assert not text[f.start].isspace() and not text[f.end - 1].isspace()
        if f.claimant is not None:
            assert 0 <= f.claimant[0] < f.claimant[1] <= len(text)
        last_end = f.end
    spans = sentence_spans(text)
    assert all(a < b for a, b in spans) and all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1))


def test_a_quote_ending_in_a_period_then_a_capitalised_sentence_are_two_claims(rules):
    text = '"Nobody wants to queue for bread." Ellis said the repairs had cost 14 million pounds.'
    assert claims_of(text, "en") == [
        '"Nobody wants to queue for bread."',
        "Ellis said the repairs had cost 14 million pounds.",
    ]


def test_the_subject_of_a_coordinated_reporting_verb(rules):
    text = "The volcanology centre kept the alert at level three and told villagers to stay away."
    assert claimant_of(rules, text, "en") == "The volcanology centre"
    text = "hamas menahan sejumlah orang dan memperingatkan mereka akan dihukum ."
    assert claimant_of(rules, text, "id") == "hamas"


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        (
            "menurut data badan pusat statistik (bps) mencatat impor naik .",
            "data badan pusat statistik (bps)",
        ),
        ("Budi Santoso, yang juga ketua RT, mengatakan warga sudah mengungsi.", "Budi Santoso"),
        ("namun sikap golkar tampak melunak dengan menyatakan setuju .", "sikap golkar tampak"),
        ('" kami siap , " kata direktur utama pt pln .', "direktur utama pt pln"),
    ],
)
def test_a_source_phrase_stops_at_its_verb_or_relative_clause(rules, text, claimant):
    assert claimant_of(rules, text) == claimant


@pytest.mark.parametrize(
    ("text", "lang", "claimant"),
    [
        ("Rusia menuding Ukraina menyerang kilang minyak.", "id", "Rusia"),
        ('"The market had priced in a miracle," one fund manager in London said.', "en", "one fund manager"),
        ("Belousov, dalam sebuah pernyataan, menyatakan terima kasih atas kerja sama itu.", "id", "Belousov"),
        ('"Kim mengadakan pertemuan yang bersahabat," demikian laporan KCNA.', "id", "KCNA"),
        ("Warga sempat lari ke arah barat dan Ki Ageng menceritakan kejadian itu.", "id", "Ki Ageng"),
    ],
)
def test_claimants_keep_the_places_suggested_and_find_the_clause_subject(rules, text, lang, claimant):
    places_before = {
        (s.start, s.end)
        for s in RulesSuggester(claims=False).suggest([text], [lang])[0]
        if s.label == "LOCATION"
    }
    assert claimant_of(rules, text, lang) == claimant
    places_after = {(s.start, s.end) for s in rules.suggest([text], [lang])[0] if s.label == "LOCATION"}
    assert places_after == places_before


def test_a_dateline_and_state_abbreviations(rules):
    text = "JAKARTA, KOMPAS.com - Menteri Perdagangan Zulkifli Hasan memastikan stok beras aman."
    assert claimant_of(rules, text) == "Zulkifli Hasan"
    text = "Sen. John Thune, R-S.D., told reporters he expected a tougher fight."
    assert claims_of(text, "en") == [text]


def test_a_quote_over_two_paragraphs_is_claimed_in_both_with_one_speaker():
    text = 'He spoke for an hour.\n"We will rebuild. It will take years.\n"But we will do it," said Mayor Ana Silva.'
    found = suggest_claims(text, "en")
    assert [text[c.start : c.end] for c, _ in found] == [
        '"We will rebuild. It will take years.',
        '"But we will do it," said Mayor Ana Silva.',
    ]
    assert [text[a.start : a.end] for _, a in found] == ["Ana Silva", "Ana Silva"]


def test_a_sentence_typed_without_a_space_after_its_stop():
    text = '"Stok aman," ujarnya.Ia menambahkan harga stabil di kompas.com dan 1.985.000 toko.'
    assert pieces(text) == [
        '"Stok aman," ujarnya.',
        "Ia menambahkan harga stabil di kompas.com dan 1.985.000 toko.",
    ]


def test_a_title_ending_a_sentence_is_not_attributed_by_the_next_one():
    text = 'Grup itu pernah bernama " The Abdabs " dan " The Meggadeaths " . Cosgrove mengatakan hal itu.'
    assert claims_of(text) == ["Cosgrove mengatakan hal itu."]
