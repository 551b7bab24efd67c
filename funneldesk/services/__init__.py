"""Every change a user can make is one call here; the UI sees nothing below this package.

Each service module is imported the first time it is used: the board needs only plain
SQL, so the window paints before SQLAlchemy's ORM has been imported (``warm_up`` then
loads the rest off the GUI thread).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from funneldesk.db import Database
    from funneldesk.services.activities.activities import ActivityService
    from funneldesk.services.activities.activity_list import ActivityListService
    from funneldesk.services.activities.assessment import AssessmentService
    from funneldesk.services.activities.calendar import CalendarService
    from funneldesk.services.activities.exporting import ActivityExportService
    from funneldesk.services.activities.forecast import ForecastService
    from funneldesk.services.activities.plans import FollowUpService
    from funneldesk.services.activities.reminders import ReminderService
    from funneldesk.services.activities.review import ReviewService
    from funneldesk.services.activities.team import DealTeamService
    from funneldesk.services.activities.timeline import TimelineService
    from funneldesk.services.analytics.service import AnalyticsService
    from funneldesk.services.common.search import SearchService
    from funneldesk.services.common.tabular.service import ImportService
    from funneldesk.services.contracts.after_sales import AfterSalesService
    from funneldesk.services.contracts.contracts import ContractService
    from funneldesk.services.contracts.settings import ContractSettingsService
    from funneldesk.services.customers.companies import CustomerService
    from funneldesk.services.customers.customer_list import CustomerListService
    from funneldesk.services.customers.duplicates import DuplicateService
    from funneldesk.services.customers.merge import MergeService
    from funneldesk.services.customers.pool import PoolService
    from funneldesk.services.customers.privacy import PrivacyService
    from funneldesk.services.pipeline.admin import PipelineAdminService
    from funneldesk.services.pipeline.bulk import BulkService
    from funneldesk.services.pipeline.deal_list import DealListService
    from funneldesk.services.pipeline.deals import DealService
    from funneldesk.services.pipeline.exporting import ExportService
    from funneldesk.services.pipeline.moves import MoveService
    from funneldesk.services.pipeline.trash import TrashService
    from funneldesk.services.quotes.catalogue import CatalogueService
    from funneldesk.services.quotes.letterhead import LetterheadService
    from funneldesk.services.quotes.mail import MailService
    from funneldesk.services.quotes.quotes import QuoteService
    from funneldesk.services.quotes.settings import QuoteRulesService
    from funneldesk.services.sample_data.demo import DemoService
    from funneldesk.services.sample_data.manage import SampleDataService
    from funneldesk.services.team.lead_sources import LeadSourceService
    from funneldesk.services.team.products import ProductService
    from funneldesk.services.team.rates import RateService
    from funneldesk.services.team.settings import TeamSettingsService


class Services:
    def __init__(self, db: Database) -> None:
        # here, not at the top: a worker process that imports a service module alone
        # (customers/alike_apart.py) is spared them
        from funneldesk.services.pipeline.board import BoardService
        from funneldesk.services.team.users import UserService

        self.db = db
        self.board = BoardService(db)
        self.users = UserService(db)

    @classmethod
    def for_database(cls, db: Database) -> Services:
        """The services of ``db``, with the default pipeline created on a new database."""
        if not db.query("SELECT count(*) FROM pipelines")[0][0]:
            from funneldesk.services.pipeline.seed import ensure_defaults

            with db.session() as session:
                ensure_defaults(session)
        return cls(db)

    @cached_property
    def analytics(self) -> AnalyticsService:
        from funneldesk.services.analytics.service import AnalyticsService

        return AnalyticsService(self.db)

    @cached_property
    def moves(self) -> MoveService:
        from funneldesk.services.pipeline.moves import MoveService

        return MoveService(self.db)

    @cached_property
    def deals(self) -> DealService:
        from funneldesk.services.activities.next_steps import sync
        from funneldesk.services.pipeline.deals import DealService

        # the next step typed in the deal form is a planned activity; the pipeline area
        # may not import the Activities area, so it is handed the function that keeps it
        return DealService(self.db, next_steps=sync)

    @cached_property
    def deal_list(self) -> DealListService:
        from funneldesk.services.pipeline.deal_list import DealListService

        return DealListService(self.db)

    @cached_property
    def bulk(self) -> BulkService:
        from funneldesk.services.pipeline.bulk import BulkService

        return BulkService(self.db)

    @cached_property
    def customers(self) -> CustomerService:
        from funneldesk.services.customers.companies import CustomerService
        from funneldesk.services.pipeline.search import index_deals

        # a renamed company or contact: its deals' search entries hold the name; the
        # pipeline area writes them, and the customers area may not import it
        return CustomerService(self.db, reindex_deals=index_deals)

    @cached_property
    def customer_list(self) -> CustomerListService:
        """The companies and contacts lists: counts, pages, segments, tags."""
        from funneldesk.services.customers.customer_list import CustomerListService

        return CustomerListService(self.db)

    @cached_property
    def pool(self) -> PoolService:
        """The public pool (公海): leads left untouched return to it; reps claim them."""
        from funneldesk.services.customers.pool import PoolService

        return PoolService(self.db)

    @cached_property
    def privacy(self) -> PrivacyService:
        """One person's data: exported on request, erased for good."""
        from funneldesk.services.customers.privacy import PrivacyService
        from funneldesk.services.pipeline.search import index_deals

        # the deals' search entries hold their contact's name; the pipeline area writes
        # them, and the customers area may not import it
        return PrivacyService(self.db, reindex_deals=index_deals)

    @cached_property
    def duplicates(self) -> DuplicateService:
        from funneldesk.services.customers.duplicates import DuplicateService

        return DuplicateService(self.db)

    @cached_property
    def merges(self) -> MergeService:
        from funneldesk.services.customers.merge import MergeService
        from funneldesk.services.pipeline.search import index_deals

        return MergeService(self.db, reindex_deals=index_deals)

    @cached_property
    def pipelines(self) -> PipelineAdminService:
        from funneldesk.services.pipeline.admin import PipelineAdminService

        return PipelineAdminService(self.db)

    @cached_property
    def rates(self) -> RateService:
        from funneldesk.services.team.rates import RateService

        return RateService(self.db)

    @cached_property
    def lead_sources(self) -> LeadSourceService:
        from funneldesk.services.team.lead_sources import LeadSourceService

        return LeadSourceService(self.db)

    @cached_property
    def products(self) -> ProductService:
        from funneldesk.services.team.products import ProductService

        return ProductService(self.db)

    @cached_property
    def team_settings(self) -> TeamSettingsService:
        from funneldesk.services.team.settings import TeamSettingsService

        return TeamSettingsService(self.db)

    @cached_property
    def demo(self) -> DemoService:
        from funneldesk.services.sample_data.demo import DemoService

        return DemoService(self.db)

    @cached_property
    def trash(self) -> TrashService:
        from funneldesk.services.pipeline.trash import TrashService

        return TrashService(self.db)

    @cached_property
    def sample_data(self) -> SampleDataService:
        from funneldesk.services.sample_data.manage import SampleDataService

        return SampleDataService(self.db)

    @cached_property
    def exports(self) -> ExportService:
        from funneldesk.services.pipeline.exporting import ExportService

        return ExportService(self.db)

    @cached_property
    def imports(self) -> ImportService:
        """Imports of every kind; each area brings its importer."""
        from funneldesk.services.common.tabular.service import ImportService
        from funneldesk.services.customers.importers import CompanyImporter, ContactImporter
        from funneldesk.services.pipeline.deal_import import DealImporter
        from funneldesk.services.pipeline.search import index_deals
        from funneldesk.services.quotes.catalogue_import import ProductImporter

        region = self.customers.region
        return ImportService(self.db, {
            "companies": lambda: CompanyImporter(region(), index_deals),
            "contacts": lambda: ContactImporter(region(), index_deals),
            "products": lambda: ProductImporter(),
            "deals": lambda: DealImporter(),
        })

    @cached_property
    def activities(self) -> ActivityService:
        from funneldesk.services.activities.activities import ActivityService

        return ActivityService(self.db)

    @cached_property
    def assessments(self) -> AssessmentService:
        """Deals' scorecards, value scores and learned win probabilities."""
        from funneldesk.services.activities.assessment import AssessmentService

        return AssessmentService(self.db)

    @cached_property
    def follow_ups(self) -> FollowUpService:
        """Deals' follow-up plans, and the activities entering a stage proposes."""
        from funneldesk.services.activities.plans import FollowUpService

        return FollowUpService(self.db)

    @cached_property
    def deal_teams(self) -> DealTeamService:
        """Deals' teams (colleagues with a role on a deal) and their notes feeds."""
        from funneldesk.services.activities.team import DealTeamService

        return DealTeamService(self.db)

    @cached_property
    def reviews(self) -> ReviewService:
        """The deals that need a look (untouched, past their date, rotting), and the
        quick updates that review them."""
        from funneldesk.services.activities.review import ReviewService

        return ReviewService(self.db)

    @cached_property
    def forecast(self) -> ForecastService:
        """Open deals by the month they are expected to close."""
        from funneldesk.services.activities.forecast import ForecastService

        return ForecastService(self.db)

    @cached_property
    def catalogue(self) -> CatalogueService:
        """The products quotes are made of, with their prices, floors and costs."""
        from funneldesk.services.quotes.catalogue import CatalogueService

        return CatalogueService(self.db)

    @cached_property
    def quotes(self) -> QuoteService:
        from funneldesk.services.quotes.quotes import QuoteService

        return QuoteService(self.db)

    @cached_property
    def mail(self) -> MailService:
        """Quotes emailed to customers, through an outbox that waits for the network."""
        from funneldesk.services.quotes.mail import MailService

        return MailService(self.db)

    @cached_property
    def letterhead(self) -> LetterheadService:
        """The company's name, address, bank account and logo on quotes and contracts."""
        from funneldesk.services.quotes.letterhead import LetterheadService

        return LetterheadService(self.db)

    @cached_property
    def quote_rules(self) -> QuoteRulesService:
        """The minimum margin, tax included or not, and how long quotes stay valid."""
        from funneldesk.services.quotes.settings import QuoteRulesService

        return QuoteRulesService(self.db)

    @cached_property
    def contracts(self) -> ContractService:
        """Contracts from accepted quotes: review, the signing path, payments received."""
        from funneldesk.services.contracts.contracts import ContractService

        return ContractService(self.db)

    @cached_property
    def after_sales(self) -> AfterSalesService:
        """Money contracted and received, service commitments and return visits."""
        from funneldesk.services.contracts.after_sales import AfterSalesService

        return AfterSalesService(self.db)

    @cached_property
    def contract_settings(self) -> ContractSettingsService:
        """The terms' templates, the review checklist and the return visits' days."""
        from funneldesk.services.contracts.settings import ContractSettingsService

        return ContractSettingsService(self.db)

    @cached_property
    def reminders(self) -> ReminderService:
        from funneldesk.services.activities.reminders import ReminderService

        return ReminderService(self.db)

    @cached_property
    def activity_list(self) -> ActivityListService:
        """The Activities page's list (filtered, sorted and paged in SQL)."""
        from funneldesk.services.activities.activity_list import ActivityListService

        return ActivityListService(self.db)

    @cached_property
    def timeline(self) -> TimelineService:
        """A deal's or a customer's planned activities and what happened, in one stream."""
        from funneldesk.services.activities.timeline import TimelineService

        return TimelineService(self.db)

    @cached_property
    def activity_exports(self) -> ActivityExportService:
        from funneldesk.services.activities.exporting import ActivityExportService

        return ActivityExportService(self.db)

    @cached_property
    def calendar(self) -> CalendarService:
        from funneldesk.services.activities.calendar import CalendarService

        return CalendarService(self.db)

    @cached_property
    def search(self) -> SearchService:
        """Search-everything over every area's records (each area registers its kind)."""
        from funneldesk.services.activities.search import ACTIVITY_SEARCH
        from funneldesk.services.common.search import SearchService
        from funneldesk.services.contracts.search import CONTRACT_SEARCH
        from funneldesk.services.customers.search import COMPANY_SEARCH, CONTACT_SEARCH
        from funneldesk.services.pipeline.search import DEAL_SEARCH
        from funneldesk.services.quotes.search import QUOTE_SEARCH

        return SearchService(self.db, kinds=(DEAL_SEARCH, COMPANY_SEARCH, CONTACT_SEARCH,
                                             ACTIVITY_SEARCH, QUOTE_SEARCH,
                                             CONTRACT_SEARCH))

    def warm_up(self) -> None:
        """Imports the ORM and every service, opens the engine and configures the mappers
        (call off the GUI thread), so that a user's first change pays for none of it."""
        from sqlalchemy.orm import configure_mappers

        from funneldesk.collation import sort_key

        for name in ("moves", "deals", "customers", "pipelines", "trash", "rates", "bulk"):
            getattr(self, name)
        configure_mappers()
        sort_key("")  # reads the pinyin table (a tenth of a second) for the first save
        self.db.engine  # noqa: B018 - creates the engine

    def check_integrity(self) -> None:
        """Reads every page of the database file (slow on big files: call it off the GUI
        thread); raises DatabaseDamaged if SQLite finds damage."""
        self.db.check_integrity()

    def location(self) -> str:
        """The database file's resolved path: what per-database settings are keyed by."""
        return str(self.db.path.resolve())

    def has_deals(self) -> bool:
        return self.board.has_deals()

    def is_empty(self) -> bool:
        """Whether the database holds no deal, company or contact (what the offer of
        sample data waits for); stops at the first one."""
        return not self.board.has_deals() and not self.customers.has_customers()
