"""Custom actions. Each one reads the tracker, calls ``bot`` and sends the replies it gets back."""
from __future__ import annotations

import logging
from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import (
    conversation_id,
    intent_ranking,
    latest_intent,
    latest_text,
    service_of,
    today_jst,
    transcript,
)
from bot import knowledge
from bot.backend import verification
from bot.backend.db import session_scope
from bot.backend.profiles import Factor, get_profile
from bot.conversation import flows, messages
from bot.conversation.factors import Factor as ParsedFactor
from bot.conversation.factors import classify_non_answer, read_birthdate, read_email, read_phone, reask
from bot.nlu.normalize import normalize_text
from bot.privacy.redact import find_password

logger = logging.getLogger(__name__)

FACTOR_SLOTS = {Factor.EMAIL: "email", Factor.BIRTHDATE: "birthdate", Factor.PHONE: "phone_number"}
# Slots of a procedure, all emptied when it ends (the factor slots only ever hold masks).
FLOW_SLOTS = ("email", "birthdate", "phone_number", "reissue_confirmed", "verification_status")
STATUS_SLOT = "verification_status"
LONG_MESSAGE = 2000
# Statuses that end a form before every slot is filled (the submit action then says nothing more).
_ENDING = ("exhausted", "locked", "ambiguous", "sent", "not_known", "declined")
# Intents whose answer does not fit a member in the middle of a form: a question about the
# form's question or an "I don't know it" classified as one of them is handled as such.
_NO_ANSWER_OF_THEIR_OWN = ("bot_challenge", "out_of_scope")
# The intent behind the clarify buttons' last choice, talking to a person.
_PERSON = "human_handoff"


def _say(dispatcher: CollectingDispatcher, replies: List[str]) -> None:
    for reply in replies:
        dispatcher.utter_message(text=reply)


def _warn_if_password(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Passwords are never wanted: warn when one seems typed (the tracker store blanks it)."""
    if find_password(latest_text(tracker)):
        dispatcher.utter_message(text=messages.PASSWORD_WARNING)


def _clear_slots() -> List[EventType]:
    return [SlotSet(slot, None) for slot in FLOW_SLOTS]


def _service_events(tracker: Tracker, service: str) -> List[EventType]:
    return [] if tracker.get_slot("service") == service else [SlotSet("service", service)]


class ActionSessionStart(Action):
    """Starts a session with the service the page or channel says (metadata ``service``)."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return [SessionStarted(), SlotSet("service", service_of(tracker)), ActionExecuted("action_listen")]


class ActionAnswerFaq(Action):
    """Answers the latest intent from the service's knowledge file."""

    def name(self) -> Text:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        service = service_of(tracker)
        _warn_if_password(dispatcher, tracker)
        if len(latest_text(tracker)) > LONG_MESSAGE:
            dispatcher.utter_message(text=messages.TOO_LONG)
        label = latest_intent(tracker)
        asked = _factor_asked(tracker) if label in _NO_ANSWER_OF_THEIR_OWN else None
        non_answer = classify_non_answer(latest_text(tracker), asked) if asked else None
        if non_answer:
            # 生年月日って子どもの？ or メアド思い出せない: about the form's question, not about the bot
            return [SlotSet(k, v) for k, v in _handle_non_answer(dispatcher, tracker, non_answer).items()] \
                + _service_events(tracker, service)
        if label not in knowledge.labels(service):
            label = "fallback_clarify"
        dispatcher.utter_message(text=flows.faq_answer(service, label))
        return _service_events(tracker, service)


class ActionClarify(Action):
    """Low confidence: ask back with buttons for the likely topics; twice in a row hands over."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        service = service_of(tracker)
        text = latest_text(tracker)
        if not text.strip():
            dispatcher.utter_message(text=messages.EMPTY_MESSAGE)
            return _service_events(tracker, service)
        _warn_if_password(dispatcher, tracker)
        if _previous_turn_was_fallback(tracker):
            dispatcher.utter_message(text=messages.SECOND_FALLBACK)
            return await ActionHandoff().hand_over(dispatcher, tracker, service, "自動応答で2回続けて理解できず")
        dispatcher.utter_message(text=flows.faq_answer(service, "fallback_clarify"), buttons=_topic_buttons(tracker))
        return _service_events(tracker, service)


def _previous_turn_was_fallback(tracker: Tracker) -> bool:
    """True when the member's previous (non-empty) message also ended in a clarifying question."""
    user_turns = 0
    clarified = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            user_turns += 1
            if user_turns == 2:
                return clarified and bool((event.get("text") or "").strip())
        elif event.get("event") == "action" and user_turns == 1 and event.get("name") == "action_clarify":
            clarified = True
    return False


def _topic_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    ranked = [item.get("name") for item in intent_ranking(tracker)]
    # Talking to a person is always offered last, so it must not also be one of the three topics.
    chosen = [name for name in ranked if name in messages.TOPIC_BUTTONS and name != _PERSON][:3]
    for name in ("forgot_number", "login_failed", "mail_not_arriving"):
        if len(chosen) >= 3:
            break
        if name not in chosen:
            chosen.append(name)
    chosen.append(_PERSON)
    return [{"title": messages.TOPIC_BUTTONS[name], "payload": f"/{name}"} for name in chosen]


class ActionHandoff(Action):
    """Opens a handoff ticket with the masked transcript and says when a person will answer."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return await self.hand_over(dispatcher, tracker, service_of(tracker), "お客さまが担当者を希望")

    async def hand_over(self, dispatcher: CollectingDispatcher, tracker: Tracker, service: str,
                        reason: str) -> List[EventType]:
        """Open the ticket and reply; also used after failed verification and repeated fallbacks."""
        with session_scope() as session:
            step = flows.open_handoff(session, conversation_id(tracker), service, reason=reason,
                                      transcript=transcript(tracker))
        _say(dispatcher, step.replies)
        return _clear_slots() + _service_events(tracker, service)


class ActionOfferReset(Action):
    """After the login checklist: offer a reset by mail, or where a PIN can be reset."""

    def name(self) -> Text:
        return "action_offer_reset"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        profile = get_profile(service_of(tracker))
        if profile.password.remote_reset:
            text, yes = messages.OFFER_RESET, "はい、再設定します"
        else:
            text = messages.OFFER_PIN_PLACES.format(places="・".join(profile.password.reset_places) or "店頭窓口")
            yes = "はい、案内してください"
        dispatcher.utter_message(text=text, buttons=[
            {"title": yes, "payload": "/affirm"}, {"title": "いいえ、大丈夫です", "payload": "/deny"}])
        return []


class ActionCancelFlow(Action):
    """Leaves a procedure (やめる, or a goodbye in the middle): forgets collected factors, clears slots."""

    def name(self) -> Text:
        return "action_cancel_flow"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        service = service_of(tracker)
        with session_scope() as session:
            verification.forget(session, conversation_id(tracker), service)
        if latest_intent(tracker) == "goodbye":
            # Leaving in the middle: say what became of the procedure, then take leave.
            dispatcher.utter_message(text=messages.CANCELLED_ON_LEAVING)
            dispatcher.utter_message(text=flows.faq_answer(service, "goodbye"))
        else:
            dispatcher.utter_message(text=messages.CANCELLED_FLOW)
        return _clear_slots() + [SlotSet("requested_slot", None)]


# --- forms ---------------------------------------------------------------------------------


class _FactorFormValidation(FormValidationAction):
    """Reads identity factors, stores their digests in the backend and keeps only masks in slots."""

    purpose: Optional[str] = None  # "reveal" / "reissue": verify once every factor is in
    extra_slots: List[str] = []

    @abstractmethod
    def name(self) -> Text:
        """Each concrete form names its validation action."""

    def factor_slots(self, service: str) -> List[str]:
        """The factor slots this form asks for, by the service's profile."""
        if self.purpose is None:
            return ["email"]
        return [FACTOR_SLOTS[f] for f in get_profile(service).required_factors(self.purpose)]

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return self.factor_slots(service_of(tracker)) + list(self.extra_slots)

    def _keep_mask(self, tracker: Tracker, slot: str, value: str) -> Dict[Text, Any]:
        """A masked value stays only if it stands for a factor this form really took.

        Entities fill the slots in any turn, and the tracker store keeps only their masks, so
        an address typed before the form started comes back as a mask the form never checked.
        """
        if self.purpose is None:
            took = tracker.get_slot(STATUS_SLOT) == "sent"
        else:
            with session_scope() as session:
                held = verification.held_factors(session, conversation_id(tracker), service_of(tracker))
            took = any(FACTOR_SLOTS[factor] == slot for factor in held)
        return {slot: value if took else None}

    def _store(self, tracker: Tracker, parsed: ParsedFactor, dispatcher: CollectingDispatcher,
               slot: str, **factor: Any) -> Dict[Text, Any]:
        if not parsed.ok:
            return _refuse(dispatcher, tracker, parsed, slot, classify_non_answer(latest_text(tracker), slot))
        if self.purpose is not None:
            with session_scope() as session:
                verification.submit_factors(session, conversation_id(tracker), service_of(tracker), **factor)
        return {slot: parsed.masked}

    async def validate_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        """E-mail address: a specific re-ask when it is not one."""
        if _already_masked(value):
            return self._keep_mask(tracker, "email", value)
        parsed = read_email(str(value))
        return self._store(tracker, parsed, dispatcher, "email", email=parsed.value)

    async def validate_birthdate(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        """Birth date: exists, not in the future, any notation the NLU reads."""
        if _already_masked(value):
            return self._keep_mask(tracker, "birthdate", value)
        parsed = read_birthdate(str(value), today_jst())
        return self._store(tracker, parsed, dispatcher, "birthdate", birthdate=parsed.value)

    async def validate_phone_number(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        """Phone number: 10 or 11 digits from 0."""
        if _already_masked(value):
            return self._keep_mask(tracker, "phone_number", value)
        parsed = read_phone(str(value))
        return self._store(tracker, parsed, dispatcher, "phone_number", phone=parsed.value)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        _warn_if_password(dispatcher, tracker)
        events = [e for e in await super().run(dispatcher, tracker, domain) if e.get("name") != "requested_slot"]
        slots = dict(tracker.slots)
        slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        service = service_of(tracker)
        events += self.after_validation(dispatcher, tracker, service, slots)
        slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
        required = await self.required_slots([], dispatcher, tracker, domain)
        missing = [slot for slot in required if slots.get(slot) is None]
        if slots.get(STATUS_SLOT) in _ENDING:
            missing = []
        stale = [slot for slot in FACTOR_SLOTS.values() if slots.get(slot) is not None]
        if slots.get(STATUS_SLOT) == "not_known" and stale:
            # A factor validated after the "not known" one in this turn went to the backend too.
            with session_scope() as session:
                verification.forget(session, conversation_id(tracker), service)
            events += [SlotSet(slot, None) for slot in stale]
        return events + [SlotSet("requested_slot", missing[0] if missing else None)]

    def after_validation(self, dispatcher: CollectingDispatcher, tracker: Tracker, service: str,
                         slots: Dict[str, Any]) -> List[EventType]:
        """Verify identity once every factor is in (only for forms with a purpose)."""
        factors = self.factor_slots(service)
        if self.purpose is None or slots.get(STATUS_SLOT) == "verified":
            return []
        if any(slots.get(slot) is None for slot in factors):
            return []
        with session_scope() as session:
            step = flows.check_identity(session, conversation_id(tracker), service, self.purpose)
        _say(dispatcher, step.replies)
        if step.status == "mismatch":
            return [SlotSet(slot, None) for slot in factors]
        return [SlotSet(STATUS_SLOT, step.status)]


def _refuse(dispatcher: CollectingDispatcher, tracker: Tracker, parsed: ParsedFactor, slot: str,
            non_answer: Optional[Tuple[str, str]]) -> Dict[Text, Any]:
    """A factor that was not read: the non-answer's reply if it is one (classify_non_answer),
    else say why (bot.conversation.factors.reask); the slot stays empty."""
    if non_answer:
        return {**_handle_non_answer(dispatcher, tracker, non_answer), slot: None}
    _say(dispatcher, reask(parsed, latest_intent(tracker)))
    return {slot: None}


def _handle_non_answer(dispatcher: CollectingDispatcher, tracker: Tracker,
                       non_answer: Tuple[str, str]) -> Dict[Text, Any]:
    """A question about a factor gets what it is; a factor the member does not know ends the
    form, and they are told who can help. Returns the slots to set."""
    kind, factor = non_answer
    if kind == "asks":
        dispatcher.utter_message(text=messages.FACTOR_HELP[factor])
        return {}
    with session_scope() as session:
        step = flows.factor_not_known(session, conversation_id(tracker), service_of(tracker), factor)
    _say(dispatcher, step.replies)
    return {factor: None, STATUS_SLOT: step.status}


def _factor_asked(tracker: Tracker) -> Optional[str]:
    """The factor slot a form is asking for right now, if any."""
    asked = tracker.get_slot("requested_slot")
    return asked if tracker.active_loop_name and asked in FACTOR_SLOTS.values() else None


def _already_masked(value: Any) -> bool:
    return isinstance(value, str) and "*" in value


class ValidateForgotNumberForm(_FactorFormValidation):
    """Registered e-mail + birth date (by profile) before revealing the number."""

    purpose = "reveal"

    def name(self) -> Text:
        return "validate_forgot_number_form"


class ValidateReissueNumberForm(_FactorFormValidation):
    """Stronger factors, then an explicit yes/no before reissuing."""

    purpose = "reissue"
    extra_slots = ["reissue_confirmed"]

    def name(self) -> Text:
        return "validate_reissue_number_form"

    async def validate_reissue_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: DomainDict) -> Dict[Text, Any]:
        """Only a clear yes or no counts."""
        intent = latest_intent(tracker)
        if intent == "affirm" or value is True:
            return {"reissue_confirmed": True}
        if intent == "deny" or value is False:
            return {"reissue_confirmed": False}
        dispatcher.utter_message(text=messages.CONFIRM_REISSUE)
        return {"reissue_confirmed": None}


class _MailOnlyFormValidation(_FactorFormValidation):
    """A form that needs only an e-mail and acts on it at once, so the slot only ever holds the mask."""

    @abstractmethod
    def send(self, tracker: Tracker, email: str) -> flows.Step:
        """The backend call for a valid address; the reply is the same whether it is registered."""

    async def validate_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        """Read the address, act on it right away, keep only its mask."""
        if _already_masked(value):
            return self._keep_mask(tracker, "email", value)
        parsed = read_email(str(value))
        if not parsed.ok:
            non_answer = classify_non_answer(latest_text(tracker), "email")
            if latest_intent(tracker) == "deny" and "@" not in normalize_text(str(value)) \
                    and (non_answer is None or non_answer[0] == "asks"):
                # The form started by itself after the answer; いらないです turns the offer down.
                dispatcher.utter_message(text=messages.MAIL_DECLINED)
                return {"email": None, STATUS_SLOT: "declined"}
            return _refuse(dispatcher, tracker, parsed, "email", non_answer)
        _say(dispatcher, self.send(tracker, parsed.value).replies)
        return {"email": parsed.masked, STATUS_SLOT: "sent"}


class ValidatePasswordResetForm(_MailOnlyFormValidation):
    """The e-mail to send a reset link to; services without remote reset skip straight to the places."""

    def name(self) -> Text:
        return "validate_password_reset_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return ["email"] if get_profile(service_of(tracker)).password.remote_reset else []

    def send(self, tracker: Tracker, email: str) -> flows.Step:
        with session_scope() as session:
            return flows.password_reset(session, conversation_id(tracker), service_of(tracker), email)


class ValidateResendMailForm(_MailOnlyFormValidation):
    """The e-mail of a pending registration whose mail should be sent again."""

    def name(self) -> Text:
        return "validate_resend_mail_form"

    def send(self, tracker: Tracker, email: str) -> flows.Step:
        with session_scope() as session:
            return flows.resend_registration(session, conversation_id(tracker), service_of(tracker), email)


# --- form submits ----------------------------------------------------------------------------


async def _finish_identity_flow(dispatcher: CollectingDispatcher, tracker: Tracker,
                                status: Optional[str]) -> Optional[List[EventType]]:
    """Shared ending for a failed verification: hand over or stop; None when verified."""
    service = service_of(tracker)
    if status == "verified":
        return None
    if status in ("exhausted", "ambiguous"):
        return await ActionHandoff().hand_over(dispatcher, tracker, service, "本人確認が完了できなかった")
    if status == "locked":
        dispatcher.utter_message(text=flows.faq_answer(service, "contact_support"))
    # flows.check_identity already dropped the collected factors in the backend.
    return _clear_slots()


async def _reply(dispatcher: CollectingDispatcher, tracker: Tracker, step: flows.Step) -> List[EventType]:
    """Send a finished flow's replies; hand over when the flow asks for a person."""
    _say(dispatcher, step.replies)
    if step.handoff:
        return await ActionHandoff().hand_over(dispatcher, tracker, service_of(tracker), "アカウントの状態確認が必要")
    return _clear_slots()


class ActionForgotNumberSubmit(Action):
    """After verification: the number by the service's reveal policy."""

    def name(self) -> Text:
        return "action_forgot_number_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        ended = await _finish_identity_flow(dispatcher, tracker, tracker.get_slot(STATUS_SLOT))
        if ended is not None:
            return ended
        with session_scope() as session:
            step = flows.reveal(session, conversation_id(tracker), service_of(tracker))
        return await _reply(dispatcher, tracker, step)


class ActionReissueNumberSubmit(Action):
    """After verification and a yes: a new number, mailed (and posted by profile)."""

    def name(self) -> Text:
        return "action_reissue_number_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        ended = await _finish_identity_flow(dispatcher, tracker, tracker.get_slot(STATUS_SLOT))
        if ended is not None:
            return ended
        message_id = (tracker.latest_message or {}).get("message_id") or str(len(tracker.events))
        with session_scope() as session:
            step = flows.reissue(session, conversation_id(tracker), service_of(tracker),
                                 confirmed=tracker.get_slot("reissue_confirmed") is True,
                                 idempotency_key=f"{conversation_id(tracker)}:{message_id}"[:255])
        return await _reply(dispatcher, tracker, step)


class ActionPasswordResetSubmit(Action):
    """Ends the reset flow (the link went out during validation) or names the places to go."""

    def name(self) -> Text:
        return "action_password_reset_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        service = service_of(tracker)
        if tracker.get_slot(STATUS_SLOT) not in ("sent", "not_known", "declined"):
            # Straight after forgot_password the form has asked nothing: its answer was this turn's.
            with session_scope() as session:
                step = flows.password_reset(session, conversation_id(tracker), service, None,
                                            answered=latest_intent(tracker) == "forgot_password")
            _say(dispatcher, step.replies)
        return _clear_slots()


class ActionResendMailSubmit(Action):
    """Ends the resend flow (the mail went out during validation)."""

    def name(self) -> Text:
        return "action_resend_mail_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return _clear_slots()
