"""Web forms: a tenant defines a form (which submitted field sets which contact property); websites post to its
public submission URL, which creates or updates the contact by email."""
