"""Settings: users and access control, organizations, commodities and the trade-term masters."""
