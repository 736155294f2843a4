"""The review application: the AP queue, the invoice screen, approvals, audit and the dashboard.

``create_app(ctx)`` builds the FastAPI app; ``AppContext`` carries what it needs from the process
(database sessions, the object store, the application secret, and the pipeline's hooks).
"""

from review_ui.app import create_app
from review_ui.context import AppContext

__all__ = ["AppContext", "create_app"]
