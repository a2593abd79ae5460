"""Lambda entry point for records (contacts, companies, deals, custom object types), the tenant's data
model (schemas: served here so a schema change in this container is seen by its next record request), and
the behavioural events and lead scoring of contacts (activity): API Gateway sends /v1/contacts/{proxy+} here."""

from activity.routes import router as activity_router
from contacts.association_routes import router as associations_router
from contacts.routes import router
from crm.http import create_resolver, lambda_handler
from schemas.pipeline_routes import router as pipelines_router
from schemas.routes import router as schemas_router
from search.routes import router as search_router

app = create_resolver(activity_router, schemas_router, pipelines_router, search_router, associations_router, router)
handler = lambda_handler(app)
