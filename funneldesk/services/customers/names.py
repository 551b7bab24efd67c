"""Company names as duplicate search compares them: the same company written as
“北京星辰科技有限公司”, “星辰科技（北京）有限公司” or “Xingchen Tech Co., Ltd.” vs
“XINGCHEN TECH INC” differs mostly in its legal form, its city and its punctuation.

``core`` strips those; ``similarity`` scores two names from 0 to 100 with rapidfuzz on
their cores; ``blocking_keys`` gives the few keys under which a name is filed, so that a
search over 100,000 companies scores only the names that share a key, never every pair.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# legal forms, the longest first, so that 股份有限公司 goes whole and not as 有限公司
_CJK_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "分公司",
              "总公司", "公司", "集团")
_FORM_ENDS = frozenset(form[-1] for form in _CJK_FORMS)
_LATIN_FORMS = {"co", "company", "ltd", "limited", "inc", "incorporated", "corp",
                "corporation", "llc", "plc", "gmbh", "ag", "sa", "srl", "bv", "group",
                "holdings", "the"}
# a city or province in front, or in brackets: “北京”, “（北京）”
_PLACES = ("北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "成都",
           "武汉", "西安", "长沙", "青岛", "厦门", "宁波", "郑州", "济南", "合肥", "福州",
           "沈阳", "大连", "昆明", "南宁", "哈尔滨", "长春", "石家庄", "太原", "南昌", "贵阳",
           "香港", "澳门", "台湾", "中国")
_LEADING_PLACE = re.compile("(?:" + "|".join(_PLACES) + ")[市省]?")
# the same in Latin letters: a city a rep may put in front (“Atlanta Summit Electronics”
# for “Summit Electronics, Inc”); cities only, since a state or a country is often the
# name itself (Texas Instruments)
_LATIN_PLACES = frozenset("""
new york|los angeles|chicago|houston|phoenix|philadelphia|san antonio|san diego|dallas|
san jose|austin|jacksonville|columbus|charlotte|san francisco|indianapolis|seattle|denver|
boston|nashville|detroit|portland|las vegas|memphis|louisville|baltimore|milwaukee|
albuquerque|tucson|sacramento|kansas city|atlanta|miami|omaha|raleigh|minneapolis|tampa|
orlando|cleveland|cincinnati|pittsburgh|st louis|saint louis|salt lake city|richmond|
buffalo|toronto|montreal|vancouver|calgary|ottawa|london|manchester|birmingham|glasgow|
edinburgh|dublin|sydney|melbourne|brisbane|perth|auckland|singapore|hong kong|macau|
taipei|beijing|shanghai|tianjin|chongqing|guangzhou|shenzhen|hangzhou|nanjing|suzhou|
chengdu|wuhan|xian|xi an|changsha|qingdao|xiamen|ningbo|zhengzhou|jinan|hefei|fuzhou|
shenyang|dalian|kunming|tokyo|osaka|seoul|paris|berlin|munich|frankfurt|hamburg|
amsterdam|rotterdam|zurich|geneva|madrid|barcelona|milan|rome|vienna|stockholm|oslo|
copenhagen|helsinki|brussels|dubai|mumbai|delhi|new delhi|bangalore
""".replace("\n", "").split("|"))
_LONGEST_PLACE = max(len(p.split()) for p in _LATIN_PLACES)
# the Latin spelling of a place _PLACES names, so that “Beijing Xingchen Tech” and
# “星辰科技（北京）” give the same place, not two branches
_IN_CHINESE = {
    "beijing": "北京", "shanghai": "上海", "tianjin": "天津", "chongqing": "重庆",
    "guangzhou": "广州", "shenzhen": "深圳", "hangzhou": "杭州", "nanjing": "南京",
    "suzhou": "苏州", "chengdu": "成都", "wuhan": "武汉", "xian": "西安", "xi an": "西安",
    "changsha": "长沙", "qingdao": "青岛", "xiamen": "厦门", "ningbo": "宁波",
    "zhengzhou": "郑州", "jinan": "济南", "hefei": "合肥", "fuzhou": "福州",
    "shenyang": "沈阳", "dalian": "大连", "kunming": "昆明", "hong kong": "香港",
    "macau": "澳门",
}
_BRACKETED = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# ideographs that NFKC and case folding leave as they are (not the compatibility ones)
_PLAIN_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORDS = re.compile(r"[^\W_]+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def core(name: str) -> str:
    """The part of a company name that tells it apart: NFKC, case folded, without
    brackets, a leading place, the legal form and punctuation."""
    if _PLAIN_CJK.fullmatch(name):  # most names: nothing to normalise, fold or split
        return _unplaced(_unformed(name))
    text = _BRACKETED.sub(" ", unicodedata.normalize("NFKC", name).casefold())
    # Chinese is written without spaces: 张 伟 is 张伟, 北京 星辰 is 北京星辰
    text = _unplaced(_unformed(_CJK_GAP.sub("", text).strip()))
    words = [w for w in _WORDS.findall(text) if w not in _LATIN_FORMS]
    return " ".join(words[_latin_place(words):])


def _unformed(text: str) -> str:
    """``text`` without a Chinese legal form at its end."""
    if text[-1:] not in _FORM_ENDS:  # a person's name, most often
        return text
    for form in _CJK_FORMS:
        if text.endswith(form) and len(text) > len(form):
            return text[:-len(form)]
    return text


def _unplaced(text: str) -> str:
    """``text`` without the city or province in front of it (when more follows)."""
    place = _LEADING_PLACE.match(text)
    if place and len(text) > place.end() + 1:
        return text[place.end():]
    return text


def _latin_place(words: list[str]) -> int:
    """How many of the first ``words`` name a city, when at least two words follow it
    (“Boston Consulting” keeps its city: it is most of the name); 0 for none."""
    for n in range(min(_LONGEST_PLACE, len(words) - 2), 0, -1):
        if " ".join(words[:n]) in _LATIN_PLACES:
            return n
    return 0


def place(name: str) -> str:
    """The city or province a company name gives, in front or in brackets (“北京”,
    “（上海）”, “Beijing” as 北京, “Atlanta”), or "" when it names none."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    found = _LEADING_PLACE.match(text)
    if found is not None:
        return found.group().rstrip("市省")
    words = [w for w in _WORDS.findall(_BRACKETED.sub(" ", text)) if w not in _LATIN_FORMS]
    held = _latin_place(words)
    if held:
        latin = " ".join(words[:held])
        return _IN_CHINESE.get(latin, latin)
    bracketed = _BRACKETED.search(text)
    if bracketed is None:
        return ""
    inside = bracketed.group()[1:-1].strip()
    found = _LEADING_PLACE.match(inside)
    if found is not None:
        return found.group().rstrip("市省")
    latin = " ".join(_WORDS.findall(inside))  # “(Shanghai)”
    return _IN_CHINESE.get(latin, latin) if latin in _LATIN_PLACES else ""


def other_places(a: str, b: str) -> bool:
    """Whether two names give different places: 北京星辰 and 上海星辰 are two branches,
    two customers, however alike the rest."""
    return bool(a and b and a != b)


def similarity(a: str, b: str) -> float:
    """How alike two company names are, 0 to 100, on their cores; word order does not
    count (Xingchen Tech and Tech Xingchen). Names that give different places score 0."""
    if other_places(place(a), place(b)):
        return 0.0
    return core_similarity(core(a), core(b))


def core_similarity(first: str, second: str, cutoff: float = 0) -> float:
    """``similarity`` of two cores already computed (a search over many names computes
    each core once); below ``cutoff`` it is 0, which rapidfuzz finds sooner."""
    if not first or not second:
        return 0.0
    return float(fuzz.token_sort_ratio(first, second, score_cutoff=cutoff))


def blocking_keys(name: str) -> set[str]:
    """The keys a name is filed under: each pair of neighbouring CJK characters of its core
    and each Latin word of three letters or more. Two names that could score high share
    at least one."""
    return core_keys(core(name))


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def core_keys(text: str) -> set[str]:
    """``blocking_keys`` of a core already computed."""
    keys: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
        keys |= {run[i:i + 2] for i in range(len(run) - 1)} or {run}
    keys |= {w for w in text.split() if len(w) >= 3 and not _CJK.search(w)}
    return keys
