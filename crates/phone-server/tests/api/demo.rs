//! Demonstration data: seeded into a new database only, with numbers of every type.

use std::collections::BTreeSet;

use phone_model::{Businesses, PageSize};
use phone_server::demo;
use phone_store::{CustomerFilter, Store};

#[test]
fn a_new_database_gets_seventeen_customers_with_numbers_of_every_type_and_a_used_one_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::create(&crate::server::new_database(folder.path())).unwrap();

    assert!(demo::seed_if_empty(&store).unwrap());

    let all = Businesses::All;
    let customers =
        store.customers(&CustomerFilter::default(), &all, 0, PageSize::MAX).unwrap().items;
    assert_eq!(customers.len(), 17);
    let mut types = BTreeSet::new();
    let mut countries = BTreeSet::new();
    for customer in &customers {
        let numbers =
            store.phone_numbers(&customer.customer_id, &all, 0, PageSize::MAX).unwrap().items;
        assert_eq!(numbers.iter().filter(|n| n.is_primary).count(), 1, "{}", customer.first_name);
        types.extend(numbers.iter().map(|n| n.phone_type.as_str()));
        countries.extend(numbers.iter().map(|n| n.country_code.as_str()));
    }
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        ["emergency", "fax", "home", "mobile", "work"]
    );
    assert_eq!(countries.into_iter().collect::<Vec<_>>(), ["+61", "+64"]);

    assert!(!demo::seed_if_empty(&store).unwrap(), "a database with data is never seeded");
    assert_eq!(
        store.customers(&CustomerFilter::default(), &all, 0, PageSize::MAX).unwrap().items.len(),
        17
    );
}

#[test]
fn the_demo_gives_the_review_something_of_every_problem_but_an_unknown_code() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::create(&crate::server::new_database(folder.path())).unwrap();
    demo::seed_if_empty(&store).unwrap();
    let review = store.review(None, false, &Businesses::All, 0, PageSize::MAX).unwrap();
    let counts: Vec<(&str, i64)> = review.counts.iter().map(|(p, n)| (p.as_str(), *n)).collect();
    // Tama's and Maia's mobiles saved as home, Leo's landline saved as a mobile; Grace's
    // impossible number; the flat's number, John's and Ruby's.
    assert_eq!(
        counts,
        [
            ("notInPlan", 1),
            ("otherCountry", 0),
            ("wrongType", 3),
            ("unknownCountryCode", 0),
            ("sharedNumber", 2)
        ]
    );
}
