"""Contract PDF figures (issue 10), measured in a fresh process on a new database.

    python benchmarks/contract_figures.py FOLDER

Prints one JSON object (milliseconds):
- contract_pdf_ms: ``ContractService.pdf_to_save`` of a confidential 10-page Chinese
  contract with a password (read from the database, the placeholders filled, laid out,
  rendered and encrypted with AES-256), in process and warm: the median of 5 after a
  first one;
- contract_reportlab_baseline_ms: the same text (read back out of that PDF) drawn with a
  bare ReportLab canvas in the same embedded font on as many pages, not encrypted
  (median of 5, interleaved with the above in the same process);
- contract_pdf_pages: the pages of the contract measured.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from quote_figures import REPEAT, bare_canvas, make_quote  # noqa: E402 - after the path

PAGES = 10
CLAUSE = ("甲乙双方应按照本合同约定及国家有关法律法规的规定，诚实守信、全面履行各自的义务；"
          "任何一方未经对方书面同意，不得将本合同项下的权利义务转让给第三方。") * 3


def make_contract(path: Path) -> int:
    """The quote of quote_figures, accepted, made a confidential contract whose terms run
    to 10 pages; the contract's id."""
    from funneldesk.db import open_database
    from funneldesk.enums import Confidentiality
    from funneldesk.i18n import set_language
    from funneldesk.services import Services

    quote_id = make_quote(path)
    set_language("zh_CN")
    db = open_database(path)
    services = Services.for_database(db)
    me = services.users.current()
    company = services.customers.create_company(name="上海远航精密机械制造有限公司", by=me)
    quote = services.quotes.get(quote_id)
    deal = services.deals.detail(quote.deal_id)
    services.deals.update(deal_id=deal.id, fields=replace(deal.fields, company_id=company.id),
                          expected_version=deal.version, by=me)
    sent = services.quotes.send(quote_id, expected_version=quote.version, by=me).quote
    services.quotes.accept(quote_id, sent.revision.options[2].id,
                           expected_version=sent.version, by=me)
    view = services.contracts.create(quote_id, by=me).contract
    template = services.contract_settings.settings().templates["zh_CN"]
    clauses = 8
    while True:
        extra = "".join(f"\n\n补充约定（{n}）\n{CLAUSE}" for n in range(1, clauses + 1))
        content = replace(view.content, terms=template + extra,
                          warranty_terms="自验收合格之日起免费质保 12 个月。",
                          acceptance_terms="乙方完成部署后书面通知甲方，甲方在 10 个工作日内组织验收。",
                          confidentiality=Confidentiality.CONFIDENTIAL)
        view = services.contracts.save(view.id, content, expected_version=view.version,
                                       by=me).contract
        pages = _pages(services.contracts.pdf(view.id, viewer=me))
        if pages >= PAGES:
            break
        clauses = int(clauses * PAGES / max(pages, 1)) + 2
    db.close()
    return view.id


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def timed_pdf(path: Path, contract_id: int) -> tuple[float, bytes]:
    from funneldesk.db import open_database
    from funneldesk.services import Services

    db = open_database(path)
    try:
        services = Services(db)
        me = services.users.current()
        began = time.perf_counter()
        data = services.contracts.pdf_to_save(contract_id, viewer=me, password="基准 2026")
        return (time.perf_counter() - began) * 1000, data
    finally:
        db.close()


def main() -> None:
    folder = Path(sys.argv[1])
    path = folder / "contracts.db"
    path.unlink(missing_ok=True)
    contract_id = make_contract(path)
    _first, data = timed_pdf(path, contract_id)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt("基准 2026")
    texts = [line for page in reader.pages for line in page.extract_text().splitlines()]
    warm, bare = [], []
    for _ in range(REPEAT):  # interleaved, so that a noisy moment hits both
        warm.append(timed_pdf(path, contract_id)[0])
        bare.append(bare_canvas(texts, len(reader.pages)))
    print(json.dumps({"contract_pdf_ms": statistics.median(warm),
                      "contract_reportlab_baseline_ms": statistics.median(bare),
                      "contract_pdf_pages": len(reader.pages)}))


if __name__ == "__main__":
    main()
