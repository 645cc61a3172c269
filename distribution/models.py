"""Partners, their keys, entitlements and webhook endpoints, and the delivery log."""
