//! `phone-server`: read the configuration, open the database, serve until told to stop.

use std::{net::SocketAddr, process::ExitCode, time::Duration};

use axum::http::HeaderValue;
use clap::Parser;
use phone_server::{
    AppOptions, AppState, RateLimit, app,
    config::{Config, LogFormat},
    demo,
    store::Store,
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    match config.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt().json().with_env_filter(filter).init(),
    }
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&config.database)?;
    if config.demo {
        if demo::seed_if_empty(&store)? {
            tracing::info!("seeded demonstration customers");
        } else {
            tracing::info!("the database holds data: no demonstration customers added");
        }
    }
    let cors_origins = config
        .cors_origins
        .iter()
        .map(|origin| HeaderValue::from_str(origin))
        .collect::<Result<_, _>>()?;
    let rate_limit =
        RateLimit { limit: config.rate_limit, window: Duration::from_secs(config.rate_window) };
    let options = AppOptions { app_dir: config.app_dir, cors_origins, rate_limit };
    let listener = tokio::net::TcpListener::bind(config.address).await?;
    tracing::info!(
        "Phonedesk on http://{} (database {})",
        listener.local_addr()?,
        config.database.display()
    );
    let state = AppState::new(store);
    // In-flight requests finish; then the state, and with it the database, is dropped.
    // Connection addresses let callers without credentials be rate-limited one by one.
    let service = app(state, &options).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        () = terminate => {},
    }
}
