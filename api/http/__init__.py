"""The plumbing every door shares: the request's transaction, errors, idempotency, limits, pagination, fields, bodies, logs, metrics and the server."""
