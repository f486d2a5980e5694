"""Platform core: event log and outbox, capabilities, GDPR consents and data-subject requests."""
