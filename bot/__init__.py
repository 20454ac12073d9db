"""Japanese support-desk chatbot: NLU components, backend services and channels."""
