"""Placing enterprises on chain links: industry code (prefix match) + product words (jieba with a dictionary of
the catalogue's keywords, BM25 of the words against each link's keywords via bm25s), with a score and the
reasons. Precision over coverage: a link is given only at or above `min_score` (catalogue parameters), so an
enterprise that fits no link gets none.

Score of an enterprise on a link = code points (by the length of the longest matching code prefix:
`code_points`) + word points (`word_points` × min(1, BM25 ÷ (`bm25_full` × R))), where R is the BM25 of one
word found in one link only, in a link of average length (ln(1 + (N − 0.5) ÷ 1.5) ÷ (1 + k1) for N links), so
the threshold means the same whatever the size of the catalogue. Of the links at or above
`min_score`, those at or above `relative_cut` × the enterprise's best score are kept, best first, at most
`max_links`.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import bm25s
import jieba
import numpy as np

from .catalogue import Catalogue, Link

jieba.setLogLevel(60)  # no "Building prefix dict" chatter on stderr


@dataclass(frozen=True)
class Match:
    chain: str
    link: str
    score: float
    why: tuple[str, ...]
    code_prefix: str | None = None
    words: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"chain": self.chain, "link": self.link, "score": self.score, "why": list(self.why)}


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str = ""
    industry_code: str = ""
    main_products: str = ""


def _quoted(words: Iterable[str]) -> str:
    return "".join(f"“{w}”" for w in words)


class Assigner:
    """Built once per catalogue (tokeniser, BM25 index, code-prefix index), then `assign` per enterprise."""

    def __init__(self, catalogue: Catalogue, *, cached: bool = True):
        self.catalogue = catalogue
        p = catalogue.params["assignment"]
        self.code_points = {int(k): float(v) for k, v in p["code_points"].items()}
        self.word_points = float(p["word_points"])
        self.bm25_full = float(p["bm25_full"])
        self.min_score = float(p["min_score"])
        self.relative_cut = float(p["relative_cut"])
        self.max_links = int(p["max_links"])
        self.stopwords = frozenset(p.get("stopwords") or ())
        self.words_need_code = tuple(str(c).upper() for c in p.get("words_need_code") or ())
        self.links: list[Link] = list(catalogue.links.values())
        self.index_of = {link.code: i for i, link in enumerate(self.links)}
        self.by_prefix: dict[str, list[tuple[int, str]]] = {}
        for i, link in enumerate(self.links):
            for prefix in link.industry_codes:
                self.by_prefix.setdefault(prefix, []).append((i, prefix))
        self.vocab = frozenset(w for link in self.links for w in link.keywords) - self.stopwords
        self.keyword_sets = [frozenset(link.keywords) for link in self.links]
        self.tokenizer = jieba.Tokenizer()
        words = "".join(f"{w} 1000\n" for w in sorted(self.vocab, key=lambda w: (-len(w), w)))
        self.tokenizer.FREQ, self.tokenizer.total = self.tokenizer.gen_pfdict(io.BytesIO(words.encode("utf-8")))
        self.tokenizer.initialized = True
        self.any_word = re.compile("|".join(re.escape(w) for w in sorted(self.vocab, key=len, reverse=True)))
        self.bm25 = bm25s.BM25()  # Lucene variant: idf × tf ÷ (tf + k1 × (1 − b + b × length ÷ average length))
        self.bm25_ref = math.log(1 + (len(self.links) - 0.5) / 1.5) / (1 + self.bm25.k1)
        self.bm25.index([list(link.keywords) for link in self.links], show_progress=False)
        self.cached = cached
        self.tokens: Callable[[str], tuple[str, ...]] = lru_cache(maxsize=200_000)(self._tokens) if cached else self._tokens
        self.scores: Callable[[tuple[str, ...]], Any] = lru_cache(maxsize=50_000)(self._scores) if cached else self._scores

    # ---- the two text steps -----------------------------------------------------------------------------------

    def _tokens(self, text: str) -> tuple[str, ...]:
        """The catalogue words in `text`, as jieba segments it with the domain dictionary."""
        if not text or (self.cached and not self.any_word.search(text)):
            return ()
        return tuple(t for t in self.tokenizer.lcut(text, HMM=False) if t in self.vocab)

    def _scores(self, query: tuple[str, ...]) -> Any:
        return self.bm25.get_scores(list(query)) if query else np.zeros(len(self.links))

    # ---- assignment -------------------------------------------------------------------------------------------

    def _code_matches(self, industry_code: str) -> dict[int, str]:
        """{link index: the longest of its prefixes that `industry_code` starts with}."""
        found: dict[int, str] = {}
        code = (industry_code or "").strip().upper()
        for n in range(min(len(code), 5), 0, -1):
            for i, prefix in self.by_prefix.get(code[:n], ()):
                found.setdefault(i, prefix)
        return found

    def _match(self, i: int, industry_code: str, prefix: str | None, bm25: float,
               name_words: set[str], product_words: set[str]) -> Match:
        link = self.links[i]
        why: list[str] = []
        code_pts = self.code_points.get(len(prefix), 0.0) if prefix else 0.0
        if prefix:
            why.append(f"行业代码 {industry_code} 属本环节代码 {prefix}（+{code_pts:.2f}）")
        kw = self.keyword_sets[i]
        in_products = sorted(product_words & kw)
        in_name = sorted((name_words & kw) - set(in_products))
        words_count = bool(in_products or in_name) and (prefix is not None or not industry_code.upper().startswith(
            self.words_need_code or ("\0",)))
        word_pts = self.word_points * min(1.0, bm25 / (self.bm25_full * self.bm25_ref)) if words_count else 0.0
        if in_products or in_name:
            parts = ([f"主营产品含{_quoted(in_products)}"] if in_products else []) + (
                [f"企业名称含{_quoted(in_name)}"] if in_name else [])
            why.append(f"{'，'.join(parts)}，为本环节产品词（BM25 {bm25:.2f}，+{word_pts:.2f}）" if words_count else
                       f"{'，'.join(parts)}，但批发零售企业仅凭产品词不归链（+0.00）")
        return Match(link.chain, link.code, round(code_pts + word_pts, 3), tuple(why), prefix,
                     tuple(in_products + in_name))

    def candidates(self, e: Enterprise) -> list[Match]:
        """Every link the enterprise touches (code or word), scored, best first, before the thresholds."""
        name_tokens = self.tokens(e.name or "")
        product_tokens = self.tokens(e.main_products or "")
        query = tuple(sorted(name_tokens + product_tokens))
        scores = self.scores(query)
        codes = self._code_matches(e.industry_code)
        touched = set(codes) | {int(i) for i in np.flatnonzero(scores)}
        names, products = set(name_tokens), set(product_tokens)
        out = [self._match(i, e.industry_code, codes.get(i), float(scores[i]), names, products) for i in touched]
        out.sort(key=lambda m: (-m.score, self.index_of[m.link]))
        return out

    def assign(self, e: Enterprise) -> list[Match]:
        passed = [m for m in self.candidates(e) if m.score >= self.min_score]
        if not passed:
            return []
        cut = self.relative_cut * passed[0].score
        return [m for m in passed if m.score >= cut][: self.max_links]

    def score_link(self, e: Enterprise, link_code: str) -> Match | None:
        """The enterprise's fit to one link (for target companies): its match when `assign` would give it that
        link (at or above `min_score` and within `relative_cut` of its best), else None."""
        return next((m for m in self.assign(e) if m.link == link_code), None)

    def rule_text(self) -> str:
        pts = "、".join(f"{n}位{v:g}" for n, v in sorted(self.code_points.items(), reverse=True))
        return (f"得分=行业代码前缀分（按前缀位数：{pts}）+产品词分（{self.word_points:g}×min(1, BM25÷({self.bm25_full:g}×{self.bm25_ref:.2f}))，"
                f"{self.bm25_ref:.2f} 为只见于一个环节的一个词的 BM25）；"
                f"不低于 {self.min_score:g} 分且不低于本企业最高分的 {self.relative_cut:.0%} 才归入，每家最多 {self.max_links} 个环节"
                + (f"；行业代码为 {'、'.join(self.words_need_code)} 的企业仅凭产品词不归链" if self.words_need_code else ""))


def assign_all(assigner: Assigner, enterprises: Iterable[Enterprise],
               progress: Callable[[int], object] | None = None) -> Iterator[tuple[Enterprise, list[Match]]]:
    for n, e in enumerate(enterprises, 1):
        yield e, assigner.assign(e)
        if progress and n % 1000 == 0:
            progress(1000)


def report(catalogue: Catalogue, results: Iterable[tuple[Enterprise, list[Match]]]) -> dict[str, Any]:
    """The JSON of `jingkai chains assign`."""
    return {"catalogue": catalogue.summary(),
            "results": [{"uscc": e.uscc, "links": [m.as_dict() for m in matches]} for e, matches in results]}
