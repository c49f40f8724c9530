"""Who logs in: the Marketing role, demo logins, the login lockout page and the API token endpoint."""
