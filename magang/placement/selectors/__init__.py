"""Reads for placement, one module per area; each starts from the user's scope
(``magang.placement.access``) or, for a candidate, from their own applications.

- ``orders``: job orders a user sees (list with filters and counts, one order's figures),
  the host companies a user may send orders for, a host company's page.
- ``preferences``: a candidate's own ranking and the job orders they may rank.
- ``shortlists``: a job order's shortlist, with only what partners and host companies may
  see of each candidate.
"""
