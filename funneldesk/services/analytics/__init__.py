"""The Analytics area: the KPIs of a pipeline (docs/ARCHITECTURE.md, KPI definitions),
computed with SQL aggregates over the derived visits and progress tables
(services/pipeline/visits.py), and what is built on them."""
