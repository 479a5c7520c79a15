//! Every end-to-end test, in one test binary: one link instead of ten, and
//! `--test-threads` spreads all the tests over the browsers at once instead
//! of running the files one after another (most of a test's time is waiting
//! on timers, latency and the page, not the CPU).

mod access;
mod accessibility;
mod accounts;
mod create;
mod delete_and_session;
mod hosting;
mod mixpanel_shapes;
mod never_crash;
mod review;
mod rotate;
mod sign_in;
