"""Personal-data protection: masks for display and redaction of free text and stored events."""
