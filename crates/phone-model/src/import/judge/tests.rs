use super::*;

fn judge_with(stored: Vec<StoredCustomer>) -> Judge {
    let headings: Vec<String> = ["Reference", "First name", "Surname", "Mobile", "Home", "Primary"]
        .map(String::from)
        .into();
    let mapping = Mapping::guess(&headings);
    Judge::new("B1", headings, mapping, CountryCode::NZ, stored)
}

fn row(cells: [&str; 6]) -> Vec<String> {
    cells.map(String::from).into()
}

fn kinds(verdict: &Verdict) -> Vec<FindingKind> {
    verdict.report.findings.iter().map(|f| f.kind).collect()
}

fn aroha() -> StoredCustomer {
    StoredCustomer {
        customer_id: "1001".into(),
        first_name: "Aroha".into(),
        last_name: "Ngata".into(),
        external_reference: "M-1".into(),
        number_keys: vec!["+64211234567".into()],
    }
}

#[test]
fn a_new_customer_is_made_with_its_first_number_primary() {
    let mut judge = judge_with(Vec::new());
    let verdict =
        judge.judge(2, &row(["M-9", "Tama", "Hohaia", "022 123 4567", "09 264 5555", ""]), true);
    assert_eq!(verdict.report.action, RowAction::Create);
    assert_eq!(kinds(&verdict), []);
    assert_eq!(verdict.writes.len(), 2);
    assert_eq!(verdict.writes[0].1.is_primary, Value::Bool(true));
    assert_eq!(verdict.writes[1].1.is_primary, Value::Bool(false));
    assert_eq!(verdict.writes[1].1.phone_type, Value::text("home"));
    // A later row with the same reference adds to the customer the file makes.
    let later = judge.judge(3, &row(["M-9", "Tama", "Hohaia", "027 555 1234", "", ""]), true);
    assert_eq!(later.report.action, RowAction::Add);
    assert_eq!(later.customer, verdict.customer);
    assert_eq!(judge.customer_id(verdict.customer.unwrap()), None, "not made yet");
}

#[test]
fn a_stored_customer_is_found_by_reference_and_its_numbers_are_not_added_again() {
    let mut judge = judge_with(vec![aroha()]);
    let verdict = judge.judge(2, &row(["M-1", "Aroha", "Ngata", "211234567", "", ""]), true);
    assert_eq!(verdict.report.action, RowAction::Nothing);
    assert_eq!(kinds(&verdict), [FindingKind::Repaired, FindingKind::AlreadyStored]);
    assert_eq!(verdict.report.customer_id.as_deref(), Some("1001"));
    // Without a reference, by name and number.
    let again =
        judge.judge(3, &row(["", "aroha", "NGATA", "021 123 4567", "09 264 5555", ""]), true);
    assert_eq!(again.report.action, RowAction::Add);
    assert_eq!(kinds(&again), [FindingKind::AlreadyStored]);
    assert_eq!(again.writes.len(), 1);
}

#[test]
fn a_declined_repair_leaves_the_number_out() {
    let mut judge = judge_with(Vec::new());
    let verdict = judge.judge(2, &row(["", "Tama", "Hohaia", "211234567", "", ""]), false);
    assert_eq!(kinds(&verdict), [FindingKind::Repaired, FindingKind::NoPrimary]);
    assert_eq!(verdict.report.action, RowAction::Refused);
    assert!(verdict.report.findings[0].message.contains("Accept the repair"));
}

#[test]
fn problems_are_said_per_row_in_a_persons_words() {
    let mut judge = judge_with(vec![aroha()]);
    let lost = judge.judge(2, &row(["", "Tama", "", "6.42E+10", "", ""]), true);
    assert_eq!(lost.report.action, RowAction::Refused);
    assert!(lost.report.findings[0].message.contains("last digits are lost"), "{lost:?}");
    let shared = judge.judge(3, &row(["M-7", "Mere", "Ngata", "021 123 4567", "", ""]), true);
    assert_eq!(kinds(&shared), [FindingKind::SharedNumber]);
    assert_eq!(shared.report.findings[0].message, "Aroha Ngata has this number too.");
    let twice = judge.judge(4, &row(["M-8", "Hone", "", "021 999 8888", "0219998888", ""]), true);
    // A mobile number in the home column is a warning, as the API's would be.
    assert_eq!(kinds(&twice), [FindingKind::Warning, FindingKind::DuplicateInFile]);
    let nameless = judge.judge(5, &row(["", "", "", "021 777 8888", "", ""]), true);
    assert_eq!(nameless.report.action, RowAction::Refused);
    let primaries = [
        judge.judge(6, &row(["M-1", "", "", "027 111 2222", "", "yes"]), true),
        judge.judge(7, &row(["M-1", "", "", "027 111 3333", "", "yes"]), true),
    ];
    assert_eq!(kinds(&primaries[0]), []);
    assert_eq!(kinds(&primaries[1]), [FindingKind::TwoPrimaries]);
    // Applied again: row 6's number is stored now, row 7's (refused) is not. Row 7 is still
    // the second claim, though row 6 writes nothing.
    let mut again = judge_with(vec![StoredCustomer {
        number_keys: vec!["+64211234567".into(), "+64271112222".into()],
        ..aroha()
    }]);
    let first = again.judge(6, &row(["M-1", "", "", "027 111 2222", "", "yes"]), true);
    assert_eq!(kinds(&first), [FindingKind::AlreadyStored]);
    let second = again.judge(7, &row(["M-1", "", "", "027 111 3333", "", "yes"]), true);
    assert_eq!(kinds(&second), [FindingKind::TwoPrimaries]);
    let counts = judge.counts();
    assert_eq!((counts.rows, counts.refused, counts.new_customers), (6, 3, 2));
}
