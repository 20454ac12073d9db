"""Conversation rules shared by the Rasa actions and the agent console: replies, factor parsing, flows."""
