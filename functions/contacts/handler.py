"""Lambda entry point for records (contacts, companies, deals), and the behavioural events and lead scoring
of contacts (activity): API Gateway sends /v1/contacts/{proxy+} here."""

from activity.routes import router as activity_router
from contacts.routes import router
from crm.http import create_resolver, lambda_handler

app = create_resolver(activity_router, router)
handler = lambda_handler(app)
