//! Operations of several requests: plain async functions over the API
//! client, reporting progress through a callback. They know nothing of
//! signals or the session; the page that runs one (through `tasks::Tasks`)
//! decides what its results mean for the screen.

pub mod create;
pub mod delete;
pub mod fan_out;
pub mod membership;
pub mod snapshot;
