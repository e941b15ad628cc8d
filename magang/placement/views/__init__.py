"""Placement pages, one module per area, each exporting ``urlpatterns`` (joined in
``magang.placement.urls``):

- ``orders``: job orders, their list, detail and form.
- ``companies``: a host company's page and the trades it trains in.
- ``imports``: the spreadsheet import of job orders.
- ``preferences``: a candidate ranks the job orders they may go to.
- ``shortlists``: a job order's shortlist, interviews and the company's ranking.
- ``matching``: match runs.
- ``departure``: departure files and batches.

What they share (the request type, the user's language) is in ``common``.
"""
