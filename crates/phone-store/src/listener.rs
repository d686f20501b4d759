//! PostgreSQL's `LISTEN`: a connection of its own that hears the notifications every server on
//! the database sends (`NOTIFY`, delivered as each transaction commits), for as long as it is
//! wanted, made again when it is lost.

use std::time::Duration;

use tokio_postgres::{AsyncMessage, NoTls};

use super::postgres::{Engine, RUNTIME};

impl Engine {
    /// Calls `heard` with the payload of every notification on `channel` (`NOTIFY`, sent by
    /// any server on this database as its transaction commits), from a connection of its own,
    /// for as long as `heard` returns `true`; a lost connection is made again a second later,
    /// and each time the connection starts listening `heard` is called with `""` (what was
    /// sent meanwhile went unheard).
    pub fn listen(
        &self,
        channel: &'static str,
        heard: impl Fn(&str) -> bool + Send + Sync + 'static,
    ) {
        let config = self.config.clone();
        RUNTIME.spawn(async move {
            loop {
                match listen_once(&config, channel, &heard).await {
                    Ok(()) => return,
                    Err(error) => tracing::warn!(
                        "PostgreSQL connection listening for {channel} ended: {error}; listening \
                         again in a second"
                    ),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}

/// One connection's `LISTEN`, until `heard` says stop (`Ok`) or the connection fails.
async fn listen_once(
    config: &tokio_postgres::Config,
    channel: &str,
    heard: &(impl Fn(&str) -> bool + Send + Sync),
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (told, mut notifications) = tokio::sync::mpsc::unbounded_channel();
    // The connection's messages are read here, apart from the client's calls.
    let reading = tokio::spawn(async move {
        while let Some(message) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            if let AsyncMessage::Notification(notification) = message?
                && told.send(notification.payload().to_owned()).is_err()
            {
                break;
            }
        }
        Ok::<(), tokio_postgres::Error>(())
    });
    client.batch_execute(&format!("LISTEN {channel}")).await?;
    // Listening now: what was sent before went unheard, and its listener looks again.
    if !heard("") {
        reading.abort();
        return Ok(());
    }
    while let Some(payload) = notifications.recv().await {
        if !heard(&payload) {
            reading.abort();
            return Ok(());
        }
    }
    // The connection ended: why, from its reader.
    match reading.await {
        Ok(Err(error)) => Err(error.into()),
        _ => Err("the server closed the connection".into()),
    }
}
