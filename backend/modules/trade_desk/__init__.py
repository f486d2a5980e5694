"""Trade desk: requirements and availabilities, their matching, negotiations and trades."""
