"""Authentication: login sessions."""
