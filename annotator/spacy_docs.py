"""Sorot Documents <-> spaCy Docs, losslessly.

``to_doc`` tokenises the article (a given ``Language``'s tokenizer, else a cached blank
tokenizer for the article's language, falling back to ``xx``), puts the non-overlapping
entity-kind spans in ``doc.ents`` (longest first), every span in ``doc.spans["sc"]`` — except
rejected ones, which go to ``doc.spans["sc_rejected"]`` so that training never learns them —
and stores everything Sorot knows in ``doc.user_data["sorot"]`` (a JSON string, since
msgpack turns lists into tuples). A span whose ends fall inside tokens is reported and
placed in the span groups expanded to whole tokens; its exact offsets live on in the user
data, so ``from_doc`` still gives it back as it was. Nothing is dropped silently.

``from_doc`` reads ``doc.ents`` and every span group (deduplicated) and, where the Sorot user
data is there, restores the exact spans, their fields, the relations and the article.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans
from spacy.vocab import Vocab

from annotator.formats._common import (
    ARTICLE_FIELDS_ALL,
    check_extras,
    crlf_mapper,
    is_entity_label,
    span_extras,
)
from annotator.model import Article, Document, Relation, Span

log = logging.getLogger(__name__)

USER_DATA_KEY = "sorot"
SC = "sc"
SC_REJECTED = "sc_rejected"
SC_SUGGESTED = "sc_suggested"
#: spaCy's ``ner`` ``incorrect_spans_key`` as Sorot's training and Prodigy use it
INCORRECT = "incorrect_spans"
#: What a Doc says about the tokens outside its entities (``entity_knowledge``).
COMPLETE, PARTIAL, UNKNOWN = "complete", "partial", "unknown"
#: Article statuses that say an analyst finished the article.
FINISHED = ("done", "reviewed")

_BLANK: dict[str, Language] = {}
_BLANK_LOCK = threading.Lock()
from annotator.suggest.tokens import tokenizer_code  # noqa: E402 - one rule, no spaCy import there


def blank(lang: str | None) -> Language:
    """The one cached ``spacy.blank`` pipeline per language (``xx`` when spaCy does not know it).

    Building one takes seconds for some languages, so formats, suggesters, snapping and
    training all share this cache. Tokenizers keep no state between calls; the cache is
    filled under a lock so worker threads can ask at the same time.
    """
    code = tokenizer_code(lang)
    nlp = _BLANK.get(code)
    if nlp is not None:
        return nlp
    with _BLANK_LOCK:
        nlp = _BLANK.get(code)
        if nlp is None:
            try:
                nlp = spacy.blank(code)
            except Exception:  # an unknown language code: spaCy raises ImportError or its own errors
                log.info("no spaCy tokenizer for %r; using the multi-language one", code)
                nlp = _BLANK.get("xx") or spacy.blank("xx")
                _BLANK["xx"] = nlp
            _BLANK[code] = nlp
    return nlp


def entity_knowledge(document: Document, entity_labels: set[str] | None = None) -> str:
    """What an article's spans say about the tokens outside them.

    ``complete``: they are not entities ("O") — the article is finished (done, reviewed),
    the file said it was annotated (``meta["annotated"]``: a CoNLL file, an accepted manual
    Prodigy task), or an analyst accepted an entity in it that was not a binary answer.
    ``partial``: only binary answers (Prodigy's ner.teach) — the tokens they do not name
    are unknown. ``unknown``: nothing was decided (a new article without spans).
    """
    article = document.article
    if article.status in FINISHED or article.meta.get("annotated") is True:
        return COMPLETE
    binary = False
    for span in document.spans:
        if span.attrs.get("binary") is True:
            binary = binary or span.status != "suggested"
        elif span.status == "accepted" and is_entity_label(span.label, entity_labels):
            return COMPLETE
    return PARTIAL if binary else UNKNOWN


def guess_language(text: str) -> str:
    """The language of a text for choosing a tokenizer ("" when it cannot tell)."""
    from annotator.lang import detect_language

    return detect_language(text[:1000], default="")


def to_doc(
    vocab_or_nlp: Language | Vocab | str | None,
    document: Document,
    *,
    entity_labels: set[str] | None = None,
    tokenized: Doc | None = None,
) -> tuple[Doc, list[str]]:
    """A spaCy Doc for ``document`` and the list of problems met (never silent).

    ``vocab_or_nlp``: a Language (its tokenizer is used), or a language code / None / a
    Vocab (a cached blank tokenizer for the article's language is used). ``tokenized``: the
    article's text already tokenized that way (an export's token cache), used instead.
    """
    article = document.article
    text = article.text
    problems: list[str] = []
    if tokenized is not None:
        doc = tokenized
    elif isinstance(vocab_or_nlp, Language):
        doc = vocab_or_nlp.make_doc(text)
    else:
        lang = vocab_or_nlp if isinstance(vocab_or_nlp, str) else article.language
        if not lang:
            # an article stored before import detected languages: the multi-language
            # tokenizer would split it unlike an English or Indonesian pipeline does
            lang = guess_language(text)
        # spaCy 3.8 tokenises text with line breaks as fast as without, and the same way.
        doc = blank(lang).make_doc(text)
        if isinstance(vocab_or_nlp, Vocab) and vocab_or_nlp is not doc.vocab:
            doc = Doc(vocab_or_nlp, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    uid = article.uid
    placed: list[SpacySpan | None] = []
    records: list[list[Any]] = []
    sc: list[SpacySpan] = []
    rejected: list[SpacySpan] = []
    pending: list[SpacySpan] = []
    incorrect: list[SpacySpan] = []
    ents: list[SpacySpan] = []
    knowledge = entity_knowledge(document, entity_labels)
    char_span = doc.char_span
    for span in document.spans:
        s, e, label = span.start, span.end, span.label
        sp = char_span(s, e, label=label, alignment_mode="strict")
        record: list[Any] = [s, e, label, span_extras(span)]
        if sp is None:
            sp = char_span(s, e, label=label, alignment_mode="expand")
            where = f"article {uid}: span [{s}, {e}) {label} {text[s:e][:60]!r} does not align with tokens"
            if sp is None or len(sp) == 0:
                problems.append(f"{where}; kept in the Sorot user data only")
                sp = None
            else:
                problems.append(f"{where}; in doc.spans as [{sp.start_char}, {sp.end_char})")
                record.append([sp.start_char, sp.end_char])
        records.append(record)
        placed.append(sp)
        if sp is None:
            continue
        if span.status == "rejected":
            rejected.append(sp)
            if is_entity_label(label, entity_labels):
                incorrect.append(sp)
            continue
        if span.status == "suggested":
            pending.append(sp)  # nobody said yes yet: not an entity, not a span to learn
            continue
        sc.append(sp)
        if is_entity_label(label, entity_labels):
            ents.append(sp)
    kept: list[SpacySpan] = []
    if ents:
        kept = filter_spans(ents)
        if len(kept) != len(ents):
            chosen = {(x.start, x.end, x.label) for x in kept}
            for x in ents:
                if (x.start, x.end, x.label) not in chosen:
                    problems.append(
                        f"article {uid}: span [{x.start_char}, {x.end_char}) {x.label_} {x.text[:60]!r} overlaps a "
                        "longer entity; in doc.spans only, not in doc.ents"
                    )
    if knowledge == COMPLETE:
        # also when there is no entity: every token is then "O", what a negative example says
        doc.set_ents(kept, default="outside")
    elif kept:
        # a binary answer says only what it says: the other tokens stay unknown (missing)
        doc.set_ents(kept, default="missing")
    doc.spans[SC] = sc
    if rejected:
        doc.spans[SC_REJECTED] = rejected
    gold = {(x.start, x.end, x.label) for x in kept}
    incorrect = [x for x in incorrect if (x.start, x.end, x.label) not in gold]
    if incorrect:
        # what spaCy's ner learns "not this label here" from (incorrect_spans_key), as
        # Prodigy's data-to-spacy does for rejected binary answers
        doc.spans[INCORRECT] = incorrect
    if pending:
        doc.spans[SC_SUGGESTED] = pending
    data: dict[str, Any] = {
        "article": _article_dict(article),
        "spans": records,
    }
    if document.relations:
        data["relations"] = [[r.head, r.tail, r.label, r.annotator] for r in document.relations]
    doc.user_data[USER_DATA_KEY] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return doc, problems


def _article_dict(article: Article) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ARTICLE_FIELDS_ALL:
        value = getattr(article, key)
        if value not in ("", None, {}):
            out[key] = value
    return out


class DocDataError(ValueError):
    """The Sorot user data of a Doc is not what Sorot writes."""


def from_doc(doc: Doc) -> Document:
    """A Sorot Document from a spaCy Doc (Sorot's own user data restores it exactly)."""
    text = doc.text
    found: dict[tuple[int, int, str], str] = {}
    for ent in doc.ents:
        found.setdefault((ent.start_char, ent.end_char, ent.label_), "accepted")
    for name, group in doc.spans.items():
        status = {SC_REJECTED: "rejected", INCORRECT: "rejected", SC_SUGGESTED: "suggested"}.get(name, "accepted")
        for sp in group:
            if sp.label_:
                found.setdefault((sp.start_char, sp.end_char, sp.label_), status)
    fix = crlf_mapper(text)
    if fix is not None:  # the stored text has \n: offsets into the Doc's \r\n text move
        found = {(fix(s), fix(e), label): status for (s, e, label), status in found.items()}
    raw = doc.user_data.get(USER_DATA_KEY) if doc.user_data else None
    spans: list[Span] = []
    relations: list[Relation] = []
    fields: dict[str, Any] = {}
    if raw is not None:
        try:
            data = json.loads(raw) if isinstance(raw, str | bytes) else None
        except ValueError as exc:
            raise DocDataError(f"Sorot user data is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise DocDataError("Sorot user data is not an object")
        fields = data.get("article", {})
        records = data.get("spans", [])
        rels = data.get("relations", [])
        if not isinstance(fields, dict) or not isinstance(records, list) or not isinstance(rels, list):
            raise DocDataError("Sorot user data has the wrong shape")
        fields = {k: v for k, v in fields.items() if k in ARTICLE_FIELDS_ALL}
        seen: set[tuple[int, int, str]] = set()
        for rec in records:
            if not isinstance(rec, list) or len(rec) < 4 or not isinstance(rec[3], dict):
                raise DocDataError("a Sorot span record has the wrong shape")
            s, e, label, extras = rec[:4]
            try:
                kwargs = check_extras(extras, "doc", None)
            except Exception as exc:
                raise DocDataError(str(exc)) from exc
            if type(s) is not int or type(e) is not int or not isinstance(label, str):
                raise DocDataError("a Sorot span record has bad offsets or label")
            spans.append(Span(s, e, label, **kwargs))
            seen.add((s, e, label))
            if len(rec) > 4 and isinstance(rec[4], list) and len(rec[4]) == 2:
                seen.add((rec[4][0], rec[4][1], label))
        for rel in rels:
            if not isinstance(rel, list) or len(rel) != 4 or not all(type(x) is int for x in rel[:2]):
                raise DocDataError("a Sorot relation record has the wrong shape")
            relations.append(Relation(rel[0], rel[1], str(rel[2]), rel[3]))
        for key, status in found.items():
            if key not in seen:
                spans.append(Span(key[0], key[1], key[2], status=status))
    else:
        for (s, e, label), status in found.items():
            if e > s:
                spans.append(Span(s, e, label, status=status))
        spans.sort(key=lambda sp: (sp.start, -sp.end, sp.label))
        if doc.has_annotation("ENT_IOB") and all(t.ent_iob != 0 for t in doc):
            # every token has an entity tag, "O" included: a complete annotation
            fields["meta"] = {"annotated": True}
    if raw is None and "language" not in fields and doc.lang_ and doc.lang_ != "xx":
        # a foreign Doc: its vocabulary's language (Sorot's own say theirs, or none)
        fields["language"] = doc.lang_
    try:
        article = Article(text=text, **fields)
        document = Document(article, spans, relations)
        document.validate(f"doc {article.uid}")
    except (TypeError, ValueError) as exc:
        raise DocDataError(str(exc)) from exc
    return document
