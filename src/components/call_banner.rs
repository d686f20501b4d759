//! The incoming-call banner: while someone is signed in, the calls of their businesses as the
//! phone system reports them (`GET /callEvents`, Server-Sent Events), newest first, each with a
//! link to the caller. It never takes focus; a polite live region says one sentence per new
//! call.

use std::time::Duration;

use leptos::prelude::*;
use phone_model::{CallEvent, CallState, CountryCode, ParsedNumber, written_country};
use wasm_bindgen::{JsCast, prelude::*};
use web_sys::{EventSource, MessageEvent};

use crate::{api, plans::Plans};

/// How long an ended call stays on the banner, unless dismissed.
const ENDED_SHOWN: Duration = Duration::from_secs(30);

/// The country whose numbers are written nationally: the app's own (the number form's default
/// country); another country's number is written internationally, so its country shows.
const HOME: CountryCode = CountryCode::NZ;

/// The calls on the banner, newest first, and those the person dismissed (with the time of
/// the event they dismissed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calls {
    shown: Vec<CallEvent>,
    dismissed: Vec<(String, i64)>,
}

/// Which call an event is of: its business's and its `callId`, which a phone system without
/// ids of its own gives as the caller's number (so two businesses' calls never merge).
pub fn call_key(event: &CallEvent) -> String {
    format!("{}\u{1f}{}", event.business.business_id, event.call_id)
}

impl Calls {
    /// Takes a call's event in: a new call goes on top, a later event of a call on the banner
    /// replaces its last (an earlier one, replayed, does not). A call dismissed, or one that
    /// ended, rings again as a new call when a later `ringing` comes with its key (the same
    /// caller, from a phone system that has no call ids). Whether the call is new.
    pub fn take(&mut self, event: CallEvent) -> bool {
        let key = call_key(&event);
        let rings_again = |at: i64| event.state == CallState::Ringing && event.at > at;
        if let Some(at) = self.dismissed.iter().find(|(k, _)| *k == key).map(|(_, at)| *at) {
            if !rings_again(at) {
                return false;
            }
            self.dismissed.retain(|(k, _)| *k != key);
        }
        match self.shown.iter().position(|shown| call_key(shown) == key) {
            Some(at)
                if self.shown[at].state == CallState::Ended && rings_again(self.shown[at].at) =>
            {
                self.shown.remove(at);
                self.shown.insert(0, event);
                true
            }
            Some(at) => {
                if event.at >= self.shown[at].at {
                    self.shown[at] = event;
                }
                false
            }
            None => {
                self.shown.insert(0, event);
                true
            }
        }
    }

    /// The last event of a call on the banner, by its key.
    pub fn get(&self, key: &str) -> Option<&CallEvent> {
        self.shown.iter().find(|shown| call_key(shown) == key)
    }

    /// Takes a call off the banner, until it rings again.
    pub fn dismiss(&mut self, key: &str) {
        let at = self.get(key).map_or(0, |shown| shown.at);
        self.shown.retain(|shown| call_key(shown) != key);
        self.dismissed.push((key.to_owned(), at));
    }

    /// Takes a call off the banner if it has ended.
    pub fn forget_ended(&mut self, key: &str) {
        self.shown.retain(|shown| call_key(shown) != key || shown.state != CallState::Ended);
    }
}

/// What the banner says of a call, and where its links lead (in-app paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// "Incoming call from 021 123 4567 — Aroha Ngata (Physio Plus)".
    pub sentence: String,
    /// Each link's words and path.
    pub links: Vec<(&'static str, String)>,
}

/// What the banner says of a call: who is calling, or that the number is unknown.
pub fn said(event: &CallEvent) -> Said {
    let (number, dialable) = caller_number(event);
    let search = ("Search", format!("/?q={}", encoded(dialable.as_ref().unwrap_or(&event.from))));
    match event.callers.as_slice() {
        [] => {
            // A number that cannot be read ("anonymous") has nothing to search for or keep.
            let links = dialable.map_or_else(Vec::new, |dialable| {
                let new = format!("/customers/new?number={}", encoded(&dialable));
                vec![search, ("New customer", new)]
            });
            Said { sentence: format!("Unknown caller {number}"), links }
        }
        [first, rest @ ..] => {
            let name = [first.first_name.as_str(), &first.last_name]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let mut sentence =
                format!("Incoming call from {number} — {name} ({})", first.business.name);
            let open = match rest.len() {
                0 => ("Open", format!("/customers/{}", encoded(&first.customer_id))),
                1 => {
                    sentence.push_str(" and 1 other");
                    ("Open", search.1)
                }
                others => {
                    sentence.push_str(&format!(" and {others} others"));
                    ("Open", search.1)
                }
            };
            Said { sentence, links: vec![open] }
        }
    }
}

/// Where a call is, in words: nothing while it rings (the sentence says so).
pub fn state_words(state: CallState) -> &'static str {
    match state {
        CallState::Ringing => "",
        CallState::Answered => "Answered",
        CallState::Ended => "Call ended",
    }
}

/// The caller's number as staff read it (nationally for [`HOME`], internationally for
/// another country, as sent when it cannot be read), and its E.164 form when it can be read.
fn caller_number(event: &CallEvent) -> (String, Option<String>) {
    let parsed = match event.callers.first() {
        Some(caller) => {
            let number = &caller.phone_number;
            ParsedNumber::parse(number.country_code, &number.area_code, &number.phone_number)
        }
        None => {
            let country = written_country(HOME, &event.from)
                .and_then(|country| CountryCode::new(country.code()).ok());
            ParsedNumber::parse(country.unwrap_or(HOME), "", &event.from)
        }
    };
    match parsed {
        Ok(parsed) if parsed.country_code() == HOME => (parsed.national(), Some(parsed.e164())),
        Ok(parsed) => (parsed.international(), Some(parsed.e164())),
        Err(_) => (event.from.clone(), None),
    }
}

/// `text` percent-encoded for a query value or a path segment.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The banner: one stream of call events while it is mounted (closed when it is unmounted, as
/// signing out does), the calls in a list, and a polite live region for new ones.
#[component]
pub fn CallBanner() -> impl IntoView {
    let calls = RwSignal::new(Calls::default());
    let announced = RwSignal::new(String::new());
    let on_call = Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
        let data = message.data().as_string().unwrap_or_default();
        let Ok(event) = serde_json::from_str::<CallEvent>(&data) else { return };
        let (key, ended) = (call_key(&event), event.state == CallState::Ended);
        let sentence = said(&event).sentence;
        // The banner may have gone (signed out) while the event was on its way.
        if calls.try_update(|calls| calls.take(event)) == Some(true) {
            announced.set(format!("{sentence}."));
        }
        if ended {
            set_timeout(
                move || {
                    calls.try_update(|calls| calls.forget_ended(&key));
                },
                ENDED_SHOWN,
            );
        }
    });
    if let Ok(source) = EventSource::new(&format!("{}/callEvents", api::base_url())) {
        let _ = source.add_event_listener_with_callback("call", on_call.as_ref().unchecked_ref());
        // The listener lives as long as the stream: both go when the banner does.
        let stream = StoredValue::new_local((source, on_call));
        on_cleanup(move || stream.with_value(|(source, _)| source.close()));
    }
    let ids = move || calls.with(|calls| calls.shown.iter().map(call_key).collect::<Vec<_>>());
    view! {
        <section class="calls" aria-label="Calls" data-testid="calls">
            <p class="calls__announced" role="status" aria-live="polite" data-testid="call-announced">
                {move || announced.get()}
            </p>
            <ul class="calls__list">
                <For each=ids key=|id: &String| id.clone() let:id>
                    <Call calls id />
                </For>
            </ul>
        </section>
    }
}

/// One call on the banner, following its events.
#[component]
fn Call(calls: RwSignal<Calls>, id: String) -> impl IntoView {
    let plans = Plans::get();
    let event = {
        let id = id.clone();
        Memo::new(move |_| calls.with(|calls| calls.get(&id).cloned()))
    };
    // Written as the plans write numbers, again once they arrive.
    let words = Memo::new(move |_| {
        plans.track();
        event.get().map(|event| (state_words(event.state), said(&event)))
    });
    // Apart, so that a call's next state leaves its links (and a focus on one) in place.
    let links = Memo::new(move |_| words.get().map(|(_, said)| said.links).unwrap_or_default());
    let ended =
        move || event.with(|event| event.as_ref().map(|e| e.state) == Some(CallState::Ended));
    view! {
        <li class="call" class:call--ended=ended data-testid="call">
            <p class="call__words" data-testid="call-words">
                <strong class="call__state">{move || words.get().map(|(state, _)| state)}</strong>
                " "
                {move || words.get().map(|(_, said)| said.sentence)}
            </p>
            <p class="call__actions">
                {move || links.get().into_iter().map(|(text, href)| view! {
                    <a class="button button--secondary" href=href data-testid="call-link">{text}</a>
                }).collect_view()}
                <button type="button" class="button button--secondary" data-testid="call-dismiss"
                    on:click=move |_| calls.update(|calls| calls.dismiss(&id))>"Dismiss"</button>
            </p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn caller(customer_id: &str, first: &str) -> serde_json::Value {
        json!({
            "customerId": customer_id, "business": {"businessId": "1", "name": "Physio Plus"},
            "firstName": first, "lastName": "Ngata", "externalReference": "",
            "phoneNumber": {"phoneNumberId": "7", "phoneName": first, "countryCode": "+64",
                "areaCode": "", "phoneNumber": "021 123 4567", "phoneType": "mobile",
                "isPrimary": true},
            "e164": "+64211234567", "url": "https://desk.example/customers/42"
        })
    }

    fn event(
        call_id: &str,
        state: &str,
        at: i64,
        from: &str,
        callers: &[serde_json::Value],
    ) -> CallEvent {
        serde_json::from_value(json!({
            "callId": call_id, "business": {"businessId": "1", "name": "Physio Plus"},
            "from": from, "to": "", "extension": "201", "state": state, "at": at,
            "callers": callers
        }))
        .expect("a call event")
    }

    #[track_caller]
    fn says(event: &CallEvent, sentence: &str, links: &[(&str, &str)]) {
        let said = said(event);
        assert_eq!(said.sentence, sentence);
        let said: Vec<_> = said.links.iter().map(|(text, href)| (*text, href.as_str())).collect();
        assert_eq!(said, links);
    }

    #[test]
    fn a_known_caller_is_named_with_their_number_written_nationally() {
        let known = event("c1", "ringing", 1, "+64211234567", &[caller("42", "Aroha")]);
        let sentence = "Incoming call from 021 123 4567 — Aroha Ngata (Physio Plus)";
        says(&known, sentence, &[("Open", "/customers/42")]);
    }

    #[test]
    fn several_callers_name_the_first_and_open_a_search() {
        let two = [caller("42", "Aroha"), caller("43", "Mere")];
        let sentence = "Incoming call from 021 123 4567 — Aroha Ngata (Physio Plus) and 1 other";
        says(
            &event("c1", "ringing", 1, "+64211234567", &two),
            sentence,
            &[("Open", "/?q=%2B64211234567")],
        );
        let three = [caller("42", "Aroha"), caller("43", "Mere"), caller("44", "Hemi")];
        let three = event("c1", "ringing", 1, "+64211234567", &three);
        assert!(said(&three).sentence.ends_with(" and 2 others"));
    }

    #[test]
    fn an_unknown_caller_is_offered_a_search_and_a_new_customer() {
        let links = [
            ("Search", "/?q=%2B64211234567"),
            ("New customer", "/customers/new?number=%2B64211234567"),
        ];
        says(
            &event("c1", "ringing", 1, "+64211234567", &[]),
            "Unknown caller 021 123 4567",
            &links,
        );
        // Another country's number says its country; what cannot be read is shown as sent.
        let uk = event("c2", "ringing", 1, "+44 20 7946 0958", &[]);
        assert_eq!(said(&uk).sentence, "Unknown caller +44 20 7946 0958");
        let hidden = event("c3", "ringing", 1, "anonymous", &[]);
        says(&hidden, "Unknown caller anonymous", &[]);
    }

    #[test]
    fn a_calls_later_events_update_it_in_place_and_new_calls_go_on_top() {
        let key = |id: &str| format!("1\u{1f}{id}");
        let mut calls = Calls::default();
        assert!(calls.take(event("c1", "ringing", 1, "+64211234567", &[])));
        assert!(calls.take(event("c2", "ringing", 2, "+64211234568", &[])));
        assert!(!calls.take(event("c1", "answered", 3, "+64211234567", &[])));
        // A replayed older event changes nothing.
        assert!(!calls.take(event("c1", "ringing", 2, "+64211234567", &[])));
        let order: Vec<_> = calls.shown.iter().map(|c| (c.call_id.as_str(), c.state)).collect();
        assert_eq!(order, [("c2", CallState::Ringing), ("c1", CallState::Answered)]);
        calls.forget_ended(&key("c1"));
        assert!(calls.get(&key("c1")).is_some(), "an answered call stays");
        calls.take(event("c1", "ended", 4, "+64211234567", &[]));
        calls.forget_ended(&key("c1"));
        assert!(calls.get(&key("c1")).is_none());
        calls.dismiss(&key("c2"));
        assert!(!calls.take(event("c2", "answered", 5, "+64211234568", &[])), "dismissed");
        assert!(calls.shown.is_empty());
        // Without call ids a caller's number is the id: their next call rings again.
        assert!(calls.take(event("c2", "ringing", 6, "+64211234568", &[])), "a new call");
        assert!(!calls.take(event("c2", "ended", 7, "+64211234568", &[])));
        assert!(calls.take(event("c2", "ringing", 8, "+64211234568", &[])), "and another");
        assert_eq!(calls.shown.len(), 1);
    }
}
