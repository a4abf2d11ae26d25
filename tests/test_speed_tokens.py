"""Prodigy's exported ``tokens`` are spaCy's, the boundaries the desk snaps to."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import snap
from annotator.formats import jsonl
from annotator.formats.prodigy_tokens import tokens_json, tokens_json_many
from annotator.model import Article, Document, Span

SAMPLES = {
    "id": [
        "JAKARTA, KOMPAS.com - Presiden Joko Widodo (Jokowi) meresmikan jalan tol Trans-Jawa "
        "pada Rabu (20/12/2018). \"Kita harus bekerja lebih cepat,\" katanya.\n\nDi Surabaya...",
        "Menteri Sri Mulyani: ekonomi tumbuh 5,1% y-o-y; inflasi Rp 1.000/kg naik-turun 😀 dll.",
    ],
    "en": [
        "WASHINGTON (Reuters) - U.S. President Joe Biden's aides didn't say whether they'd meet "
        "on Jan. 5th; e-mail: press@wh.gov, cost $3.5bn.\r\n\tNew York's mayor said \"no\".",
        "It's 10:30 a.m. -- the U.K.'s PM (Rishi Sunak) can't/won't comment... ok?",
    ],
}

TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcdeXYZ019 .,;:-'\"()/\\$%&\n\r\t") + ["é", "ß", "😀", "\u00a0", "\u2019", "“", "”", "\u200b", "\x0b"]
    ),
    min_size=1,
    max_size=200,
)


def boundaries(lang: str, text: str) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t)) for t in snap.tokenize(text, lang)]


def stock_tokens(lang: str, text: str) -> list[dict]:
    """The stock path: every token read one by one from the Doc, as Prodigy's add_tokens does."""
    return [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i, "ws": bool(t.whitespace_)}
        for t in snap.tokenize(text, lang)
    ]


def test_exported_tokens_are_the_desks_in_indonesian_and_english(tmp_path):
    # Given articles in Indonesian and English, with spans
    docs = []
    for lang, texts in SAMPLES.items():
        for text in texts:
            article = Article(text=text, language=lang)
            start, end = snap.snap(text, 3, 12, lang)  # a span as the desk makes it
            docs.append(Document(article, [Span(start, end, "X")]))
    # When they are exported as Prodigy tasks
    out = tmp_path / "out.jsonl"
    jsonl.write_prodigy(docs, out)
    tasks = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # Then each task's tokens are the desk's tokens for the article's language
    assert len(tasks) == len(docs)
    for task, doc in zip(tasks, docs, strict=True):
        lang, text = doc.article.language, doc.article.text
        assert task["text"] == text
        assert [(t["start"], t["end"]) for t in task["tokens"]] == boundaries(lang, text)
        assert task["tokens"] == stock_tokens(lang, text)
        span = task["spans"][0]
        assert task["tokens"][span["token_start"]]["start"] == span["start"]
        assert task["tokens"][span["token_end"]]["end"] == span["end"]


def test_english_and_indonesian_tokenizers_differ_where_it_matters():
    # Given a text the two languages' tokenizers split differently ("didn't")
    text = "They didn't go."
    # Then the exported tokens follow the article's language
    en = [t["text"] for t in json.loads(tokens_json(text, "en")[0])]
    assert en == [t.text for t in snap.tokenize(text, "en")]
    assert "n't" in en
    # and an article without a language gets the desk's multi-language tokenizer
    xx = [(t["start"], t["end"]) for t in json.loads(tokens_json(text, None)[0])]
    assert xx == boundaries("xx", text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(st.sampled_from(["id", "en", "xx", ""]), TEXT), min_size=1, max_size=6))
def test_batched_tokens_equal_the_stock_tokens(texts):
    # Given texts in several languages, tokenised in one batch
    found = tokens_json_many([t for _, t in texts], [lang for lang, _ in texts])
    for (lang, text), (as_json, toks) in zip(texts, found, strict=True):
        # Then each is the JSON of the stock tokens, value for value, and its offsets the desk's
        expected = stock_tokens(lang or "xx", text)
        assert json.loads(as_json) == expected
        assert list(zip(toks.starts, toks.ends, strict=True)) == boundaries(lang or "xx", text)
        assert toks.words == [t["text"] for t in expected]
