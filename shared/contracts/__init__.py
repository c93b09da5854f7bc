"""Wire contracts: the request and reply types of each service's NATS endpoints.

Both the service and its callers (web, the CLI) import these; neither imports the other.
They hold no rules, only shapes.
"""
