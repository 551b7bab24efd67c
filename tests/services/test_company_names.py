"""Company names as duplicate search compares them: legal forms, cities and punctuation do
not tell two companies apart; the rest does."""

from __future__ import annotations

import pytest

from funneldesk.services.customers.names import blocking_keys, core, similarity


@pytest.mark.parametrize(("name", "kept"), [
    ("北京星辰科技有限公司", "星辰科技"),
    ("星辰科技（北京）有限公司", "星辰科技"),
    ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
    ("华为技术股份有限公司", "华为技术"),
    ("Xingchen Tech Co., Ltd.", "xingchen tech"),
    ("XINGCHEN TECH INC", "xingchen tech"),
    ("The Acme Group Holdings, LLC", "acme"),
    ("ＡＢＣ　Ｃｏ．", "abc"),  # full-width, as typed with a Chinese input method
    ("Atlanta Summit Electronics Inc.", "summit electronics"),
    ("New York Harbor Foods", "harbor foods"),
    ("Boston Consulting Group", "boston consulting"),  # the city is most of the name
])
def test_the_core_drops_the_legal_form_the_city_and_punctuation(name: str, kept: str) -> None:
    assert core(name) == kept


@pytest.mark.parametrize(("a", "b"), [
    ("北京星辰科技有限公司", "星辰科技（北京）有限公司"),
    ("北京星辰科技有限公司", "星辰科技股份有限公司"),
    ("Xingchen Tech Co., Ltd.", "XINGCHEN TECH INC"),
    ("Tech Xingchen Ltd", "Xingchen Tech Limited"),
    ("Acme Corporation", "ACME Corp."),
    ("Summit Electronics, Inc", "Atlanta Summit Electronics Inc."),  # the sample's pair
    # a Latin city and the Chinese one are one place
    ("Beijing Xingchen Technology Co., Ltd.",
     "Beijing Xingchen Technology Co., Ltd.（北京星辰科技有限公司）"),
    ("Shanghai Hengtong Logistics", "Shanghai Hengtong Logistics (上海)"),
    ("Beijing Xingchen Tech", "Xingchen Tech (北京)"),
])
def test_the_same_company_written_two_ways_scores_high(a: str, b: str) -> None:
    assert similarity(a, b) >= 90
    assert blocking_keys(a) & blocking_keys(b)  # found together, without scoring all pairs


@pytest.mark.parametrize(("a", "b"), [
    ("北京星辰科技有限公司", "北京月光物流有限公司"),
    ("上海恒通物流有限公司", "杭州蓝海建材有限公司"),
    ("Acme Corporation", "Apex Logistics Inc"),
    ("有限公司", "星辰科技有限公司"),  # a bare legal form matches nothing
    ("Atlanta Summit Electronics", "Denver Summit Electronics"),  # two branches
    ("Xingchen Technology (Shanghai) Co., Ltd.", "Xingchen Technology (Beijing) Co., Ltd."),
    ("Xingchen Technology (Shanghai) Co., Ltd.", "北京星辰 Xingchen Technology"),
])
def test_different_companies_score_low(a: str, b: str) -> None:
    assert similarity(a, b) < 60


def test_a_name_is_filed_under_few_keys() -> None:
    assert blocking_keys("北京星辰科技有限公司") == {"星辰", "辰科", "科技"}
    assert blocking_keys("Xingchen Tech Co., Ltd.") == {"xingchen", "tech"}
    assert blocking_keys("A&B Co.") == set()  # too short to file: compared by exact keys only
