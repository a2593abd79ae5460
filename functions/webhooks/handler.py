"""Lambda entry point for webhook subscriptions and deliveries."""

from crm.http import create_resolver, lambda_handler
from webhooks.routes import router

app = create_resolver(router)
handler = lambda_handler(app)
