"""Japanese NLU: normalization, fugashi tokenization, structured entities and Rasa components."""
