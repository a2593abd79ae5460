"""Lambda entry point for records (contacts, companies, deals)."""

from contacts.routes import router
from crm.http import create_resolver, lambda_handler

app = create_resolver(router)
handler = lambda_handler(app)
