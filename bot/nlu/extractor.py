"""Rasa entity extractor for member numbers, e-mails, birth dates and phone numbers."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entities import extract_entities


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class JapaneseEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds rule-based entities with normalized values (ASCII digits, ISO dates, lower-case e-mail)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Which entity types to extract (default: all four)."""
        return {"dimensions": None}

    @staticmethod
    def required_packages() -> List[Text]:
        """Python packages this component needs."""
        return ["spacy", "fugashi", "japanera"]

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keeps the configured entity types."""
        self._dimensions = set(config.get("dimensions") or [])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "JapaneseEntityExtractor":
        """Creates the component (rules only, nothing to train)."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the entities found in each message's text."""
        for message in messages:
            found = [
                entity.as_rasa(self.name)
                for entity in extract_entities(message.get(TEXT))
                if not self._dimensions or entity.entity in self._dimensions
            ]
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
