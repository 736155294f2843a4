"""What the routes call: queue queries, the invoice screen's data, decisions, corrections, reports.

Services take plain values and an ``Actor`` and raise the project's own errors (``NotAuthorised``,
``StateConflict``, ``InvalidInput``); routes turn those into pages or JSON.
"""
