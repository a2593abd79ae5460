"""Lambda entry point for workflow definitions and runs."""

from crm.http import create_resolver, lambda_handler
from workflows.routes import router
from workflows.run_routes import router as runs_router

app = create_resolver(router, runs_router)
handler = lambda_handler(app)
