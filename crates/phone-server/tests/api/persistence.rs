//! What was answered is kept: a restarted server has everything.

use reqwest::StatusCode;

use crate::server::{TestServer, read};

#[tokio::test]
async fn a_server_restarted_on_the_same_file_has_everything() {
    let server = TestServer::start().await;
    let customer = server.customer("Ana").await;
    let id = server.number(&customer, "021", "123 4567", true).await;
    let before = server.all_numbers(&customer).await;
    let (_, page) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers?limit=1")).await).await;
    let cursor = page["responseMetadata"]["nextCursor"].as_str().unwrap().to_owned();

    let server = server.restart().await;

    assert_eq!(server.all_numbers(&customer).await, before);
    let (status, number) =
        read(server.get(&format!("/customers/{customer}/phoneNumbers/{id}")).await).await;
    assert_eq!((status, &number["isPrimary"]), (StatusCode::OK, &serde_json::json!(true)));
    // Cursors survive a restart: the key that signs them is in the database.
    let (status, _) = read(
        server
            .get(&format!("/customers/{customer}/phoneNumbers?limit=1&nextCursor={cursor}"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let phone_store::Location::Sqlite(file) = server.database() {
        assert!(file.exists());
    }
}
