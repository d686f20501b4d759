use super::*;

fn client(name: &str) -> Caller {
    Caller::Client(name.to_owned())
}

fn staff(name: &str) -> Caller {
    Caller::User(name.to_owned())
}

/// How many of `tries` requests `asker` may send at `now`, one after another.
fn sent(budget: &Budget, asker: Asker<'_>, tries: usize, now: Instant) -> usize {
    (0..tries).take_while(|_| budget.take(asker, now).is_ok()).count()
}

/// The provider's answer saying its window allows `limit`, has `remaining` left and resets
/// a minute after `epoch`.
fn window(limit: u32, remaining: u32, epoch: Duration) -> Said {
    Said {
        limit: Some(limit),
        remaining: Some(remaining),
        reset: Some(epoch.as_secs() + 60),
        retry_after: None,
    }
}

#[test]
fn a_burst_of_one_seconds_worth_then_one_at_the_rate() {
    let budget = Budget::new(10.0, Shares::percent(100, 0));
    let (ana, start) = (staff("ana"), Instant::now());
    assert_eq!(sent(&budget, Asker::Staff(&ana), 20, start), 10);
    let held = budget.take(Asker::Staff(&ana), start).expect_err("the bucket is empty");
    assert!((held.wait.as_secs_f64() - 0.1).abs() < 1e-9, "{held:?}");
    assert_eq!(held.by, Holder::Everyone);
    assert_eq!(budget.take(Asker::Staff(&ana), start + Duration::from_millis(100)), Ok(()));
}

#[test]
fn the_sync_leaves_half_the_bucket_to_people() {
    let budget = Budget::new(10.0, Shares::percent(100, 25));
    let now = Instant::now();
    assert_eq!(sent(&budget, Asker::Sync, 10, now), 5);
    assert_eq!(sent(&budget, Asker::Staff(&staff("ana")), 10, now), 5);
}

#[test]
fn one_caller_gets_its_share_of_the_rate_and_another_caller_is_served() {
    let budget = Budget::new(20.0, Shares::percent(25, 25));
    let (hammer, other, now) = (client("hammer"), client("other"), Instant::now());
    assert_eq!(sent(&budget, Asker::Client(&hammer), 20, now), 5);
    let held = budget.take(Asker::Client(&hammer), now).expect_err("over its share");
    assert_eq!(held.by, Holder::Share);
    assert!((held.wait.as_secs_f64() - 0.2).abs() < 1e-9, "a fifth of a second: {held:?}");
    assert_eq!(sent(&budget, Asker::Client(&other), 20, now), 5, "its own share, whole");
}

#[test]
fn api_clients_leave_the_staff_reserve_of_the_rate() {
    let budget = Budget::new(20.0, Shares::percent(100, 25));
    let now = Instant::now();
    assert_eq!(sent(&budget, Asker::Client(&client("busy")), 20, now), 15);
    let held = budget.take(Asker::Client(&client("another")), now).expect_err("the reserve");
    assert_eq!(held.by, Holder::Share);
    assert_eq!(sent(&budget, Asker::Staff(&staff("ana")), 20, now), 5, "the reserve, whole");
}

#[test]
fn each_caller_gets_its_share_of_the_providers_window_until_it_ends() {
    let budget = Budget::new(1000.0, Shares::percent(25, 25));
    let (now, epoch) = (Instant::now(), Duration::from_secs(1_000_000));
    budget.heard(StatusCode::OK, &window(20, 19, epoch), now, epoch);
    let (hammer, other) = (client("hammer"), client("other"));
    assert_eq!(sent(&budget, Asker::Client(&hammer), 20, now), 5, "a quarter of 20");
    let held = budget.take(Asker::Client(&hammer), now).expect_err("over its share");
    assert_eq!(held, Held { wait: Duration::from_secs(60), by: Holder::Share });
    assert_eq!(budget.allowance(), 5, "what the gateway's 429 says the caller's limit is");
    assert_eq!(sent(&budget, Asker::Client(&other), 20, now), 5);
    // Once the window is over, its counts are: the hammer has a share again.
    let later = now + Duration::from_secs(60);
    assert_eq!(budget.take(Asker::Client(&hammer), later), Ok(()));
}

#[test]
fn what_was_sent_before_the_next_window_was_told_counts_in_its_share() {
    let budget = Budget::new(1000.0, Shares::percent(25, 25));
    let (now, epoch) = (Instant::now(), Duration::from_secs(1_000_000));
    budget.heard(StatusCode::OK, &window(20, 19, epoch), now, epoch);
    let hammer = client("hammer");
    // The window ends; the hammer's first request of the next goes before its answer tells it.
    let (later, next) = (now + Duration::from_secs(60), epoch + Duration::from_secs(60));
    assert_eq!(budget.take(Asker::Client(&hammer), later), Ok(()));
    budget.heard(StatusCode::OK, &window(20, 19, next), later, next);
    assert_eq!(sent(&budget, Asker::Client(&hammer), 20, later), 4, "5 in all, that one too");
    // An answer that tells no window forgets what was unplaced: nothing can count it.
    let (after, last) = (later + Duration::from_secs(60), next + Duration::from_secs(60));
    assert_eq!(budget.take(Asker::Client(&hammer), after), Ok(()));
    budget.heard(StatusCode::OK, &Said::default(), after, last);
    budget.heard(StatusCode::OK, &window(20, 20, last), after, last);
    assert_eq!(sent(&budget, Asker::Client(&hammer), 20, after), 5);
}

#[test]
fn api_clients_and_the_sync_leave_their_parts_of_the_providers_window() {
    let budget = Budget::new(1000.0, Shares::percent(100, 25));
    let (now, epoch) = (Instant::now(), Duration::from_secs(1_000_000));
    budget.heard(StatusCode::OK, &window(20, 20, epoch), now, epoch);
    assert_eq!(sent(&budget, Asker::Sync, 20, now), 10, "half of 20 left to people");
    assert_eq!(sent(&budget, Asker::Client(&client("busy")), 20, now), 5, "down to 5");
    let held = budget.take(Asker::Client(&client("another")), now).expect_err("the reserve");
    assert_eq!(held, Held { wait: Duration::from_secs(60), by: Holder::Share });
    // Staff use the reserve, and past it too: that the window is spent is the provider's to say.
    assert_eq!(sent(&budget, Asker::Staff(&staff("ana")), 20, now), 20);
}

#[test]
fn nothing_goes_while_the_provider_says_its_window_is_spent() {
    let budget = Budget::new(100.0, a_quarter_each());
    let (ana, now, epoch) = (staff("ana"), Instant::now(), Duration::from_secs(1_000_000));
    budget.heard(StatusCode::OK, &window(100, 3, epoch), now, epoch);
    assert_eq!(budget.take(Asker::Staff(&ana), now), Ok(()), "some were left");
    budget.heard(StatusCode::OK, &window(100, 0, epoch), now, epoch);
    let held = budget.take(Asker::Staff(&ana), now).expect_err("spent");
    assert_eq!(held, Held { wait: Duration::from_secs(60), by: Holder::Everyone });
    assert_eq!(budget.take(Asker::Staff(&ana), now + Duration::from_secs(60)), Ok(()));
}

#[test]
fn a_429_pauses_everyone_for_what_the_provider_asked_and_no_longer() {
    let budget = Budget::new(100.0, a_quarter_each());
    let (hammer, other) = (client("hammer"), client("other"));
    let (now, epoch) = (Instant::now(), Duration::from_millis(1_000_000_400));
    // Its window resets in an hour, but it asks for a second's pause.
    let said = Said { retry_after: Some(1), ..window(100, 0, epoch + Duration::from_secs(3540)) };
    budget.heard(StatusCode::TOO_MANY_REQUESTS, &said, now, epoch);
    for caller in [&hammer, &other] {
        let held = budget.take(Asker::Client(caller), now).expect_err("paused");
        assert_eq!(held, Held { wait: Duration::from_secs(1), by: Holder::Everyone });
    }
    // After it, the window's reckoning holds nobody back until the provider says again, and
    // the caller whose request met the 429 is served like any other.
    let after = now + Duration::from_secs(1);
    assert_eq!(budget.take(Asker::Client(&other), after), Ok(()));
    assert_eq!(budget.take(Asker::Client(&hammer), after), Ok(()));
}

#[test]
fn the_sync_goes_at_a_rate_of_one_a_minute_too() {
    let budget = Budget::new(1.0 / 60.0, a_quarter_each());
    let now = Instant::now();
    assert_eq!(budget.take(Asker::Sync, now), Ok(()), "the bucket's one token");
    let held = budget.take(Asker::Sync, now).expect_err("empty");
    assert!((held.wait.as_secs_f64() - 60.0).abs() < 1e-6, "{held:?}");
}

#[test]
fn the_buckets_of_callers_who_stopped_are_forgotten() {
    let budget = Budget::new(1_000_000.0, a_quarter_each());
    let now = Instant::now();
    for n in 0..=CALLERS_KEPT {
        assert_eq!(budget.take(Asker::Client(&client(&n.to_string())), now), Ok(()));
    }
    let later = now + Duration::from_secs(1);
    assert_eq!(budget.take(Asker::Client(&client("late")), later), Ok(()));
    let kept = budget.state.lock().unwrap().callers.len();
    assert_eq!(kept, 1, "only the one whose bucket is not full again");
}

/// A quarter of each budget per caller and for staff: the arithmetic these tests count on
/// (the server's default share per caller is half).
fn a_quarter_each() -> Shares {
    Shares::percent(25, 25)
}
