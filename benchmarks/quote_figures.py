"""Quote PDF figures (issue 9), measured in a fresh process on a new database.

    python benchmarks/quote_figures.py FOLDER [--cold]

Prints one JSON object (milliseconds):
- quote_pdf_ms: ``QuoteService.pdf`` of a 3-option, 30-line Chinese quote (read from the
  database, laid out, rendered), in process and warm: the median of 5 after a first one;
- reportlab_baseline_ms: the same texts drawn with a bare ReportLab canvas in the same
  embedded font, one string after another on as many pages (median of 5, same process);
- quote_pdf_cold_ms: the first PDF of a new process, ReportLab's import and the font's
  loading included (this script run again with --cold).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEAT = 5
PRODUCTS = (("客户关系管理系统 企业版 许可（含移动端、微信小程序与企业微信接入，按年订阅）", "套"),
            ("数据迁移与历史客户档案清洗服务", "项"), ("实施服务", "人天"), ("现场培训", "场"),
            ("高级报表与审批流模块", "套"), ("接口开发（ERP/财务系统对接）", "人天"),
            ("年度运维支持（7×24 小时响应）", "年"), ("服务器（2 路 CPU，256 GB 内存）", "台"),
            ("备份一体机", "台"), ("项目管理服务", "人月"))


def make_quote(path: Path) -> int:
    """A database with a 3-option, 30-line Chinese quote; the quote's id."""
    from funneldesk.db import open_database
    from funneldesk.i18n import set_language
    from funneldesk.reports.quote_document import Letterhead
    from funneldesk.services import Services
    from funneldesk.services.pipeline.records import DealFields
    from funneldesk.services.quotes.records import (
        LineDraft,
        OptionDraft,
        ProductDraft,
        QuoteContent,
        QuoteHeader,
        QuoteTerms,
    )

    set_language("zh_CN")
    db = open_database(path)
    services = Services.for_database(db)
    me = services.users.current()
    services.letterhead.set_letterhead(Letterhead(
        "北京星辰科技有限公司", "北京市海淀区中关村大街 1 号 星辰大厦 8 层", "010-8888 6666",
        "sales@xingchen.cn", "91110108MA01ABCD2X", "招商银行北京中关村支行", "1109 0812 3456 789"),
        by=me)
    ids = [services.catalogue.add(ProductDraft(name, f"P-{i}", unit=unit, currency="CNY",
                                               list_price=Decimal(1000 * (i + 1)),
                                               floor_price=Decimal(800 * (i + 1)),
                                               cost=Decimal(300 * (i + 1))), by=me).id
           for i, (name, unit) in enumerate(PRODUCTS)]
    pipeline_id, _name = services.board.pipelines()[0]
    stage = services.pipelines.pipeline(pipeline_id).stages[0]
    deal = services.deals.create(pipeline_id=pipeline_id, stage_id=stage.id, fields=DealFields(
        "客户关系管理系统建设项目", None, None, Decimal(0), "CNY", None, me.id), by=me).card
    options = tuple(OptionDraft(name, tuple(
        LineDraft(product, Decimal(level * 2 + i + 1), Decimal(1130 * (i + 1)), Decimal(level * 5),
                  "含安装调试与验收" if i % 3 == 0 else "")
        for i, product in enumerate(ids))) for level, name in enumerate(("基础版", "标准版", "旗舰版")))
    terms = QuoteTerms(dt.date.today() + dt.timedelta(days=30),
                       "合同签订后 7 个工作日内支付 30% 预付款；验收合格后支付 70% 尾款。",
                       "合同签订后 20 个工作日内完成部署与上线。", "以上报价含增值税。")
    quote = services.quotes.create(deal.id, QuoteContent(options, terms), by=me,
                                   header=QuoteHeader("客户关系管理系统建设项目报价", "zh_CN", True,
                                                      None)).quote
    db.close()
    return quote.id


def timed_pdf(path: Path, quote_id: int) -> tuple[float, bytes]:
    from funneldesk.db import open_database
    from funneldesk.services import Services

    db = open_database(path)
    try:
        began = time.perf_counter()
        data = Services(db).quotes.pdf(quote_id)
        return (time.perf_counter() - began) * 1000, data
    finally:
        db.close()


def bare_canvas(texts: list[str], pages: int) -> float:
    """The texts drawn one after another with a bare canvas, in the embedded font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from funneldesk.reports import fonts

    font = fonts.register()
    began = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=A4)
    per_page = max(1, len(texts) // pages + 1)
    for i, text in enumerate(texts):
        if i and i % per_page == 0:
            canvas.showPage()
        canvas.setFont(font, 9)
        canvas.drawString(50, 800 - (i % per_page) * 11, text)
    canvas.save()
    return (time.perf_counter() - began) * 1000


def main() -> None:
    folder = Path(sys.argv[1])
    path = folder / "quotes.db"
    if "--cold" in sys.argv:
        quote_id = int(sys.argv[3])
        print(json.dumps({"quote_pdf_cold_ms": timed_pdf(path, quote_id)[0]}))
        return
    path.unlink(missing_ok=True)
    quote_id = make_quote(path)
    cold = subprocess.run([sys.executable, __file__, str(folder), "--cold", str(quote_id)],
                          capture_output=True, text=True, check=True, env=os.environ)
    cold_ms = json.loads(cold.stdout.splitlines()[-1])["quote_pdf_cold_ms"]
    _first, data = timed_pdf(path, quote_id)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    texts = [line for page in reader.pages for line in page.extract_text().splitlines()]
    warm, bare = [], []
    for _ in range(REPEAT):  # interleaved, so that a noisy moment hits both
        warm.append(timed_pdf(path, quote_id)[0])
        bare.append(bare_canvas(texts, len(reader.pages)))
    print(json.dumps({"quote_pdf_ms": statistics.median(warm),
                      "reportlab_baseline_ms": statistics.median(bare),
                      "quote_pdf_cold_ms": cold_ms, "quote_pdf_pages": len(reader.pages)}))


if __name__ == "__main__":
    main()
