//! A Mixpanel-compatible App API server with deterministic demo data, fault
//! injection and CORS, serving the console's build on the same origin.

pub mod auth;
pub mod control;
pub mod cors;
pub mod error;
pub mod faults;
pub mod gauge;
pub mod kit_headers;
pub mod middleware;
pub mod model;
mod routes;
pub mod seed;
pub mod state;
pub mod static_files;
pub mod switches;
pub mod validate;

use axum::extract::Request;
use axum::{Router, ServiceExt};
use std::net::SocketAddr;
use std::path::PathBuf;
use tower::Layer;
use tower_http::normalize_path::NormalizePathLayer;

pub use faults::{Fault, FaultRule};
pub use seed::{SeedOptions, DEMO_ADMIN, DEMO_ANALYST, DEMO_OWNER, MAIN_ORG, NO_ROLE_ORG, SECOND_ORG};
pub use state::{LoggedRequest, Sandbox, Shared};

#[derive(Clone, Debug)]
pub struct Options {
    pub addr: SocketAddr,
    pub seed: SeedOptions,
    pub dist: Option<PathBuf>,
    pub state_file: Option<PathBuf>,
    pub faults: Vec<FaultRule>,
    pub idle_lock_seconds: Option<u64>,
    pub switches: switches::Switches,
    /// Serve the console pointed at another API (its base URL, e.g. another
    /// sandbox's `/api/app`), as a console hosted apart from its API: that
    /// origin joins the CSP's connect-src, and CORS is what the API answers.
    pub console_api: Option<String>,
    /// A `policy` object for the console's config.json (see the README).
    pub policy: Option<serde_json::Value>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: SeedOptions::default(),
            dist: None,
            state_file: None,
            faults: Vec::new(),
            idle_lock_seconds: None,
            switches: switches::Switches::default(),
            console_api: None,
            policy: None,
        }
    }
}

pub fn router(sandbox: Shared) -> Router {
    // CORS on the API only (outermost there, so injected failures still reach
    // a browser readably). The control routes and the console get none.
    let api = routes::api()
        .layer(axum::middleware::from_fn_with_state(sandbox.clone(), middleware::api_layer))
        .layer(axum::middleware::from_fn_with_state(sandbox.clone(), cors::api_cors));
    let control = control::routes().layer(axum::middleware::from_fn(control::same_origin_only));
    Router::new()
        .nest("/api/app", api)
        .nest("/__sandbox", control)
        .merge(
            static_files::routes(&sandbox)
                .layer(axum::middleware::from_fn_with_state(sandbox.clone(), static_files::kit_headers)),
        )
        .with_state(sandbox)
}

fn load_or_seed(options: &Options) -> std::io::Result<model::Store> {
    if let Some(path) = options.state_file.as_ref().filter(|p| p.exists()) {
        let bytes = std::fs::read(path)?;
        return serde_json::from_slice(&bytes).map_err(std::io::Error::other);
    }
    Ok(seed::demo_store(&options.seed, chrono::Utc::now()))
}

/// A sandbox serving on a background task until dropped with the runtime.
pub struct Running {
    pub addr: SocketAddr,
    pub sandbox: Shared,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn api_url(&self) -> String {
        format!("http://{}/api/app", self.addr)
    }
}

pub async fn start(options: Options) -> std::io::Result<Running> {
    let store = load_or_seed(&options)?;
    let sandbox = Sandbox::new(store, &options);
    let listener = tokio::net::TcpListener::bind(options.addr).await?;
    let addr = listener.local_addr()?;
    // Trailing-slash forms (which Mixpanel redirects to) reach the same routes.
    let app = NormalizePathLayer::trim_trailing_slash().layer(router(sandbox.clone()));
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, ServiceExt::<Request>::into_make_service(app)).await {
            eprintln!("sandbox: server stopped: {e}");
        }
    });
    Ok(Running { addr, sandbox })
}
