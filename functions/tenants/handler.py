"""Lambda entry point for operator onboarding and tenant API keys."""

from crm.http import create_resolver, lambda_handler
from tenants.routes import router

app = create_resolver(router)
handler = lambda_handler(app)
