//! The one way pages and dialogs run async work.
//!
//! A component makes a [`Tasks`] in its body (so it belongs to the
//! component's reactive owner) and starts every request through it. Each run
//! gets its own `AbortSignal` for its fetches, and:
//! - when the owner is cleaned up (navigation, dialog closed, sign-out) every
//!   run is aborted: its fetches are cancelled and its future is dropped, so
//!   it is **never polled again** and cannot touch a disposed signal;
//! - a run started with [`Tasks::replace`] aborts the earlier run of the same
//!   key (a reload replaces the load before it);
//! - a run cannot start once the owner is gone.
//!
//! Why not `Action`/`LocalResource` alone: in Leptos 0.8 neither aborts a
//! running future when its owner is disposed (an Action's future runs to the
//! end and writes into whatever it captured), and the console's loads report
//! progress as they go. This is a thin layer over Leptos' own `spawn_local`
//! and owner cleanup, plus `futures`' `Abortable`.
//!
//! Callbacks a run hands to a workflow still write with `try_*`/`set`, which
//! never panic on a disposed signal; reads after an `await` use `try_*` too.

use futures::future::{abortable, AbortHandle};
use leptos::prelude::*;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use web_sys::{AbortController, AbortSignal};

struct Run {
    key: Option<&'static str>,
    handle: AbortHandle,
    controller: AbortController,
    finished: Rc<Cell<bool>>,
}

impl Run {
    fn stop(&self) {
        self.handle.abort();
        self.controller.abort();
    }
}

/// The runs of one owner. Cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Tasks {
    runs: StoredValue<Vec<Run>, LocalStorage>,
}

impl Default for Tasks {
    fn default() -> Self {
        Tasks::new()
    }
}

impl Tasks {
    /// Call in a component body: the runs end with that component.
    pub fn new() -> Tasks {
        let runs = StoredValue::new_local(Vec::<Run>::new());
        on_cleanup(move || {
            runs.try_update_value(|runs| runs.drain(..).for_each(|run| run.stop()));
        });
        Tasks { runs }
    }

    /// Starts an independent run (a write, a one-off read).
    pub fn spawn<Fut>(&self, work: impl FnOnce(AbortSignal) -> Fut)
    where
        Fut: Future<Output = ()> + 'static,
    {
        self.start(None, work);
    }

    /// Starts a run that replaces the earlier run with the same key.
    pub fn replace<Fut>(&self, key: &'static str, work: impl FnOnce(AbortSignal) -> Fut)
    where
        Fut: Future<Output = ()> + 'static,
    {
        self.start(Some(key), work);
    }

    /// Aborts the runs with this key, if any.
    pub fn stop(&self, key: &'static str) {
        self.runs.try_update_value(|runs| {
            runs.iter().filter(|r| r.key == Some(key)).for_each(Run::stop);
            runs.retain(|r| r.key != Some(key));
        });
    }

    fn start<Fut>(&self, key: Option<&'static str>, work: impl FnOnce(AbortSignal) -> Fut)
    where
        Fut: Future<Output = ()> + 'static,
    {
        let Ok(controller) = AbortController::new() else { return };
        let future = work(controller.signal());
        self.start_boxed(key, controller, Box::pin(future));
    }

    /// The body of every run, compiled once: boxing the future here (one
    /// allocation per run) keeps the abort and bookkeeping code from being
    /// copied into the wasm for each of the console's ~20 kinds of run.
    fn start_boxed(
        &self,
        key: Option<&'static str>,
        controller: AbortController,
        work: Pin<Box<dyn Future<Output = ()>>>,
    ) {
        let (future, handle) = abortable(work);
        let finished = Rc::new(Cell::new(false));
        let run = Run { key, handle: handle.clone(), controller, finished: finished.clone() };
        let accepted = self.runs.try_update_value(move |runs| {
            runs.retain(|r| !r.finished.get());
            if let Some(key) = key {
                runs.iter().filter(|r| r.key == Some(key)).for_each(Run::stop);
                runs.retain(|r| r.key != Some(key));
            }
            runs.push(run);
        });
        if accepted.is_none() {
            // The owner is gone: nothing may start on its behalf.
            handle.abort();
            return;
        }
        leptos::task::spawn_local(async move {
            let _ = future.await;
            finished.set(true);
        });
    }
}

/// Waits `duration` inside a run (aborted with it, like any await there).
pub async fn sleep(duration: std::time::Duration) {
    gloo_timers::future::sleep(duration).await;
}
