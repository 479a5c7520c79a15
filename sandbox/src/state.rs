//! The running sandbox: the store behind a lock, the fault rules, the log of
//! API requests (so tests can assert what the console sent), and persistence.

use crate::error::ApiError;
use crate::faults::FaultRule;
use crate::model::{Account, Store};
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// How many API requests the log keeps (oldest dropped first).
const LOG_CAPACITY: usize = 20_000;

#[derive(Clone, Debug, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    /// Relative to `/api/app`.
    pub path: String,
    pub body: serde_json::Value,
    pub status: u16,
}

pub struct Sandbox {
    /// Read-mostly: listings read it in parallel, writes take it alone.
    store: RwLock<Store>,
    /// Moved on by every `StoreWrite`.
    revision: AtomicU64,
    /// What the listings keep between requests (see `routes::listings`).
    pub(crate) listings: crate::routes::Listings,
    faults: Mutex<Vec<FaultRule>>,
    switches: Mutex<crate::switches::Switches>,
    log: Mutex<VecDeque<LoggedRequest>>,
    rng: Mutex<fastrand::Rng>,
    state_file: Option<PathBuf>,
    pub dist: Option<PathBuf>,
    /// Served in `config.json`, so tests and demos can shorten the idle lock.
    pub idle_lock_seconds: Option<u64>,
    /// Another API the served console points at (see `Options::console_api`).
    pub console_api: Option<String>,
    /// Served in `config.json` as `policy`.
    pub policy: Option<serde_json::Value>,
    /// API requests being answered at once, and the peak.
    pub in_flight: crate::gauge::Gauge,
}

pub type Shared = Arc<Sandbox>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means a handler panicked; the data is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sandbox {
    pub fn new(store: Store, options: &crate::Options) -> Shared {
        Arc::new(Sandbox {
            store: RwLock::new(store),
            revision: AtomicU64::new(0),
            listings: Default::default(),
            faults: Mutex::new(options.faults.clone()),
            switches: Mutex::new(options.switches.clone()),
            log: Mutex::new(VecDeque::new()),
            rng: Mutex::new(fastrand::Rng::with_seed(options.seed.seed ^ 0x5eed)),
            state_file: options.state_file.clone(),
            dist: options.dist.clone(),
            idle_lock_seconds: options.idle_lock_seconds,
            console_api: options.console_api.clone(),
            policy: options.policy.clone(),
            in_flight: crate::gauge::Gauge::default(),
        })
    }

    /// The behaviour switches as they stand (a copy: handlers read, never hold).
    pub fn switches(&self) -> crate::switches::Switches {
        lock(&self.switches).clone()
    }

    pub fn update_switches(&self, update: crate::switches::SwitchesUpdate) -> crate::switches::Switches {
        let mut switches = lock(&self.switches);
        switches.apply(update);
        switches.clone()
    }

    /// The store for writing. Whatever is done through it moves the store's
    /// revision on (see `StoreWrite`).
    pub fn store(&self) -> StoreWrite<'_> {
        StoreWrite { guard: self.store_unrevised(), revision: &self.revision }
    }

    fn store_unrevised(&self) -> RwLockWriteGuard<'_, Store> {
        // A poisoned lock only means a handler panicked; the data is still usable.
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// How many times the store has been written to. Stable while a read
    /// guard is held: what is worked out from the store under one may be
    /// kept until this moves on.
    pub fn revision(&self) -> u64 {
        self.revision.load(Ordering::Acquire)
    }

    /// For handlers that only read: several run at once.
    pub fn store_read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Authenticates a request that only reads. The caller is checked under
    /// the shared lock; the exclusive one is taken only when its `last_used`
    /// moves on to a new second (the API shows whole seconds). Taking it on
    /// every listing queued the access matrix's twelve parallel listings
    /// behind each other: each waited for the others' serialising to end.
    pub fn authenticate_reader(&self, headers: &HeaderMap, now: DateTime<Utc>) -> Result<Account, ApiError> {
        {
            let store = self.store_read();
            let caller = crate::auth::caller(&store, headers, now)?;
            if crate::auth::marked_used_at(caller, now) {
                return Ok(caller.clone());
            }
        }
        // Marking an account used changes only its own fields, which what is
        // kept from the store checks account by account (`routes::kept`) or
        // by the marks noted here, under the same write guard
        // (`routes::used_marks`): the revision stays, so the listings worked
        // out stay too.
        let mut store = self.store_unrevised();
        let caller = crate::auth::authenticate(&mut store, headers, now)?;
        self.listings.note_used(caller.id);
        Ok(caller)
    }

    pub fn faults(&self) -> MutexGuard<'_, Vec<FaultRule>> {
        lock(&self.faults)
    }

    pub fn rng(&self) -> MutexGuard<'_, fastrand::Rng> {
        lock(&self.rng)
    }

    pub fn record(&self, entry: LoggedRequest) {
        let mut log = lock(&self.log);
        if log.len() == LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.log).iter().cloned().collect()
    }

    pub fn clear_requests(&self) {
        lock(&self.log).clear();
    }

    /// Writes the store to the state file, when one was given. Called after
    /// every change; a failure is reported but does not fail the request.
    pub fn persist(&self, store: &Store) {
        let Some(path) = &self.state_file else { return };
        let written = serde_json::to_vec(store)
            .map_err(|e| e.to_string())
            .and_then(|bytes| std::fs::write(path, bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("sandbox: could not save state to {}: {e}", path.display());
        }
    }
}

/// The store held for writing. When it is let go, the store's revision moves
/// on, while still held: a reader never sees new data under an old revision.
pub struct StoreWrite<'a> {
    guard: RwLockWriteGuard<'a, Store>,
    revision: &'a AtomicU64,
}

impl Deref for StoreWrite<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.guard
    }
}

impl DerefMut for StoreWrite<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.guard
    }
}

impl Drop for StoreWrite<'_> {
    fn drop(&mut self) {
        self.revision.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{demo_store, SeedOptions, DEMO_ADMIN};
    use base64::Engine;

    fn signed_in_as_admin() -> HeaderMap {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", DEMO_ADMIN.username, DEMO_ADMIN.secret));
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::AUTHORIZATION, format!("Basic {token}").parse().unwrap());
        headers
    }

    #[test]
    fn writes_move_the_revision_on_and_marking_a_reader_used_does_not() {
        let now = Utc::now();
        let options = crate::Options { seed: SeedOptions { seed: 3, accounts: 20, projects: 2 }, ..Default::default() };
        let sandbox = Sandbox::new(demo_store(&options.seed, now), &options);
        let before = sandbox.revision();
        sandbox.store().projects.clear();
        assert_eq!(sandbox.revision(), before + 1);

        let later = now + chrono::Duration::seconds(5);
        let caller = sandbox.authenticate_reader(&signed_in_as_admin(), later).unwrap();
        assert_eq!(caller.last_used, Some(later));
        assert_eq!(sandbox.store_read().accounts[&caller.id].last_used, Some(later));
        assert_eq!(sandbox.revision(), before + 1);
    }
}
