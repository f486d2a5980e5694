"""Notifications to users, their channel preferences and push device tokens."""
